import { describeWindow, rolloutWaves, stacksByUnit, type Offboarded, type RolloutRecord } from '@tenancy/lifecycle';
import { regionOf, versionOf, type Platform, type Tenant } from '@tenancy/model';
import type { Delivery, Notice, NoticeEvent } from './notice';

/** The two ends of a range of commits, as the notices read them. */
export interface RangeFleets {
  readonly basePlatform?: Platform;
  readonly headPlatform: Platform;
  readonly base: ReadonlyMap<string, Tenant>;
  readonly head: ReadonlyMap<string, Tenant>;
  /** The commit that added each tenant added in the range: an onboarding is told once per file's creation. */
  readonly addedIn: ReadonlyMap<string, string>;
  /** Tenants offboarded in the range, with their retention. */
  readonly offboarded: ReadonlyMap<string, Offboarded>;
}

export interface RolloutNoticeOptions {
  /**
   * The rollout's record: a tenant is told what its stacks did. Without one (a dry run, the pull
   * request comment), every stack is taken as applied.
   */
  readonly record?: RolloutRecord;
  readonly now: Date;
}

const day = (date: Date | string) => new Date(date).toISOString().slice(0, 10);

function customerDeliveries(tenant: Tenant): Delivery[] {
  return [{ channel: 'email', to: tenant.contact.email }, ...(tenant.contact.webhook ? [{ channel: 'webhook' as const, url: tenant.contact.webhook }] : [])];
}

function notice(event: NoticeEvent, id: string, key: string, tenant: Tenant, platform: Platform, fields: Record<string, string>, now: Date): Notice {
  const operators = event === 'upgrade-failed';
  return {
    id: `${event}/${id}/${key}`,
    event,
    tenant: id,
    audience: operators ? 'operators' : 'customer',
    fields: { tenant: id, displayName: tenant.displayName, contactName: tenant.contact.name ?? tenant.contact.email, contactEmail: tenant.contact.email, date: day(now), ...fields },
    deliveries: operators ? (platform.notifications?.operators ?? []).map((to) => ({ channel: 'email' as const, to })) : customerDeliveries(tenant),
  };
}

/** Where a tenant's stacks stand in the rollout: all applied, one failed (with why), or neither yet. */
function stackState(record: RolloutRecord | undefined, byUnit: Map<string, string[]>, tenant: string): { state: 'applied' | 'failed' | 'waiting' | 'held'; detail?: string } {
  if (!record) return { state: 'applied' };
  const stacks = (byUnit.get(tenant) ?? []).map((name) => record.stacks[name]!);
  if (!stacks.length) return { state: 'waiting' };
  const failed = stacks.find((s) => s.status === 'failed');
  if (failed) return { state: 'failed', ...(failed.detail ? { detail: failed.detail } : {}) };
  if (stacks.some((s) => s.status === 'held')) return { state: 'held' };
  return stacks.every((s) => s.status === 'applied') ? { state: 'applied' } : { state: 'waiting' };
}

/**
 * What a range tells whom: a new tenant that is applied is onboarded; a deleted one whose stacks
 * are destroyed is offboarded, with its data's retention; a tenant whose version changes hears of
 * the upgrade before (its wave and window) and after it, or the operators hear it failed. A tenant
 * with upgrade: manual hears nothing of a channel bump, which does not reach it.
 */
export function rolloutNotices(fleets: RangeFleets, options: RolloutNoticeOptions): Notice[] {
  const { headPlatform: platform, basePlatform } = fleets;
  const { record, now } = options;
  const byUnit = record ? stacksByUnit(record) : new Map<string, string[]>();
  const notices: Notice[] = [];

  for (const [id, tenant] of fleets.head) {
    if (fleets.base.has(id)) continue;
    if (stackState(record, byUnit, id).state !== 'applied') continue;
    const addedIn = fleets.addedIn.get(id) ?? record?.head ?? 'range';
    notices.push(notice('onboarded', id, addedIn.slice(0, 12), tenant, platform, { version: versionOf(tenant, platform), region: regionOf(tenant, platform), tier: tenant.tier }, now));
  }

  for (const [id, tenant] of fleets.base) {
    if (fleets.head.has(id)) continue;
    const offboarded = fleets.offboarded.get(id);
    if (!offboarded || stackState(record, byUnit, id).state !== 'applied') continue;
    const hold = platform.legalHolds.find((h) => h.tenant === id);
    notices.push(notice('offboarded', id, offboarded.deletedIn.slice(0, 12), tenant, platform, {
      retainUntil: day(offboarded.retainUntil), hold: hold ? `Your data is under a legal hold (${hold.reason}) and is kept until it is lifted.` : '',
    }, now));
  }

  const upgrading = new Map<string, { tenant: Tenant; from: string; to: string }>();
  for (const [id, tenant] of fleets.head) {
    const before = fleets.base.get(id);
    if (!before || !basePlatform) continue;
    const from = versionOf(before, basePlatform);
    const to = versionOf(tenant, platform);
    const movedByChannel = tenant.version === undefined && before.version === undefined;
    if (from !== to && !(movedByChannel && tenant.upgrade === 'manual')) upgrading.set(id, { tenant, from, to });
  }
  const waveOf = new Map<string, string>();
  const channelMoves = new Map([...upgrading].filter(([, u]) => u.tenant.version === undefined).map(([id, u]) => [id, u.tenant]));
  for (const wave of rolloutWaves(channelMoves, platform)) for (const id of wave.tenants) waveOf.set(id, wave.name);

  for (const [id, { tenant, from, to }] of [...upgrading].sort(([a], [b]) => a.localeCompare(b))) {
    const release = platform.releases[to];
    const wave = waveOf.get(id) ?? 'with its own change';
    const notes = release?.notes ?? '';
    notices.push(notice('upgrade-scheduled', id, to, tenant, platform, {
      fromVersion: from, toVersion: to, channel: tenant.channel ?? 'pinned', wave,
      window: tenant.maintenanceWindow ? describeWindow(tenant.maintenanceWindow) : 'any time, as its wave is reached',
      migration: release?.migration ? 'Your data is migrated to the new version first; the current version keeps serving until the migration has succeeded.' : '',
      notes,
    }, now));
    const { state, detail } = stackState(record, byUnit, id);
    if (state === 'applied') notices.push(notice('upgraded', id, to, tenant, platform, { fromVersion: from, toVersion: to, notes }, now));
    if (state === 'failed') {
      notices.push(notice('upgrade-failed', id, `${to}/${record!.id}`, tenant, platform, { fromVersion: from, toVersion: to, wave, reason: detail ?? 'failed', rollout: record!.id }, now));
    }
  }
  return notices.sort((a, b) => a.id.localeCompare(b.id));
}

/** The notice that a purged tenant's data is gone, to the contact of its last file. */
export function dataDeletedNotice(offboarded: Offboarded, now: Date): Notice {
  return notice('data-deleted', offboarded.id, offboarded.deletedIn.slice(0, 12), offboarded.lastVersion, offboarded.platform, { offboardedAt: day(offboarded.deletedAt), deletedAt: day(now) }, now);
}
