import type { PolicyDocument } from '../iam/policy-document';
import { ACCOUNT_POLICY_NAMES } from '../iam/account';
import { ROLE_KIND_TAG } from '../iam/trust-policies';
import type { SimulatedRole } from './iam-simulator';
import type { StackJson } from './stack-requests';

/** tenancy's roles in one account, read back from what it ships there. */
export interface ShippedRoles {
  readonly deployer: SimulatedRole;
  readonly planner: SimulatedRole;
  /** The boundaries of the roles the stacks create: the owner's, the cluster's, and the one of earlier releases. */
  readonly boundaries: Readonly<Record<keyof typeof BOUNDARY_NAMES, PolicyDocument>>;
}

const BOUNDARY_NAMES = {
  owner: ACCOUNT_POLICY_NAMES.ownerBoundary, cluster: ACCOUNT_POLICY_NAMES.clusterBoundary, nodes: ACCOUNT_POLICY_NAMES.nodeBoundary, legacy: ACCOUNT_POLICY_NAMES.legacyWorkloadBoundary,
} as const;

const boundariesOf = (read: (name: string) => PolicyDocument) => Object.fromEntries(Object.entries(BOUNDARY_NAMES).map(([kind, name]) => [kind, read(name)])) as ShippedRoles['boundaries'];

/** Values a shipped policy refers to that only exist once applied: the external id, the state key. */
export type Placeholders = Readonly<Record<string, string>>;

function document(text: string, placeholders: Placeholders): PolicyDocument {
  let json = text.replaceAll('$${', '${');
  for (const [from, to] of Object.entries(placeholders)) json = json.replaceAll(from, to);
  return JSON.parse(json) as PolicyDocument;
}

const referenced = (expression: unknown) => /^\$\{[a-z_]+\.([^.]+)\./.exec(String(expression))?.[1];

/** The roles of a Terraform stack tenancy ships: an account stack, the control plane, a customer's Terraform bootstrap. */
export function rolesFromTerraform(stack: StackJson, placeholders: Placeholders = {}): Map<string, SimulatedRole> {
  const aws = stack.provider!.aws!.find((p) => !p.alias)!;
  const account = (aws.allowed_account_ids as string[])[0]!;
  const resource = stack.resource ?? {};
  const policies = new Map(Object.entries(resource.aws_iam_policy ?? {}).map(([id, p]) => [id, document(String(p.policy), placeholders)]));
  const roles = new Map<string, SimulatedRole>();
  for (const [id, role] of Object.entries(resource.aws_iam_role ?? {})) {
    const attached = Object.values(resource.aws_iam_role_policy_attachment ?? {}).filter((a) => referenced(a.role) === id).map((a) => policies.get(referenced(a.policy_arn)!)!);
    const inline = Object.values(resource.aws_iam_role_policy ?? {}).filter((p) => referenced(p.role) === id).map((p) => document(String(p.policy), placeholders));
    const boundary = role.permissions_boundary ? policies.get(referenced(role.permissions_boundary)!) : undefined;
    roles.set(String(role.name), {
      arn: `arn:aws:iam::${account}:role/${String(role.name)}`,
      policies: [...attached, ...inline],
      ...(boundary ? { boundary } : {}),
      trust: document(String(role.assume_role_policy), placeholders),
      tags: (role.tags ?? {}) as Record<string, string>,
    });
  }
  return roles;
}

/** The deployer and planner of an account stack (or a customer's Terraform bootstrap). */
export function accountRolesFromTerraform(stack: StackJson, placeholders: Placeholders = {}): ShippedRoles {
  const roles = [...rolesFromTerraform(stack, placeholders).values()];
  const boundary = (name: string) => document(String(Object.values(stack.resource!.aws_iam_policy!).find((p) => p.name === name)!.policy), placeholders);
  return {
    deployer: roles.find((r) => r.tags[ROLE_KIND_TAG] === 'deployer')!,
    planner: roles.find((r) => r.tags[ROLE_KIND_TAG] === 'planner')!,
    boundaries: boundariesOf(boundary),
  };
}

interface Template { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }

/** The deployer and planner of a customer's CloudFormation bootstrap, with the external id it is deployed with. */
export function accountRolesFromCloudFormation(template: object, accountId: string, externalId: string): ShippedRoles {
  const { Resources } = JSON.parse(JSON.stringify(template).replaceAll('{"Ref":"ExternalId"}', JSON.stringify(externalId))) as Template;
  const policyOf = (ref: unknown) => Resources[(ref as { Ref: string }).Ref]!.Properties.PolicyDocument as PolicyDocument;
  const role = (kind: string): SimulatedRole => {
    const [, { Properties }] = Object.entries(Resources).find(([, r]) => r.Type === 'AWS::IAM::Role' && (r.Properties.Tags as { Key: string; Value: string }[]).some((t) => t.Key === ROLE_KIND_TAG && t.Value === kind))!;
    return {
      arn: `arn:aws:iam::${accountId}:role/${String(Properties.RoleName)}`,
      policies: (Properties.ManagedPolicyArns as unknown[]).map(policyOf),
      boundary: policyOf(Properties.PermissionsBoundary),
      trust: Properties.AssumeRolePolicyDocument as PolicyDocument,
      tags: Object.fromEntries((Properties.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value])),
    };
  };
  const boundary = (name: string) => Object.values(Resources).find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.ManagedPolicyName === name)!.Properties.PolicyDocument as PolicyDocument;
  return { deployer: role('deployer'), planner: role('planner'), boundaries: boundariesOf(boundary) };
}
