import { offboardedTenants, type Repository, type RolloutRecord } from '@tenancy/lifecycle';
import { deliveryKey, type Notice, type NoticeSource } from './notice';
import type { Outbox, OutboxEntry } from './outbox';
import { rangeFleets } from './range-fleets';
import { dataDeletedNotice, rolloutNotices } from './rollout-notices';

/** An outbox entry that was not sent, and why. */
export interface RefusedNotice {
  readonly id: string;
  readonly why: string;
}

export interface VerifyOptions {
  readonly repository: Repository;
  /** The commit the run is at: every source must be on its history. */
  readonly head: string;
  /** The rollout record the run holds (checked when pulled): what tells whether a tenant's stacks were applied, for notices of its range. */
  readonly record?: RolloutRecord;
}

const sourceKey = (source: NoticeSource) => (source.kind === 'rollout' ? `rollout ${source.base}..${source.head}` : `purge ${source.deletedIn}`);

/** The notices a source gives, derived again from the repository; or why it cannot be. */
async function derive(source: NoticeSource, recordedAt: Date, options: VerifyOptions): Promise<Notice[] | string> {
  const { repository } = options;
  const onHistory = (commit: string) => repository.isAncestor(commit, options.head);
  if (source.kind === 'rollout') {
    if (!(await repository.isAncestor(source.base, source.head)) || !(await onHistory(source.head))) {
      return `its range ${source.base.slice(0, 12)}..${source.head.slice(0, 12)} is not on the history of ${options.head.slice(0, 12)}`;
    }
    const record = options.record?.base === source.base && options.record.head === source.head ? options.record : undefined;
    return rolloutNotices(await rangeFleets(repository, source.base, source.head), { ...(record ? { record } : {}), now: recordedAt });
  }
  if (!(await onHistory(source.deletedIn))) return `its offboarding ${source.deletedIn.slice(0, 12)} is not on the history of ${options.head.slice(0, 12)}`;
  const offboarded = (await offboardedTenants(repository)).find((o) => o.deletedIn === source.deletedIn);
  return offboarded ? [dataDeletedNotice(offboarded, recordedAt)] : `no tenant was offboarded in ${source.deletedIn.slice(0, 12)}`;
}

/** Why an entry is not the notice derived again, or undefined when it is. */
function mismatch(entry: OutboxEntry, derived: Notice): string | undefined {
  if (entry.event !== derived.event || entry.tenant !== derived.tenant || entry.audience !== derived.audience) return 'its event, tenant or audience differ from the notice derived again';
  const fields = (f: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(f).filter(([k]) => k !== 'date').sort());
  if (fields(entry.fields) !== fields(derived.fields)) return 'its fields differ from the notice derived again';
  const allowed = new Set(derived.deliveries.map(deliveryKey));
  const stray = entry.deliveries.find((d) => !allowed.has(deliveryKey(d)));
  return stray ? `it is addressed to ${stray.channel === 'email' ? stray.to : stray.url}, which the tenant files at its commits do not name` : undefined;
}

/**
 * The outbox with only the entries that are notices tenancy derives again from their source: the
 * outbox lives on a branch anyone with push access can write, so an entry is sent only when the
 * repository's history gives the same notice, to the recipients the tenant files (and platform.yaml's
 * operators) at those commits name. Every other entry is left out, with why.
 */
export async function verifyOutbox(outbox: Outbox, options: VerifyOptions): Promise<{ outbox: Outbox; refused: RefusedNotice[] }> {
  const derived = new Map<string, Promise<Notice[] | string>>();
  const entries: Record<string, OutboxEntry> = {};
  const refused: RefusedNotice[] = [];
  for (const [id, entry] of Object.entries(outbox.entries)) {
    const { source } = entry;
    if (!source) {
      refused.push({ id, why: 'it names no source to derive it from' });
      continue;
    }
    const key = sourceKey(source);
    if (!derived.has(key)) derived.set(key, derive(source, new Date(entry.recordedAt), options).catch((error: Error) => `it cannot be derived: ${error.message}`));
    const notices = await derived.get(key)!;
    const notice = typeof notices === 'string' ? undefined : notices.find((n) => n.id === id);
    const why = typeof notices === 'string' ? notices : !notice ? `${sourceKey(source)} gives no notice ${id}` : mismatch(entry, notice);
    if (why) refused.push({ id, why });
    else entries[id] = { ...entry, fields: { ...notice!.fields, date: entry.fields.date ?? notice!.fields.date! } };
  }
  return { outbox: { entries }, refused };
}
