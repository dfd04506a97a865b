import { readPlatform, readTenant, PLATFORM_FILE, type Platform, type Tenant, type TenantFile } from '@tenancy/model';
import { s3State, synthesizeSharedCluster, synthesizeTenant, type StackKind } from '@tenancy/stacks';
import type { AccessRevocation, ChangeSet } from '../changes/change-set';
import { tenantPath } from '../changes/fleet-at';
import type { StackWork } from '../changes/stack-work';
import type { Repository } from '../git/repository';
import { offboardRecord } from '../retention/offboarded';
import { sha256 } from './plan-record';

/** A stack to plan: its work, its synthesized JSON, and what the plan record needs. */
export interface PlanTarget {
  readonly work: StackWork;
  readonly json: string;
  readonly tenantFile?: string;
  readonly tenantFileHash?: string | null;
  readonly rollout: 'immediate' | 'waves';
  readonly retainUntil?: string;
  readonly revokes?: AccessRevocation;
  readonly purge?: boolean;
  readonly offboarding?: { readonly deletedIn: string };
}

/** The head of the fleet: the checked-out, validated work tree. */
export interface HeadFleet {
  readonly platform: Platform;
  readonly tenants: readonly TenantFile[];
  /** Content of each tenant file, by id, for the plan records' hashes. */
  readonly texts: ReadonlyMap<string, string>;
}

function stackJson(id: string, tenant: Tenant, platform: Platform, kind: StackKind, purge = false): string {
  const stack = synthesizeTenant(id, tenant, platform, { state: s3State(platform), purge }).find((s) => s.kind === kind);
  if (!stack) throw new Error(`tenant ${id} has no ${kind} stack`);
  return stack.json;
}

/**
 * The kept data stack of a former tenant whose legal hold changed: from its last file and the
 * platform.yaml of its offboarding (what its data stack was last applied from), with the holds of
 * head. Its file must stay deleted.
 */
async function heldFormerTenant(change: Extract<ChangeSet['tenants'][number], { kind: 'hold' }>, head: HeadFleet, repository: Repository): Promise<PlanTarget> {
  const deletion = (await repository.deletions('HEAD', 'tenants')).find((d) => d.commit === change.deletedIn && d.path === tenantPath(change.id));
  if (!deletion) throw new Error(`the offboarding of ${change.id} in ${change.deletedIn.slice(0, 12)} is not in history`);
  const last = await offboardRecord(repository, deletion);
  const platform = { ...last.platform, legalHolds: head.platform.legalHolds };
  const stack = synthesizeTenant(change.id, last.lastVersion, platform, { state: s3State(head.platform) }).find((s) => s.kind === 'data')!;
  return { work: change.work[0]!, json: stack.json, tenantFile: tenantPath(change.id), tenantFileHash: null, rollout: 'immediate' };
}

/** Every stack of the named tenants, cells and pools, as they are in the work tree. */
export function targetsForNames(head: HeadFleet, names: { tenants: readonly string[]; cells: readonly string[]; pools: readonly string[] }): PlanTarget[] {
  const state = s3State(head.platform);
  const targets: PlanTarget[] = [];
  for (const [kind, list] of [['cell', names.cells], ['pool', names.pools]] as const) {
    for (const name of list) {
      const stack = synthesizeSharedCluster(kind, name, head.platform, state);
      targets.push({ work: { stack: stack.name, kind, action: 'apply', reasons: [`${kind} ${name} named`] }, json: stack.json, rollout: 'immediate' });
    }
  }
  for (const id of names.tenants) {
    const file = head.tenants.find((t) => t.id === id)!;
    for (const stack of synthesizeTenant(id, file.tenant, head.platform, { state })) {
      targets.push({
        work: { stack: stack.name, kind: stack.kind, tenant: id, action: 'apply', reasons: [`tenant ${id} named`] },
        json: stack.json, tenantFile: tenantPath(id), tenantFileHash: sha256(head.texts.get(id)!), rollout: 'immediate',
      });
    }
  }
  return targets;
}

/**
 * The stacks a change set asks for: applies synthesized from head, destroys from the version at
 * base (an offboarded tenant's last file and platform.yaml).
 */
export async function targetsForChanges(changes: ChangeSet, head: HeadFleet, repository: Repository): Promise<PlanTarget[]> {
  const targets: PlanTarget[] = [];
  for (const work of changes.shared) {
    const [kind, ...rest] = work.stack.split('-') as ['cell' | 'pool', ...string[]];
    targets.push({ work, json: synthesizeSharedCluster(kind, rest.join('-'), head.platform, s3State(head.platform)).json, rollout: 'immediate' });
  }
  let basePlatform: Platform | undefined;
  for (const change of changes.tenants) {
    if (change.work.length === 0) continue;
    if (change.kind === 'hold') {
      targets.push(await heldFormerTenant(change, head, repository));
      continue;
    }
    const rollout = change.kind === 'upgrade' && change.fields.length === 0 ? 'waves' : 'immediate';
    for (const work of change.work) {
      if (work.action === 'apply') {
        const file = head.tenants.find((t) => t.id === change.id)!;
        targets.push({ work, json: stackJson(change.id, file.tenant, head.platform, work.kind), tenantFile: tenantPath(change.id), tenantFileHash: sha256(head.texts.get(change.id)!), rollout });
        continue;
      }
      basePlatform ??= readPlatform(PLATFORM_FILE, (await repository.read(changes.base, PLATFORM_FILE))!).value;
      const text = await repository.read(changes.base, tenantPath(change.id));
      const before = text ? readTenant(tenantPath(change.id), text).value : undefined;
      if (!before || !basePlatform) throw new Error(`${tenantPath(change.id)} at ${changes.base.slice(0, 12)} does not validate, so its stacks cannot be planned for destruction`);
      targets.push({
        work, json: stackJson(change.id, before, basePlatform, work.kind), tenantFile: tenantPath(change.id),
        // An offboarded tenant's file must stay deleted; a tenant that changed deployment model keeps its file.
        tenantFileHash: change.kind === 'offboard' ? null : sha256(head.texts.get(change.id)!),
        rollout,
        ...(change.kind === 'offboard' ? { retainUntil: change.retainUntil, offboarding: { deletedIn: change.deletedIn }, ...(change.revokes ? { revokes: change.revokes } : {}) } : {}),
      });
    }
  }
  return targets;
}
