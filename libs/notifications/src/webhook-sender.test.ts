import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signature, webhookKey, webhookSender } from './webhook-sender';

describe('the webhook sender', () => {
  it('signs the raw body with HMAC-SHA256, as sha256=<hex>', () => {
    expect(signature('key', '{"a":1}')).toBe(`sha256=${createHmac('sha256', 'key').update('{"a":1}').digest('hex')}`);
  });

  it('gives each tenant a key of its own, derived from the secret', () => {
    expect(webhookKey('secret', 'acme')).toBe(createHmac('sha256', 'secret').update('tenancy-webhook:acme').digest('hex'));
    expect(webhookKey('secret', 'acme')).not.toBe(webhookKey('secret', 'globex'));
    expect(webhookKey('secret', 'acme')).not.toBe(webhookKey('other', 'acme'));
  });

  it('refuses a name that resolves inside the runner\'s network, before connecting', async () => {
    const send = webhookSender({ secret: 'key' });
    const notice = { id: 'n', event: 'onboarded' as const, tenant: 'acme', fields: {}, rendered: { subject: 's', text: 't' } };
    await expect(send('https://localhost:9/hook', notice)).rejects.toThrow(/resolves to (127\.0\.0\.1|::1), inside the runner's network: refused/);
  });
});
