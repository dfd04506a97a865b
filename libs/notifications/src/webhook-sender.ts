import { createHmac } from 'node:crypto';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { publicLookup } from '@tenancy/lifecycle/public-lookup';
import type { NoticeEvent } from './notice';
import type { RenderedNotice } from './templates';

/** The header carrying the body's HMAC-SHA256 under the shared secret, as `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-tenancy-signature-256';

export interface WebhookSenderOptions {
  /** The secret platform.yaml's notifications.webhookSecret names: each tenant's key is derived from it. */
  readonly secret: string;
  /** Certificates to trust besides the system's, PEM. @default none */
  readonly ca?: string;
  /** Name resolution. @default DNS, refusing names that resolve inside the runner's network */
  readonly lookup?: LookupFunction;
  readonly timeoutMs?: number;
}

export interface WebhookBody {
  readonly id: string;
  readonly event: NoticeEvent;
  readonly tenant: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly text: string;
}

export function signature(key: string, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * The key one tenant's webhooks are signed with, derived from the secret: each customer gets its
 * own, so no customer can sign a notice another's receiver would accept.
 */
export function webhookKey(secret: string, tenant: string): string {
  return createHmac('sha256', secret).update(`tenancy-webhook:${tenant}`).digest('hex');
}

/**
 * Posts a notice as JSON to a tenant's webhook, signed like GitHub's webhooks: the receiver
 * computes HMAC-SHA256 of the raw body with its tenant's key and compares it to the signature
 * header; `x-tenancy-delivery` is the notice's id, the same on every retry. Any 2xx is delivered;
 * redirects are not followed.
 */
export function webhookSender(options: WebhookSenderOptions) {
  return async (url: string, notice: { id: string; event: NoticeEvent; tenant: string; fields: Readonly<Record<string, string>>; rendered: RenderedNotice }): Promise<void> => {
    const body = JSON.stringify({ id: notice.id, event: notice.event, tenant: notice.tenant, fields: notice.fields, subject: notice.rendered.subject, text: notice.rendered.text } satisfies WebhookBody);
    await new Promise<void>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'user-agent': 'tenancy-notifications', 'content-length': Buffer.byteLength(body),
          'x-tenancy-event': notice.event, 'x-tenancy-delivery': notice.id, [SIGNATURE_HEADER]: signature(webhookKey(options.secret, notice.tenant), body),
        },
        lookup: options.lookup ?? publicLookup,
        timeout: options.timeoutMs ?? 15_000,
        minVersion: 'TLSv1.2',
        ...(options.ca ? { ca: options.ca } : {}),
      }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode! >= 200 && res.statusCode! < 300 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${(options.timeoutMs ?? 15_000) / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    });
  };
}
