/**
 * Every stack assumes its account's role in a session tagged with the stack's owner: `tenant-<id>`,
 * `cell-<name>` or `pool-<name>`, which is also the prefix of every name the owner's stacks give
 * and the value of the `tenancy-owner` tag on everything they create. The account roles' policies
 * act only on what the session's owner has (policy variables such as
 * `${aws:PrincipalTag/tenancy-owner}`), so one tenant's stacks never touch another's resources,
 * even where both live in the same account and go through the same role.
 */
export const SESSION_TAG = {
  /** Whose stack it is: `tenant-<id>`, `cell-<name>` or `pool-<name>`. Also a resource tag. */
  owner: 'tenancy-owner',
  /** For a tenant of a cell or pool, that cell or pool: its stacks may use the host's network and cluster, never change them. */
  host: 'tenancy-host',
  /** Set only by the purge stack of a reaped tenant: the one session allowed to delete data. */
  purge: 'tenancy-purge',
} as const;

export type SessionTags = Readonly<Partial<Record<(typeof SESSION_TAG)[keyof typeof SESSION_TAG], string>>>;

/** Who a stack belongs to. */
export type StackOwner =
  | { readonly kind: 'tenant'; readonly id: string; readonly cell?: string; readonly pool?: string; readonly purge?: boolean }
  | { readonly kind: 'cell'; readonly name: string }
  | { readonly kind: 'pool'; readonly name: string };

/** The owner's name: `tenant-<id>`, `cell-<name>`, `pool-<name>`. */
export function ownerName(owner: StackOwner): string {
  return owner.kind === 'tenant' ? `tenant-${owner.id}` : `${owner.kind}-${owner.name}`;
}

export function sessionTags(owner: StackOwner): SessionTags {
  const host = owner.kind === 'tenant' ? (owner.cell ? `cell-${owner.cell}` : owner.pool ? `pool-${owner.pool}` : undefined) : undefined;
  return {
    [SESSION_TAG.owner]: ownerName(owner),
    ...(host ? { [SESSION_TAG.host]: host } : {}),
    ...(owner.kind === 'tenant' && owner.purge ? { [SESSION_TAG.purge]: 'true' } : {}),
  };
}

/** `${aws:PrincipalTag/<key>}`: the session's own tag, as IAM substitutes it. */
export function principalTag(key: string): string {
  return `\${aws:PrincipalTag/${key}}`;
}

/** The session's owner and host, as IAM policy variables. */
export const SELF = principalTag(SESSION_TAG.owner);
export const HOST = principalTag(SESSION_TAG.host);

/**
 * The tag a cluster's role and its node roles carry: the cluster's name (its owner's, or for a
 * tenant's own node group on a pool, the pool's). The cluster boundary reaches the interfaces,
 * instances and load balancers tagged with the same name, and the deployer may give a role only its
 * session's owner or host as that name.
 */
export const CLUSTER_TAG = 'tenancy-cluster';
export const CLUSTER = principalTag(CLUSTER_TAG);
