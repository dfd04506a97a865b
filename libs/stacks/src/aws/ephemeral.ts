import { ref, Token, type TerraformStack } from 'cdktf';
import { literalConfig } from '../synth/terraform-literal';

/**
 * Declares an ephemeral resource: Terraform opens it for each run and never writes its values to
 * state or to a saved plan. cdktf 0.21 predates ephemeral resources, so the block is written as a
 * stack override. Returns a reference to one of its attributes.
 */
export function ephemeralResource(stack: TerraformStack, type: string, name: string, config: Readonly<Record<string, unknown>>): (attribute: string) => string {
  // Stack overrides skip the elements' escaping: the block's literal text is escaped here.
  stack.addOverride(`ephemeral.${type}.${name}`, literalConfig(config));
  return (attribute) => Token.asString(ref(`ephemeral.${type}.${name}.${attribute}`, stack));
}
