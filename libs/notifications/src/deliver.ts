import { mapLimit } from '@tenancy/lifecycle';
import type { EmailSender } from './email-sender';
import { deliveryKey, type NoticeEvent } from './notice';
import { dueDeliveries, markDelivery, type Outbox, type OutboxDelivery, type OutboxEntry } from './outbox';
import { render, type Template } from './templates';
import type { webhookSender } from './webhook-sender';

/** What can send: a channel without a sender fails its deliveries with `why`, to be tried next run. */
export interface Senders {
  readonly email: EmailSender | { readonly missing: string };
  readonly webhook: ReturnType<typeof webhookSender> | { readonly missing: string };
}

export interface DeliveryAttempt {
  readonly id: string;
  readonly event: NoticeEvent;
  readonly tenant: string;
  readonly to: string;
  readonly error?: string;
}

const target = (d: OutboxDelivery) => (d.channel === 'email' ? d.to : d.url);

async function attempt(entry: OutboxEntry, delivery: OutboxDelivery, templates: ReadonlyMap<NoticeEvent, Template>, senders: Senders): Promise<string | undefined> {
  try {
    const rendered = render(templates.get(entry.event)!, entry.fields);
    if (delivery.channel === 'email') {
      if ('missing' in senders.email) return senders.email.missing;
      await senders.email.send(delivery.to, { id: entry.id, rendered });
    } else {
      if ('missing' in senders.webhook) return senders.webhook.missing;
      await senders.webhook(delivery.url, { ...entry, rendered });
    }
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

/**
 * Tries every delivery the outbox still owes, a few at once, and marks each sent or failed.
 * Nothing here throws for a failed send: it is reported and stays due for the next run.
 */
export async function deliverDue(outbox: Outbox, templates: ReadonlyMap<NoticeEvent, Template>, senders: Senders, now: () => Date, concurrency = 8):
  Promise<{ outbox: Outbox; sent: DeliveryAttempt[]; failed: DeliveryAttempt[] }> {
  const due = dueDeliveries(outbox);
  const results = await mapLimit(due, concurrency, async ({ entry, delivery }) => ({ entry, delivery, error: await attempt(entry, delivery, templates, senders), at: now() }));
  let next = outbox;
  const sent: DeliveryAttempt[] = [];
  const failed: DeliveryAttempt[] = [];
  for (const { entry, delivery, error, at } of results) {
    next = markDelivery(next, entry.id, deliveryKey(delivery), error === undefined ? { ok: true } : { ok: false, error }, at);
    const report = { id: entry.id, event: entry.event, tenant: entry.tenant, to: target(delivery) };
    if (error === undefined) sent.push(report);
    else failed.push({ ...report, error });
  }
  return { outbox: next, sent, failed };
}
