import { join } from 'node:path';

/**
 * Folders of generated output inside the repository, all under `.tenancy/` (ignored by Git):
 * synthesized stacks, local state, offline state, plans, the rollout record and Terraform's CLI
 * configuration.
 */
export function workspaceDirs(root: string) {
  const base = join(root, '.tenancy');
  return {
    base,
    out: join(base, 'out'),
    state: join(base, 'state'),
    plans: join(base, 'plans'),
    bootstrap: join(base, 'bootstrap'),
    cliConfig: join(base, 'terraform.rc'),
    /** The record of the rollout the deployer planned last (`tenancy rollout pull` brings CI's). */
    rollout: join(base, 'rollout.json'),
    /** Every notice recorded and how far its deliveries got (`tenancy notify` keeps it on the rollout branch too). */
    outbox: join(base, 'notifications.json'),
    /** The tenants the last `tenancy reap --apply` purged, for their data-deleted notices. */
    reaped: join(base, 'reaped.json'),
    /**
     * Offline runs' state: what offline applies leave, as the state bucket would hold it. Kept in
     * .tenancy/ unless TENANCY_OFFLINE_STATE names another folder (a rehearsal's, kept across runners as the bucket is).
     */
    offlineState: process.env.TENANCY_OFFLINE_STATE || join(base, 'offline-state'),
  };
}
