import { describe, expect, it } from 'vitest';
import type { Notice } from './notice';
import { dueDeliveries, markDelivery, MAX_ATTEMPTS, mergeOutboxes, pruneOutbox, recordNotices, EMPTY_OUTBOX, abandonedDeliveries } from './outbox';

const notice = (id: string): Notice => ({
  id, event: 'upgraded', tenant: 'acme', audience: 'customer', fields: {},
  deliveries: [{ channel: 'email', to: 'ops@acme.example' }, { channel: 'webhook', url: 'https://hooks.acme.example/t' }],
});
const now = new Date('2026-01-08T12:00:00Z');

describe('the outbox', () => {
  it('records a notice once, however often it is found', () => {
    const first = recordNotices(EMPTY_OUTBOX, [notice('upgraded/acme/2.16.0')], now);
    const again = recordNotices(first.outbox, [notice('upgraded/acme/2.16.0'), notice('upgraded/acme/2.17.0')], now);
    expect(first.added.map((n) => n.id)).toEqual(['upgraded/acme/2.16.0']);
    expect(again.added.map((n) => n.id)).toEqual(['upgraded/acme/2.17.0']);
    expect(dueDeliveries(again.outbox)).toHaveLength(4);
  });

  it('keeps a failed delivery due until it is sent or has had its attempts', () => {
    let { outbox } = recordNotices(EMPTY_OUTBOX, [notice('n')], now);
    outbox = markDelivery(outbox, 'n', 'email:ops@acme.example', { ok: true }, now);
    for (let i = 0; i < MAX_ATTEMPTS - 1; i += 1) outbox = markDelivery(outbox, 'n', 'webhook:https://hooks.acme.example/t', { ok: false, error: '503' }, now);
    expect(dueDeliveries(outbox).map((d) => d.delivery.channel)).toEqual(['webhook']);
    outbox = markDelivery(outbox, 'n', 'webhook:https://hooks.acme.example/t', { ok: false, error: '503' }, now);
    expect(dueDeliveries(outbox)).toEqual([]);
    expect(abandonedDeliveries(outbox).map((d) => [d.delivery.channel, d.delivery.attempts, d.delivery.error])).toEqual([['webhook', MAX_ATTEMPTS, '503']]);
  });

  it('merges two runs\' copies: every notice of both, each delivery as far as either got', () => {
    const { outbox: base } = recordNotices(EMPTY_OUTBOX, [notice('a')], now);
    const ours = markDelivery(recordNotices(base, [notice('b')], now).outbox, 'a', 'email:ops@acme.example', { ok: false, error: 'x' }, now);
    const theirs = markDelivery(recordNotices(base, [notice('c')], now).outbox, 'a', 'email:ops@acme.example', { ok: true }, now);
    const merged = mergeOutboxes(ours, theirs);
    expect(Object.keys(merged.entries).sort()).toEqual(['a', 'b', 'c']);
    expect(merged.entries.a!.deliveries[0]!.status).toBe('sent');
    expect(mergeOutboxes(theirs, ours).entries.a!.deliveries[0]!.status).toBe('sent');
  });

  it('drops notices long done, and keeps those still owed', () => {
    const old = new Date('2024-01-01T00:00:00Z');
    let { outbox } = recordNotices(EMPTY_OUTBOX, [notice('done'), notice('owed')], old);
    for (const key of ['email:ops@acme.example', 'webhook:https://hooks.acme.example/t']) outbox = markDelivery(outbox, 'done', key, { ok: true }, old);
    expect(Object.keys(pruneOutbox(outbox, now).entries)).toEqual(['owed']);
    expect(Object.keys(pruneOutbox(outbox, old).entries)).toEqual(['done', 'owed']);
  });
});
