/** What tenancy tells people, and when. */
export const NOTICE_EVENTS = ['onboarded', 'upgrade-scheduled', 'upgraded', 'upgrade-failed', 'offboarded', 'data-deleted'] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

/** Fields every notice has. */
const COMMON_FIELDS = ['tenant', 'displayName', 'contactName', 'contactEmail', 'date'] as const;

/** The fields a template of each event may use, besides the common ones. */
export const EVENT_FIELDS: Readonly<Record<NoticeEvent, readonly string[]>> = {
  onboarded: ['version', 'region', 'tier'],
  'upgrade-scheduled': ['fromVersion', 'toVersion', 'channel', 'wave', 'window', 'migration', 'notes'],
  upgraded: ['fromVersion', 'toVersion', 'notes'],
  'upgrade-failed': ['fromVersion', 'toVersion', 'wave', 'reason', 'rollout'],
  offboarded: ['retainUntil', 'hold'],
  'data-deleted': ['offboardedAt', 'deletedAt'],
};

export function fieldsOf(event: NoticeEvent): readonly string[] {
  return [...COMMON_FIELDS, ...EVENT_FIELDS[event]];
}

/** Where a notice goes: the customer's email and webhook, or the operators' emails. */
export type Delivery =
  | { readonly channel: 'email'; readonly to: string }
  | { readonly channel: 'webhook'; readonly url: string };

/**
 * What a notice was derived from: a rollout's range, or the purge of an offboarding. The outbox
 * keeps it, and a notice is sent only as it is derived again from there (its recipients from the
 * tenant files at those commits), never as the outbox holds it.
 */
export type NoticeSource =
  | { readonly kind: 'rollout'; readonly base: string; readonly head: string }
  | { readonly kind: 'purge'; readonly deletedIn: string };

/** One notice about one tenant, with a stable id: the same event found again is the same notice. */
export interface Notice {
  /** `<event>/<tenant>/<what makes it unique>`, such as `upgraded/acme/2.16.0`. */
  readonly id: string;
  readonly event: NoticeEvent;
  readonly tenant: string;
  readonly audience: 'customer' | 'operators';
  readonly fields: Readonly<Record<string, string>>;
  readonly deliveries: readonly Delivery[];
  /** Where it comes from; absent for a notice only foreseen (a pull request's comment, a dry run). */
  readonly source?: NoticeSource;
}

export const deliveryKey = (delivery: Delivery): string => (delivery.channel === 'email' ? `email:${delivery.to}` : `webhook:${delivery.url}`);
