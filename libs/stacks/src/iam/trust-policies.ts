import { policy, type PolicyDocument, type Statement } from './policy-document';
import { SESSION_TAG } from './session-scope';

export interface AccountRoleTrustProps {
  /** The control plane's planner or deployer role: the principal the account role trusts. */
  readonly principal: string;
  /**
   * The control plane's purger, which the reap workflow's purge job runs as: trusted as well, and
   * the only principal whose sessions may carry the purge tag (deployer roles only).
   * @default no purger
   */
  readonly purger?: string;
  /**
   * The external id the role requires (customer accounts). A literal, or an expression of the
   * template format that refers to the value.
   * @default no external id
   */
  readonly externalId?: string;
  /**
   * Owners (`tenant-<id>`, `cell-<name>`, `pool-<name>`) whose stacks may use the role, and the cells
   * and pools that host them.
   * @default any owner of the account
   */
  readonly owners?: { readonly owners: readonly string[]; readonly hosts: readonly string[] };
}

/**
 * Trust of an account's planner or deployer role: exactly its control-plane principal (and the
 * purger), with the external id where there is one, and session tags limited to the keys the stacks
 * set (and, for a customer account, to the tenants, cells and pools it hosts). Only the purger may
 * tag its session as a purge: a deployer session that claims one is refused by STS.
 */
export function accountRoleTrust(props: AccountRoleTrustProps): PolicyDocument {
  // sts:ExternalId is not in the context IAM evaluates sts:TagSession with; the AssumeRole of the same request requires it.
  const owners: Record<string, Record<string, string | string[]>> = props.owners
    ? {
        StringEquals: { [`aws:RequestTag/${SESSION_TAG.owner}`]: [...props.owners.owners] },
        ...(props.owners.hosts.length
          ? { StringEqualsIfExists: { [`aws:RequestTag/${SESSION_TAG.host}`]: [...props.owners.hosts] } }
          : { Null: { [`aws:RequestTag/${SESSION_TAG.host}`]: 'true' } }),
      }
    : { Null: { [`aws:RequestTag/${SESSION_TAG.owner}`]: 'false' } };
  const tagKeys = (keys: readonly string[]) => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': [...keys] }, ...owners });
  const principals = props.purger ? [props.principal, props.purger] : props.principal;
  const statements: Statement[] = [
    {
      Sid: 'ControlPlanePrincipal', Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole',
      ...(props.externalId === undefined ? {} : { Condition: { StringEquals: { 'sts:ExternalId': props.externalId } } }),
    },
    {
      Sid: 'OwnerSessionTags', Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:TagSession',
      Condition: tagKeys([SESSION_TAG.owner, SESSION_TAG.host]),
    },
  ];
  if (props.purger) {
    statements.push({
      Sid: 'PurgeSessionTags', Effect: 'Allow', Principal: { AWS: props.purger }, Action: 'sts:TagSession',
      Condition: { ...tagKeys([SESSION_TAG.owner, SESSION_TAG.host, SESSION_TAG.purge]), StringEquals: { ...owners.StringEquals, [`aws:RequestTag/${SESSION_TAG.purge}`]: 'true' } },
    });
  }
  return policy(statements);
}

/** The tag that says which principal an account role is for, so the control plane may assume only its own kind. */
export const ROLE_KIND_TAG = 'tenancy-role';
