import { PLATFORM_FILE, TENANTS_DIR, type Diagnostic, type Platform, type Tenant } from '@tenancy/model';
import { compositionOf, s3State, stackNames, synthesizeTenant, type StackKind } from '@tenancy/stacks';
import type { Deletion, Repository } from '../git/repository';
import { offboardRecord } from '../retention/offboarded';
import { fieldChanges, type FieldChange } from './field-diff';
import { fleetAt, tenantIdOf, tenantsAt } from './fleet-at';
import { platformImpact } from './platform-impact';
import { retentionShortenings } from './retention-shortening';
import type { StackWork } from './stack-work';

/** What an offboarding takes away from a customer-account tenant, and what it cannot yet. */
export interface AccessRevocation {
  readonly accountId: string;
  readonly roleName: string;
  readonly externalIdSecret: string;
  /** Tenants, cells and pools at head that still use the same role: while any does, access stays. */
  readonly stillUsedBy: string[];
}

export type TenantChange =
  | { readonly kind: 'onboard'; readonly id: string; readonly work: StackWork[]; readonly reattaches?: { readonly deletedAt: string; readonly retainUntil: string } }
  | {
      readonly kind: 'upgrade'; readonly id: string; readonly fields: FieldChange[]; readonly work: StackWork[];
      /** The edit was not synthesized (see ChangeOptions.exactFor): `work` is every stack it could reach. */
      readonly estimated?: true;
    }
  | {
      readonly kind: 'offboard'; readonly id: string; readonly work: StackWork[];
      readonly deletedIn: string; readonly deletedAt: string; readonly retentionDays: number; readonly retainUntil: string;
      readonly revokes?: AccessRevocation;
      /** The reason of a legal hold at head: the data is kept beyond `retainUntil` while it stands. */
      readonly legalHold?: string;
    }
  | {
      /**
       * A legal hold placed on (or lifted from) a former tenant: its kept data stack, synthesized from its
       * last file and the platform.yaml of its offboarding with the holds of head, locks (or unlocks) its data.
       */
      readonly kind: 'hold'; readonly id: string; readonly held: boolean; readonly work: StackWork[]; readonly deletedIn: string;
    }
  | { readonly kind: 'unchanged'; readonly id: string; readonly work: [] };

/** Everything a range of commits asks of the fleet. */
export interface ChangeSet {
  readonly base: string;
  readonly head: string;
  /** Every tenant present at base or head. */
  readonly tenants: TenantChange[];
  /** Cell and pool stacks to apply. */
  readonly shared: StackWork[];
  /** Changed platform.yaml fields, including those that reach no stack. */
  readonly platform: FieldChange[];
  /** Cells and pools removed from platform.yaml; their stacks are left for a person to destroy. */
  readonly removedShared: string[];
  /** Changed files outside tenants/ and platform.yaml: they make no tenant work. */
  readonly ignored: string[];
  /** Renamed tenant files and files that do not validate at head. */
  readonly diagnostics: Diagnostic[];
}

/** A tenant's stacks: data and workload, and compute where its deployment has one. */
export function stackKinds(tenant: Tenant): StackKind[] {
  return compositionOf(tenant.hosting.model, tenant.deployment.model).compute.length ? ['data', 'compute', 'workload'] : ['data', 'workload'];
}

function work(id: string, kind: StackKind, action: 'apply' | 'destroy', reasons: string[]): StackWork {
  return { stack: stackNames[kind as 'data' | 'compute' | 'workload'](id), kind, tenant: id, action, reasons };
}

/**
 * The stacks an edited tenant needs: synthesized at base and at head, only stacks whose Terraform
 * JSON differs. A stack that appears is applied; a compute stack that disappears is destroyed; a
 * data stack is never destroyed here.
 */
function upgradeWork(id: string, before: Tenant, basePlatform: Platform, after: Tenant, headPlatform: Platform, reasons: string[]): StackWork[] {
  const state = s3State(headPlatform);
  const old = new Map(synthesizeTenant(id, before, basePlatform, { state }).map((s) => [s.kind, s.json]));
  const now = new Map(synthesizeTenant(id, after, headPlatform, { state }).map((s) => [s.kind, s.json]));
  const result: StackWork[] = [];
  for (const kind of ['data', 'compute', 'workload'] as const) {
    if (now.has(kind) && now.get(kind) !== old.get(kind)) result.push(work(id, kind, 'apply', reasons));
    if (!now.has(kind) && old.has(kind) && kind === 'compute') result.push(work(id, kind, 'destroy', reasons));
  }
  return result;
}

function sameRole(h: { model: string; accountId?: string; roleName?: string }, accountId: string, roleName: string): boolean {
  return h.model === 'customer-account' && h.accountId === accountId && h.roleName === roleName;
}

/**
 * The stacks an edited tenant could need, without synthesis: every stack it has at head, and its
 * compute stack's destroy when the edit takes compute away.
 */
function estimatedWork(id: string, before: Tenant, after: Tenant, reasons: string[]): StackWork[] {
  const now = stackKinds(after);
  return [
    ...now.map((k) => work(id, k, 'apply', reasons)),
    ...(stackKinds(before).includes('compute') && !now.includes('compute') ? [work(id, 'compute', 'destroy', reasons)] : []),
  ];
}

export interface ChangeOptions {
  /**
   * Tenants whose edits are synthesized at both commits, so that only stacks whose Terraform JSON
   * changes are planned. The others get every stack the edit could reach: a cheap upper bound
   * that sharding uses to split a large change before each shard synthesizes its own tenants.
   * @default every tenant
   */
  readonly exactFor?: ReadonlySet<string>;
}

/** Classifies every tenant between two commits and finds the stacks each change reaches. */
export async function computeChanges(repository: Repository, baseRef: string, headRef: string, options: ChangeOptions = {}): Promise<ChangeSet> {
  // Git answers in child processes: what does not depend on another answer is asked at once.
  const [base, head] = await Promise.all([repository.resolve(baseRef), repository.resolve(headRef)]);
  const [files, headTenants, deletionList] = await Promise.all([repository.changes(base, head, ['.']), tenantsAt(repository, head), repository.deletions(`${base}..${head}`, TENANTS_DIR)]);
  const headIds = headTenants.ids;
  // Everything under tenants/ is a tenant's file or an error: nothing there is "another file".
  const relevant = (path: string) => path === PLATFORM_FILE || path === TENANTS_DIR || path.startsWith(`${TENANTS_DIR}/`);
  const ignored = files.filter((f) => !relevant(f.path)).map((f) => f.path);
  const diagnostics: Diagnostic[] = [...headTenants.problems];
  if (diagnostics.length) return { base, head, tenants: [], shared: [], platform: [], removedShared: [], ignored, diagnostics };

  const changedIds = new Map<string, 'added' | 'modified' | 'deleted'>();
  for (const f of files) {
    const id = tenantIdOf(f.path);
    if (id) changedIds.set(id, f.status);
  }
  const platformChanged = files.some((f) => f.path === PLATFORM_FILE);
  const changedAtHead = [...changedIds].filter(([, s]) => s !== 'deleted').map(([id]) => id);
  const [baseFleet, changedHead] = await Promise.all([
    fleetAt(repository, base, [...changedIds].filter(([, s]) => s !== 'added').map(([id]) => id)),
    fleetAt(repository, head, platformChanged ? headIds : changedAtHead),
  ]);
  // Every head tenant is parsed only when needed: platform.yaml rules need their tier, cell and channel,
  // and offboarding a customer-account tenant needs to know who else still uses its role.
  const customerLeaves = [...changedIds].some(([id, s]) => s === 'deleted' && baseFleet.tenants.get(id)?.hosting.model === 'customer-account');
  const headFleet = customerLeaves && !platformChanged ? await fleetAt(repository, head, headIds) : changedHead;
  diagnostics.push(...headFleet.diagnostics);
  if (!headFleet.platform || !baseFleet.platform) {
    if (!headFleet.platform && !diagnostics.some((d) => d.file.startsWith(PLATFORM_FILE))) {
      diagnostics.push({ file: PLATFORM_FILE, line: 1, column: 1, severity: 'error', code: 'missing-platform', message: `${PLATFORM_FILE} is missing at ${head.slice(0, 12)}`, hint: 'add it' });
    }
    return { base, head, tenants: [], shared: [], platform: [], removedShared: [], ignored, diagnostics };
  }
  const [basePlatform, headPlatform] = [baseFleet.platform, headFleet.platform];
  const impact = platformChanged ? platformImpact(basePlatform, headPlatform, headFleet.tenants) : { changes: [], work: [], removedShared: [] };
  const platformWork = new Map<string, StackWork[]>();
  for (const w of impact.work.filter((w) => w.tenant)) platformWork.set(w.tenant!, [...(platformWork.get(w.tenant!) ?? []), w]);

  const deletions = new Map(deletionList.map((d) => [tenantIdOf(d.path), d]));
  let deletedBefore: Map<string | undefined, Deletion> | undefined;
  const lastDeletionBefore = async (id: string) => {
    // Git lists deletions newest first; reversed, the map keeps each id's latest offboarding.
    deletedBefore ??= new Map((await repository.deletions(base, TENANTS_DIR)).reverse().map((d) => [tenantIdOf(d.path), d]));
    return deletedBefore.get(id);
  };
  const tenants: TenantChange[] = [];
  for (const id of [...new Set([...headIds, ...baseFleet.tenants.keys()])].sort()) {
    const status = changedIds.get(id);
    const before = baseFleet.tenants.get(id);
    const after = headFleet.tenants.get(id);
    if (status === 'added' && after) {
      const previous = await lastDeletionBefore(id);
      const record = previous ? await offboardRecord(repository, previous) : undefined;
      tenants.push({
        kind: 'onboard', id, work: stackKinds(after).map((k) => work(id, k, 'apply', ['tenant file added'])),
        ...(record ? { reattaches: { deletedAt: record.deletedAt, retainUntil: record.retainUntil } } : {}),
      });
    } else if (status === 'deleted' && before) {
      const deletion = deletions.get(id);
      const hold = headPlatform.legalHolds.find((h) => h.tenant === id);
      const record = deletion ? await offboardRecord(repository, deletion) : undefined;
      const { hosting } = before;
      const revokes = hosting.model === 'customer-account' ? {
        accountId: hosting.accountId, roleName: hosting.roleName, externalIdSecret: hosting.externalIdSecret,
        stillUsedBy: [
          ...[...headFleet.tenants].filter(([, t]) => sameRole(t.hosting, hosting.accountId, hosting.roleName)).map(([other]) => `tenant ${other}`),
          ...Object.entries(headPlatform.cells).filter(([, c]) => sameRole(c.hosting, hosting.accountId, hosting.roleName)).map(([n]) => `cell ${n}`),
          ...Object.entries(headPlatform.pools).filter(([, p]) => sameRole(p.hosting, hosting.accountId, hosting.roleName)).map(([n]) => `pool ${n}`),
        ],
      } : undefined;
      tenants.push({
        kind: 'offboard', id,
        work: stackKinds(before).filter((k) => k !== 'data').reverse().map((k) => work(id, k, 'destroy', ['tenant file deleted'])),
        deletedIn: record?.deletedIn ?? head, deletedAt: record?.deletedAt ?? (await repository.date(head)),
        retentionDays: record?.retentionDays ?? 0, retainUntil: record?.retainUntil ?? '',
        ...(revokes ? { revokes } : {}),
        ...(hold ? { legalHold: hold.reason } : {}),
      });
    } else if (status === 'modified' && before && after) {
      const fields = fieldChanges(before, after);
      const reasons = fields.map((f) => `tenants/${id}.yaml ${f.path}`);
      const why = [...reasons, ...(platformWork.get(id)?.flatMap((w) => w.reasons) ?? [])];
      if (options.exactFor && !options.exactFor.has(id)) {
        tenants.push({ kind: 'upgrade', id, fields, work: estimatedWork(id, before, after, why), estimated: true });
        continue;
      }
      const stacks = upgradeWork(id, before, basePlatform, after, headPlatform, why);
      tenants.push(stacks.length ? { kind: 'upgrade', id, fields, work: stacks } : { kind: 'unchanged', id, work: [] });
    } else if (platformWork.has(id)) {
      tenants.push({ kind: 'upgrade', id, fields: [], work: platformWork.get(id)! });
    } else if (!status) {
      tenants.push({ kind: 'unchanged', id, work: [] });
    }
  }
  const atBothEnds = [...headFleet.tenants].filter(([id]) => baseFleet.tenants.has(id) || (platformChanged && !changedIds.has(id)))
    .map(([id, after]) => ({ id, after, ...(baseFleet.tenants.has(id) ? { before: baseFleet.tenants.get(id)! } : {}) }));
  diagnostics.push(...retentionShortenings(atBothEnds, basePlatform, headPlatform));
  tenants.push(...(await formerTenantHolds(repository, basePlatform, headPlatform, new Set(tenants.map((t) => t.id)))));
  diagnostics.push(...(await lookAlikes(repository, base, head, tenants)));
  return {
    base, head, tenants,
    shared: impact.work.filter((w) => !w.tenant),
    platform: impact.changes,
    removedShared: impact.removedShared,
    ignored,
    diagnostics,
  };
}

/**
 * Former tenants (no file at head, one deleted in history) whose legal hold a range places or
 * lifts: their kept data stacks must follow the hold, as a current tenant's would.
 */
async function formerTenantHolds(repository: Repository, basePlatform: Platform, headPlatform: Platform, known: ReadonlySet<string>): Promise<TenantChange[]> {
  const before = new Set(basePlatform.legalHolds.map((h) => h.tenant));
  const after = new Set(headPlatform.legalHolds.map((h) => h.tenant));
  const changed = [...new Set([...before, ...after])].filter((id) => before.has(id) !== after.has(id) && !known.has(id)).sort();
  if (!changed.length) return [];
  const latest = new Map<string, Deletion>();
  for (const deletion of await repository.deletions('HEAD', TENANTS_DIR)) {
    const id = tenantIdOf(deletion.path);
    if (id && !latest.has(id)) latest.set(id, deletion);
  }
  return changed.filter((id) => latest.has(id)).map((id): TenantChange => {
    const held = after.has(id);
    return { kind: 'hold', id, held, deletedIn: latest.get(id)!.commit, work: [work(id, 'data', 'apply', [`platform.yaml legal hold ${held ? 'placed on' : 'lifted from'} former tenant ${id}`])] };
  });
}

/** Comparisons of offboarded with onboarded files past which only identical ones are found. */
const MAX_COMPARISONS = 10_000;
/** Share of lines two files have in common, past which one looks like the other renamed. */
const LOOK_ALIKE = 0.8;

/** A tenant file's lines as a set, its id written out of them, comments and blank lines dropped. */
function linesOf(text: string, id: string): Set<string> {
  return new Set(text.split('\n').map((l) => l.replace(/\s+#.*$/, '').trimEnd().replaceAll(id, '<id>')).filter((l) => l.trim() && !l.trimStart().startsWith('#')));
}

function likeness(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const line of a) if (b.has(line)) common++;
  return common / Math.max(a.size, b.size, 1);
}

/**
 * Warnings for a tenant offboarded and another onboarded in one range with near-identical files:
 * both changes stand (a file's name is its tenant), but a person who meant a rename learns what
 * it does instead.
 */
async function lookAlikes(repository: Repository, base: string, head: string, tenants: readonly TenantChange[]): Promise<Diagnostic[]> {
  const gone = tenants.filter((t): t is Extract<TenantChange, { kind: 'offboard' }> => t.kind === 'offboard');
  const added = tenants.filter((t) => t.kind === 'onboard');
  if (!gone.length || !added.length) return [];
  const before = await repository.readMany(base, gone.map((t) => `${TENANTS_DIR}/${t.id}.yaml`));
  const after = await repository.readMany(head, added.map((t) => `${TENANTS_DIR}/${t.id}.yaml`));
  const goneLines = gone.map((t) => ({ t, lines: linesOf(before.get(`${TENANTS_DIR}/${t.id}.yaml`)?.toString('utf8') ?? '', t.id) }));
  const thorough = gone.length * added.length <= MAX_COMPARISONS;
  const warnings: Diagnostic[] = [];
  for (const { id } of added) {
    const lines = linesOf(after.get(`${TENANTS_DIR}/${id}.yaml`)?.toString('utf8') ?? '', id);
    const match = goneLines.find((g) => (thorough ? likeness(g.lines, lines) >= LOOK_ALIKE : likeness(g.lines, lines) === 1));
    if (!match) continue;
    warnings.push({
      file: `${TENANTS_DIR}/${id}.yaml`, line: 1, column: 1, severity: 'warning', code: 'offboard-and-onboard',
      message: `${TENANTS_DIR}/${match.t.id}.yaml is deleted and ${TENANTS_DIR}/${id}.yaml added with nearly the same content: ${match.t.id} is offboarded and ${id} onboarded, not renamed`,
      hint: `if you meant to rename, this keeps ${match.t.id}'s data until ${match.t.retainUntil.slice(0, 10) || 'its retention ends'} and gives ${id} empty data: a tenant's file name is its identity`,
    });
  }
  return warnings;
}
