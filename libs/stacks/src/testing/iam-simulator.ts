import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../iam/policy-document';

/** A role as IAM evaluates it: its policies, its boundary, its trust, its tags. */
export interface SimulatedRole {
  readonly arn: string;
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
  readonly trust?: PolicyDocument;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly resourcePolicy?: PolicyDocument;
}

/** One call a test puts to IAM as a role, and what IAM must answer. */
export interface SimulatedCase {
  readonly name: string;
  readonly role: SimulatedRole;
  /** The caller's session ARN. @default a session of `role` */
  readonly principal?: string;
  /** The session's tags. @default the role's own */
  readonly tags?: Readonly<Record<string, string>>;
  readonly call: Call;
  readonly expected: 'allowed' | 'denied';
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A session of a role: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
export function sessionArn(roleArn: string, session: string): string {
  const [, partition, account, name] = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn)!;
  return `arn:${partition}:sts::${account}:assumed-role/${name}/${session}`;
}

/**
 * Evaluates calls with @cloud-copilot/iam-simulate: identity policies, the permissions boundary, and
 * the resource's policy where it has one (key policies, role trust). Evaluations are cached: a fleet's
 * tenants make the same calls many times over.
 */
export class IamSimulator {
  private readonly cache = new Map<string, Promise<Decision>>();
  /** Evaluations run (not counting cache hits). */
  evaluations = 0;

  evaluate(role: SimulatedRole, principal: string, call: Call): Promise<Decision> {
    const key = JSON.stringify([role.arn, role.policies, role.boundary, principal, call]);
    let decision = this.cache.get(key);
    if (!decision) {
      decision = this.run(role, principal, call);
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async run(role: SimulatedRole, principal: string, call: Call): Promise<Decision> {
    this.evaluations++;
    const simulation = {
      request: { principal, action: call.action, resource: { resource: call.resource, accountId: call.resourceAccount }, contextVariables: { ...call.context } as Record<string, string | string[]> },
      identityPolicies: role.policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      ...(role.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: role.boundary }] } : {}),
      ...(call.resourcePolicy ? { resourcePolicy: call.resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    const result = await runSimulation(simulation, {});
    // AWS Backup's recovery point ARN pattern (any service, any account) also matches its plans and
    // vaults, so the checked run cannot tell which one a tagging call is on; the policies match the
    // same ARN either way.
    if (result.resultType === 'error' && JSON.stringify(result.errors).includes('multiple.resource.types') && call.action.startsWith('backup:')) {
      return runUnsafeSimulation(simulation, {});
    }
    if (result.resultType === 'error') throw new Error(`${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
  }
}
