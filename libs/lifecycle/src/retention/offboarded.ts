import { readPlatform, readTenant, retentionDaysOf, PLATFORM_FILE, type Platform, type Tenant } from '@tenancy/model';
import type { Deletion, Repository } from '../git/repository';
import { tenantIdOf, tenantIdsAt, tenantPath } from '../changes/fleet-at';

const DAY = 24 * 60 * 60 * 1000;

/** A tenant whose file was deleted: when, and until when its data is kept. */
export interface Offboarded {
  readonly id: string;
  /** The commit that deleted the file. */
  readonly deletedIn: string;
  readonly deletedAt: string;
  /** Retention of the file's last version: its own setting, else its tier's at that time. */
  readonly retentionDays: number;
  /** deletedAt + retentionDays: the data may not be purged before. */
  readonly retainUntil: string;
  /** The file and platform.yaml as they were just before the deletion. */
  readonly lastVersion: Tenant;
  readonly platform: Platform;
}

export function retainUntil(deletedAt: string, days: number): string {
  return new Date(Date.parse(deletedAt) + days * DAY).toISOString();
}

/** The retention record of one deletion, from the file and platform.yaml at the deletion's parent. */
export async function offboardRecord(repository: Repository, deletion: Deletion): Promise<Offboarded> {
  const id = tenantIdOf(deletion.path);
  if (!id) throw new Error(`${deletion.path} is not a tenant file`);
  const parent = `${deletion.commit}^`;
  const [tenantText, platformText] = [await repository.read(parent, tenantPath(id)), await repository.read(parent, PLATFORM_FILE)];
  const tenant = tenantText ? readTenant(tenantPath(id), tenantText).value : undefined;
  const platform = platformText ? readPlatform(PLATFORM_FILE, platformText).value : undefined;
  if (!tenant || !platform) throw new Error(`the last version of ${deletion.path} (at ${parent}) or its platform.yaml does not validate; fix history by hand`);
  const days = retentionDaysOf(tenant, platform);
  return { id, deletedIn: deletion.commit, deletedAt: deletion.date, retentionDays: days, retainUntil: retainUntil(deletion.date, days), lastVersion: tenant, platform };
}

/** Tenants deleted in history and not present at `ref`: the latest deletion of each. */
export async function offboardedTenants(repository: Repository, ref = 'HEAD'): Promise<Offboarded[]> {
  const present = new Set(await tenantIdsAt(repository, ref));
  const latest = new Map<string, Deletion>();
  for (const deletion of await repository.deletions(ref, 'tenants')) {
    const id = tenantIdOf(deletion.path);
    if (id && !present.has(id) && !latest.has(id)) latest.set(id, deletion);
  }
  const records: Offboarded[] = [];
  for (const deletion of latest.values()) records.push(await offboardRecord(repository, deletion));
  return records.sort((a, b) => a.id.localeCompare(b.id));
}
