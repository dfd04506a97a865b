import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { sessionTags, type StackOwner } from '../iam/session-scope';
import { roleArn, type AccountAccess } from './account-access';
import { ephemeralResource } from './ephemeral';

/** The variable every stack takes: which principal runs Terraform, and so which account role it assumes. */
export const PRINCIPAL_VARIABLE = 'tenancy_principal';

export interface AccountProviderProps {
  readonly access: AccountAccess;
  /** Region of the stack's resources. */
  readonly region: string;
  /** Region of the control plane, where external-id secrets live. */
  readonly controlPlaneRegion: string;
  /** Names the session in the target account's CloudTrail. At most 64 characters. */
  readonly sessionName: string;
  /** Tags every resource of the stack carries. */
  readonly tags: Readonly<Record<string, string>>;
  /** Whose stack it is: the session is tagged with it, and the account role acts only on what that owner has. */
  readonly owner: StackOwner;
}

/**
 * The AWS provider of a stack: it assumes the account's planner or deployer role, as the
 * `tenancy_principal` variable says, in a session tagged with the stack's owner. For customer
 * accounts the external id is an ephemeral read of the control plane's secret, made by a second
 * provider running as the control-plane principal itself: the value never enters the synthesized
 * JSON, the state or a saved plan.
 */
export function configureAwsProvider(stack: TerraformStack, props: AccountProviderProps): AwsProvider {
  if (props.sessionName.length > 64) throw new Error(`sessionName must be at most 64 characters, got ${props.sessionName}`);
  const principal = new TerraformVariable(stack, PRINCIPAL_VARIABLE, {
    type: 'string',
    description: 'The control-plane principal running Terraform: "planner" (plan, drift: read-only) or "deployer" (apply, reap). tenancy sets it.',
  });
  principal.addValidation({ condition: Fn.contains(['planner', 'deployer'], principal.stringValue), errorMessage: 'tenancy_principal must be "planner" or "deployer".' });
  let externalId: string | undefined;
  if (props.access.externalIdSecret) {
    new AwsProvider(stack, 'control-plane', { alias: 'control_plane', region: props.controlPlaneRegion });
    externalId = ephemeralResource(stack, 'aws_secretsmanager_secret_version', 'external-id', { provider: 'aws.control_plane', secret_id: props.access.externalIdSecret })('secret_string');
  }
  const session: AwsProviderConfig = {
    region: props.region,
    assumeRole: [{
      roleArn: Fn.conditional(Op.eq(principal.stringValue, 'deployer'), roleArn(props.access, props.region, 'deployer'), roleArn(props.access, props.region, 'planner')),
      sessionName: props.sessionName,
      tags: { ...sessionTags(props.owner) },
      ...(externalId ? { externalId } : {}),
    }],
  };
  sessions.set(stack, session);
  return new AwsProvider(stack, 'aws', { ...session, defaultTags: [{ tags: { ...props.tags } }] });
}

const sessions = new WeakMap<TerraformStack, AwsProviderConfig>();
const untagged = new WeakMap<TerraformStack, AwsProvider>();

/** The alias of the provider that leaves out the stack's default tags. */
export const UNTAGGED_PROVIDER = 'aws.untagged';

/**
 * The stack's AWS session without its default tags, for what must be created untagged: KMS would
 * authorize tags given to CreateKey as `kms:TagResource` on any key of the account, so keys are made
 * without tags and found by their alias instead.
 */
export function untaggedAwsProvider(scope: Construct): AwsProvider {
  const stack = TerraformStack.of(scope);
  let provider = untagged.get(stack);
  if (!provider) {
    const session = sessions.get(stack);
    if (!session) throw new Error(`${stack.node.id} has no AWS session: configure its provider first`);
    provider = new AwsProvider(stack, 'aws-untagged', { ...session, alias: UNTAGGED_PROVIDER.slice('aws.'.length) });
    untagged.set(stack, provider);
  }
  return provider;
}
