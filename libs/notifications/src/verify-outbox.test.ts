import { offboardedTenants, Repository } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from './notice';
import { EMPTY_OUTBOX, recordNotices, type Outbox, type OutboxEntry } from './outbox';
import { rangeFleets } from './range-fleets';
import { dataDeletedNotice, rolloutNotices } from './rollout-notices';
import { verifyOutbox } from './verify-outbox';

const recordedAt = new Date('2026-01-07T09:00:00Z');

/**
 * A real repository: newco onboarded and wonka offboarded in one range; the outbox holds the
 * notices tenancy derives from that range and from wonka's purge, then each test forges a copy.
 */
describe('the outbox, verified against the repository before anything is sent', () => {
  let repo: FleetRepo;
  let repository: Repository;
  let base: string;
  let head: string;
  let stray: string;
  let outbox: Outbox;
  const entry = (id: string) => outbox.entries[id]!;
  const verify = (entries: Record<string, OutboxEntry>) => verifyOutbox({ entries }, { repository, head });

  beforeAll(async () => {
    repo = await FleetRepo.create();
    base = repo.git('rev-parse', 'HEAD').trim();
    head = await repo.commit('onboard newco, offboard wonka', (r) => {
      r.write('tenants/newco.yaml', r.read('tenants/wonka.yaml').replace('id: wonka', 'id: newco').replace('ops@wonka.example', 'ops@newco.example'));
      r.remove('tenants/wonka.yaml');
    });
    repo.git('checkout', '-q', '-b', 'elsewhere', base);
    stray = await repo.commit('a commit on no history of main', () => undefined);
    repo.git('checkout', '-q', 'main');
    repository = new Repository(repo.root);
    const rollout = rolloutNotices(await rangeFleets(repository, base, head), { now: recordedAt }).map((n): Notice => ({ ...n, source: { kind: 'rollout', base, head } }));
    const [wonka] = await offboardedTenants(repository);
    const purge: Notice = { ...dataDeletedNotice(wonka!, recordedAt), source: { kind: 'purge', deletedIn: head } };
    outbox = recordNotices(EMPTY_OUTBOX, [...rollout, purge], recordedAt).outbox;
  });
  afterAll(() => repo.dispose());

  it('keeps every notice the history gives again, as it was recorded', async () => {
    expect(Object.keys(outbox.entries).sort()).toEqual(['data-deleted/wonka/' + head.slice(0, 12), 'offboarded/wonka/' + head.slice(0, 12), 'onboarded/newco/' + head.slice(0, 12)].sort());
    const verified = await verify({ ...outbox.entries });
    expect(verified.refused).toEqual([]);
    expect(verified.outbox).toEqual(outbox);
  });

  it('refuses an entry sent somewhere the tenant files never named, whatever else is true of it', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const forged = { ...entry(id), deliveries: [...entry(id).deliveries, { channel: 'webhook' as const, url: 'https://evil.example/hook', status: 'pending' as const, attempts: 0 }] };
    expect((await verify({ [id]: forged })).refused).toEqual([{ id, why: 'it is addressed to https://evil.example/hook, which the tenant files at its commits do not name' }]);
    const email = { ...entry(id), deliveries: [{ channel: 'email' as const, to: 'evil@example.com', status: 'pending' as const, attempts: 0 }] };
    expect((await verify({ [id]: email })).refused).toEqual([{ id, why: 'it is addressed to evil@example.com, which the tenant files at its commits do not name' }]);
  });

  it('refuses an entry whose words, event, tenant or audience differ from the notice derived again; only its date may', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const original = entry(id);
    const refusal = async (changed: OutboxEntry) => (await verify({ [id]: changed })).refused.map((r) => r.why);
    expect(await refusal({ ...original, fields: { ...original.fields, displayName: 'Pay here' } })).toEqual(['its fields differ from the notice derived again']);
    expect(await refusal({ ...original, fields: { ...original.fields, extra: 'x' } })).toEqual(['its fields differ from the notice derived again']);
    const differ = ['its event, tenant or audience differ from the notice derived again'];
    expect(await refusal({ ...original, event: 'upgraded' })).toEqual(differ);
    expect(await refusal({ ...original, tenant: 'acme' })).toEqual(differ);
    expect(await refusal({ ...original, audience: 'operators' })).toEqual(differ);
    const dated = await verify({ [id]: { ...original, fields: { ...original.fields, date: '2030-01-01' } } });
    expect(dated.refused).toEqual([]);
    expect(dated.outbox.entries[id]!.fields.date).toBe('2030-01-01');
    const { date: _, ...undated } = original.fields;
    expect((await verify({ [id]: { ...original, fields: undated } })).outbox.entries[id]!.fields.date).toBe('2026-01-07');
  });

  it('refuses an entry with no source, one its source does not give, and one whose source is not on the history or not a commit', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const { source: _, ...sourceless } = entry(id);
    const short = (commit: string) => commit.slice(0, 12);
    const refused = await verify({
      [id]: sourceless,
      'onboarded/acme/x': { ...entry(id), id: 'onboarded/acme/x', tenant: 'acme' },
      'onboarded/newco/y': { ...entry(id), id: 'onboarded/newco/y', source: { kind: 'rollout', base, head: stray } },
      'onboarded/newco/z': { ...entry(id), id: 'onboarded/newco/z', source: { kind: 'rollout', base: head, head: base } },
      'data-deleted/newco/w': { ...entry(`data-deleted/wonka/${short(head)}`), id: 'data-deleted/newco/w', source: { kind: 'purge', deletedIn: stray } },
      'data-deleted/acme/v': { ...entry(`data-deleted/wonka/${short(head)}`), id: 'data-deleted/acme/v', source: { kind: 'purge', deletedIn: base } },
      'data-deleted/acme/u': { ...entry(`data-deleted/wonka/${short(head)}`), id: 'data-deleted/acme/u', source: { kind: 'purge', deletedIn: 'f'.repeat(40) } },
    });
    expect(refused.outbox.entries).toEqual({});
    expect(Object.fromEntries(refused.refused.map((r) => [r.id, r.why]))).toEqual({
      [id]: 'it names no source to derive it from',
      'onboarded/acme/x': `rollout ${base}..${head} gives no notice onboarded/acme/x`,
      'onboarded/newco/y': `its range ${short(base)}..${short(stray)} is not on the history of ${short(head)}`,
      'onboarded/newco/z': `its range ${short(head)}..${short(base)} is not on the history of ${short(head)}`,
      'data-deleted/newco/w': `its offboarding ${short(stray)} is not on the history of ${short(head)}`,
      'data-deleted/acme/v': `no tenant was offboarded in ${short(base)}`,
      'data-deleted/acme/u': `its offboarding ffffffffffff is not on the history of ${short(head)}`,
    });
  });

  it('reads the fields in any order', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const reversed = Object.fromEntries(Object.entries(entry(id).fields).reverse());
    expect((await verify({ [id]: { ...entry(id), fields: reversed } })).refused).toEqual([]);
  });

  it('derives a range\'s notices from the rollout record of that range, and from no other', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const stacks = { 'tenant-newco-data': { tenant: 'newco', action: 'apply' as const, configHash: 'h', status: 'failed' as const, detail: 'apply failed' } };
    const record = { id: head.slice(0, 12), base, head, startedAt: '2026-01-07T09:00:00Z', updatedAt: '2026-01-07T09:00:00Z', stacks };
    const failed = await verifyOutbox({ entries: { [id]: entry(id) } }, { repository, head, record });
    expect(failed.refused).toEqual([{ id, why: `rollout ${base}..${head} gives no notice ${id}` }]);
    for (const other of [{ ...record, base: stray }, { ...record, head: stray }]) {
      expect((await verifyOutbox({ entries: { [id]: entry(id) } }, { repository, head, record: other })).refused).toEqual([]);
    }
  });

  it('refuses every entry whose source cannot be read, saying why', async () => {
    const id = `onboarded/newco/${head.slice(0, 12)}`;
    const broken = { isAncestor: () => Promise.reject(new Error('git died')) } as unknown as Repository;
    expect((await verifyOutbox({ entries: { [id]: entry(id) } }, { repository: broken, head })).refused).toEqual([{ id, why: 'it cannot be derived: git died' }]);
  });
});
