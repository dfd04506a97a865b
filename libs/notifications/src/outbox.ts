import { deliveryKey, type Delivery, type Notice } from './notice';

/** Attempts a delivery gets, one per run, before it is given up and reported. */
export const MAX_ATTEMPTS = 10;
/** Notices whose deliveries are all done are dropped from the outbox after this many days. */
const KEEP_DAYS = 400;

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export type OutboxDelivery = Delivery & {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly error?: string;
  readonly at?: string;
};

export interface OutboxEntry extends Omit<Notice, 'deliveries'> {
  readonly recordedAt: string;
  readonly deliveries: OutboxDelivery[];
}

/**
 * Every notice tenancy decided to send, recorded before any is sent, and each delivery's state:
 * a notice found again is not added again, a sent delivery is never sent again, a failed one is
 * tried again on the next run.
 */
export interface Outbox {
  readonly entries: Readonly<Record<string, OutboxEntry>>;
}

export const EMPTY_OUTBOX: Outbox = { entries: {} };

/** The outbox with the notices it does not hold yet, as pending; and which those were. */
export function recordNotices(outbox: Outbox, notices: readonly Notice[], now: Date): { outbox: Outbox; added: Notice[] } {
  const added = notices.filter((n) => !outbox.entries[n.id] && n.deliveries.length);
  const entries = { ...outbox.entries };
  for (const { deliveries, ...rest } of added) {
    entries[rest.id] = { ...rest, recordedAt: now.toISOString(), deliveries: deliveries.map((d) => ({ ...d, status: 'pending', attempts: 0 })) };
  }
  return { outbox: { entries }, added };
}

/** Deliveries still to try: pending, or failed with attempts left. */
export function dueDeliveries(outbox: Outbox): { entry: OutboxEntry; delivery: OutboxDelivery }[] {
  return Object.values(outbox.entries).flatMap((entry) => entry.deliveries.filter((d) => d.status !== 'sent' && d.attempts < MAX_ATTEMPTS).map((delivery) => ({ entry, delivery })));
}

/** Deliveries given up on after MAX_ATTEMPTS. */
export function abandonedDeliveries(outbox: Outbox): { entry: OutboxEntry; delivery: OutboxDelivery }[] {
  return Object.values(outbox.entries).flatMap((entry) => entry.deliveries.filter((d) => d.status === 'failed' && d.attempts >= MAX_ATTEMPTS).map((delivery) => ({ entry, delivery })));
}

/** The outbox after one delivery was tried. */
export function markDelivery(outbox: Outbox, id: string, key: string, result: { ok: true } | { ok: false; error: string }, now: Date): Outbox {
  const entry = outbox.entries[id];
  if (!entry) return outbox;
  const deliveries = entry.deliveries.map((d): OutboxDelivery => {
    if (deliveryKey(d) !== key) return d;
    const { error: _, ...rest } = d;
    return result.ok ? { ...rest, status: 'sent', attempts: d.attempts + 1, at: now.toISOString() } : { ...rest, status: 'failed', attempts: d.attempts + 1, error: result.error, at: now.toISOString() };
  });
  return { entries: { ...outbox.entries, [id]: { ...entry, deliveries } } };
}

/**
 * Two copies of the outbox made one, when another run wrote it meanwhile: every notice of either,
 * and of each delivery the copy that got further (sent wins, then more attempts).
 */
export function mergeOutboxes(a: Outbox, b: Outbox): Outbox {
  const entries: Record<string, OutboxEntry> = { ...a.entries };
  for (const [id, theirs] of Object.entries(b.entries)) {
    const ours = entries[id];
    if (!ours) {
      entries[id] = theirs;
      continue;
    }
    const rank = (d: OutboxDelivery) => (d.status === 'sent' ? 1_000 : 0) + d.attempts;
    const byKey = new Map(theirs.deliveries.map((d) => [deliveryKey(d), d]));
    entries[id] = { ...ours, deliveries: ours.deliveries.map((d) => { const other = byKey.get(deliveryKey(d)); return other && rank(other) > rank(d) ? other : d; }) };
  }
  return { entries };
}

/** Without notices long done (every delivery sent or given up), so the file stays small. */
export function pruneOutbox(outbox: Outbox, now: Date): Outbox {
  const cutoff = now.getTime() - KEEP_DAYS * 24 * 60 * 60 * 1000;
  const done = (entry: OutboxEntry) => entry.deliveries.every((d) => d.status === 'sent' || d.attempts >= MAX_ATTEMPTS);
  return { entries: Object.fromEntries(Object.entries(outbox.entries).filter(([, e]) => !(done(e) && Date.parse(e.recordedAt) < cutoff))) };
}

export function parseOutbox(text: string | undefined): Outbox {
  if (!text) return EMPTY_OUTBOX;
  const parsed = JSON.parse(text) as Partial<Outbox>;
  return { entries: parsed.entries ?? {} };
}

export function serializeOutbox(outbox: Outbox): string {
  const entries = Object.fromEntries(Object.entries(outbox.entries).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ entries }, null, 1)}\n`;
}
