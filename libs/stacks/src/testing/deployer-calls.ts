import type { AccountScope } from '../iam/account';
import type { PolicyDocument } from '../iam/policy-document';
import { IamSimulator, sessionArn } from './iam-simulator';

/** The account the deployer's policies are built for in the simulations. */
export const ACCOUNT = '111122223333';
export const SCOPE: AccountScope = { partition: 'aws', accountId: ACCOUNT, deployerRoleName: 'tenancy-deploy', plannerRoleName: 'tenancy-plan', tagKeys: [], ecrRegistries: [] };
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/tenancy-deploy`;

export type CallContext = Record<string, string | string[]>;
/** A call a test names: what it is, the action, the resource, the request's context. */
export type NamedCall = readonly [name: string, action: string, resource: string, context?: CallContext];

/** The tags of a request that creates a resource for `owner`, as the stacks send them. */
export const creates = (owner: string, extra: CallContext = {}): CallContext =>
  ({ 'aws:RequestTag/tenancy-owner': owner, 'aws:RequestTag/managed-by': 'tenancy', 'aws:TagKeys': ['tenancy-owner', 'managed-by'], ...extra });

/** A resource `owner` has. */
export const owned = (owner: string, extra: CallContext = {}): CallContext => ({ 'aws:ResourceTag/tenancy-owner': owner, ...extra });

/** A session of a stack: its owner, and where it has them, its host and its purge tag. */
export interface Session {
  readonly owner: string;
  readonly host?: string;
  readonly purge?: boolean;
}

const simulator = new IamSimulator();

/**
 * Each call by a session of the deployer role with `policies` alone (built by the test, so that a
 * mutation run sees them), as `name: allowed|denied`, so that a failure lists every call that changed.
 */
export function decideAsDeployer(policies: readonly PolicyDocument[], session: Session, calls: readonly NamedCall[]): Promise<string[]> {
  const role = { arn: DEPLOYER, policies, tags: {} };
  const tags = {
    'aws:PrincipalTag/tenancy-owner': session.owner,
    ...(session.host ? { 'aws:PrincipalTag/tenancy-host': session.host } : {}),
    ...(session.purge ? { 'aws:PrincipalTag/tenancy-purge': 'true' } : {}),
  };
  return Promise.all(calls.map(async ([name, action, resource, context = {}]) => {
    const decision = await simulator.evaluate(role, sessionArn(DEPLOYER, 'GitHubActions'), { action, resource, resourceAccount: ACCOUNT, context: { ...tags, ...context } });
    return `${name}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
  }));
}

/** What `decideAsDeployer` must answer: the calls named in `allowed` allowed, every other denied. */
export const expected = (calls: readonly NamedCall[], allowed: readonly string[]): string[] =>
  calls.map(([name]) => `${name}: ${allowed.includes(name) ? 'allowed' : 'denied'}`);
