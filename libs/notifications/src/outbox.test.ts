import { describe, expect, it } from 'vitest';
import type { Notice } from './notice';
import { dueDeliveries, markDelivery, MAX_ATTEMPTS, mergeOutboxes, parseOutbox, pruneOutbox, recordNotices, serializeOutbox, EMPTY_OUTBOX, abandonedDeliveries, type Outbox } from './outbox';

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

  it('records each delivery pending with no attempt, when it was found, and never a notice with no delivery', () => {
    const silent = { ...notice('silent'), deliveries: [] };
    const { outbox, added } = recordNotices(EMPTY_OUTBOX, [notice('n'), silent], now);
    expect(added.map((n) => n.id)).toEqual(['n']);
    expect(outbox.entries.n).toEqual({
      id: 'n', event: 'upgraded', tenant: 'acme', audience: 'customer', fields: {}, recordedAt: '2026-01-08T12:00:00.000Z',
      deliveries: [{ channel: 'email', to: 'ops@acme.example', status: 'pending', attempts: 0 }, { channel: 'webhook', url: 'https://hooks.acme.example/t', status: 'pending', attempts: 0 }],
    });
  });

  it('counts every attempt and keeps the last error only until a delivery is sent; an unknown notice changes nothing', () => {
    let { outbox } = recordNotices(EMPTY_OUTBOX, [notice('n')], now);
    const later = new Date('2026-01-09T00:00:00Z');
    outbox = markDelivery(outbox, 'n', 'email:ops@acme.example', { ok: false, error: 'refused' }, now);
    outbox = markDelivery(outbox, 'n', 'email:ops@acme.example', { ok: true }, later);
    expect(outbox.entries.n!.deliveries).toEqual([
      { channel: 'email', to: 'ops@acme.example', status: 'sent', attempts: 2, at: '2026-01-09T00:00:00.000Z' },
      { channel: 'webhook', url: 'https://hooks.acme.example/t', status: 'pending', attempts: 0 },
    ]);
    expect(markDelivery(outbox, 'other', 'email:ops@acme.example', { ok: true }, now)).toBe(outbox);
  });

  it('reports as abandoned only a failed delivery that has had all its attempts', () => {
    const at = (status: 'pending' | 'sent' | 'failed', attempts: number): Outbox => {
      const { outbox } = recordNotices(EMPTY_OUTBOX, [{ ...notice('n'), deliveries: [{ channel: 'email', to: 'ops@acme.example' }] }], now);
      return { entries: { n: { ...outbox.entries.n!, deliveries: [{ ...outbox.entries.n!.deliveries[0]!, status, attempts }] } } };
    };
    expect(abandonedDeliveries(at('failed', MAX_ATTEMPTS - 1))).toEqual([]);
    expect(abandonedDeliveries(at('failed', MAX_ATTEMPTS))).toHaveLength(1);
    expect(abandonedDeliveries(at('sent', MAX_ATTEMPTS))).toEqual([]);
    expect(abandonedDeliveries(at('pending', MAX_ATTEMPTS))).toEqual([]);
  });

  it('merges by how far each delivery got: sent over any failure, more attempts over fewer, ours when equal', () => {
    const { outbox: base } = recordNotices(EMPTY_OUTBOX, [notice('a')], now);
    const email = 'email:ops@acme.example';
    const failed = (times: number, error: string) => {
      let outbox = base;
      for (let i = 0; i < times; i += 1) outbox = markDelivery(outbox, 'a', email, { ok: false, error }, now);
      return outbox;
    };
    const first = (outbox: Outbox) => outbox.entries.a!.deliveries[0]!;
    expect(first(mergeOutboxes(failed(1, 'ours'), failed(2, 'theirs')))).toMatchObject({ attempts: 2, error: 'theirs' });
    expect(first(mergeOutboxes(failed(2, 'ours'), failed(1, 'theirs')))).toMatchObject({ attempts: 2, error: 'ours' });
    expect(first(mergeOutboxes(failed(2, 'ours'), failed(2, 'theirs')))).toMatchObject({ attempts: 2, error: 'ours' });
    const sentOnce = markDelivery(base, 'a', email, { ok: true }, now);
    expect(first(mergeOutboxes(failed(5, 'ours'), sentOnce))).toMatchObject({ status: 'sent', attempts: 1 });
    expect(first(mergeOutboxes(sentOnce, failed(5, 'theirs')))).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps a done notice for 400 days after it was recorded, and one given up on like one sent', () => {
    const recorded = new Date('2025-01-01T00:00:00Z');
    let { outbox } = recordNotices(EMPTY_OUTBOX, [notice('n')], recorded);
    outbox = markDelivery(outbox, 'n', 'email:ops@acme.example', { ok: true }, recorded);
    for (let i = 0; i < MAX_ATTEMPTS - 1; i += 1) outbox = markDelivery(outbox, 'n', 'webhook:https://hooks.acme.example/t', { ok: false, error: '503' }, recorded);
    const day = 24 * 60 * 60 * 1000;
    const after = (days: number) => new Date(recorded.getTime() + days * day);
    // One attempt left: still owed, however old.
    expect(Object.keys(pruneOutbox(outbox, after(1_000)).entries)).toEqual(['n']);
    outbox = markDelivery(outbox, 'n', 'webhook:https://hooks.acme.example/t', { ok: false, error: '503' }, recorded);
    expect(Object.keys(pruneOutbox(outbox, after(400)).entries)).toEqual(['n']);
    expect(Object.keys(pruneOutbox(outbox, new Date(after(400).getTime() + 1)).entries)).toEqual([]);
  });

  it('reads and writes the file: entries sorted by id, one-space indentation, a final newline; nothing or no entries is empty', () => {
    const { outbox } = recordNotices(EMPTY_OUTBOX, [notice('b'), notice('a')], now);
    const text = serializeOutbox(outbox);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n "entries": {\n  "a": {\n   "id": "a",')).toBe(true);
    expect(parseOutbox(text)).toEqual(outbox);
    expect(parseOutbox(undefined)).toEqual({ entries: {} });
    expect(parseOutbox('')).toEqual({ entries: {} });
    expect(parseOutbox('{}')).toEqual({ entries: {} });
    expect(serializeOutbox(EMPTY_OUTBOX)).toBe('{\n "entries": {}\n}\n');
  });
});
