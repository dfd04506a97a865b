import { TerraformElement, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { configureBackend } from '../state/backend';
import { literalConfig } from '../synth/terraform-literal';
import type { StateLocation } from '../state/state-location';
import type { StackKind } from '../naming';

const escaped = new WeakSet<TerraformElement>();

/**
 * A stack of the fleet: state in its own place, and Terraform addresses made of the construct
 * path (`bucket_bucket`, `network_private-us-east-1a`) rather than cdktf's path hashes, so that
 * plans read plainly. Addresses are the contract with live state: a test pins them.
 */
export class FleetStack extends TerraformStack {
  constructor(
    scope: Construct,
    /** The stack name, also the folder and state key. */
    readonly stackName: string,
    readonly kind: StackKind,
    /** Where this stack and the stacks it reads keep their state. */
    readonly state: StateLocation,
  ) {
    super(scope, stackName);
    configureBackend(this, stackName, state);
  }

  /**
   * The stack's Terraform JSON, every element's literal text escaped before cdktf resolves its
   * tokens: the one place all text of every construct passes, tenant files' and ours alike, so
   * Terraform evaluates only the references the constructs make.
   */
  override toTerraform(): ReturnType<TerraformStack['toTerraform']> {
    for (const element of this.node.findAll()) {
      if (!TerraformElement.isTerraformElement(element) || escaped.has(element)) continue;
      const own = element.toTerraform.bind(element);
      element.toTerraform = () => literalConfig(own());
      escaped.add(element);
    }
    return super.toTerraform();
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    return path.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  }
}
