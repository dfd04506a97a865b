import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Repository } from '../git/repository';
import { FleetRepo } from '../testing/fleet-repo';
import type { AppliedState } from './applied-state';
import { confirmApplied, hasPendingStacks, parseRolloutRecord, rangeProblems, RecordRefused, stageProblems } from './record-trust';
import type { RolloutRecord, RolloutStack } from './rollout-record';
import type { RolloutStage } from './rollout-stages';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const record = (over: Partial<RolloutRecord> = {}): RolloutRecord => ({
  id: B.slice(0, 12), base: A, head: B, startedAt: 't', updatedAt: 't',
  stacks: { 'tenant-acme-data': { tenant: 'acme', action: 'apply', configHash: 'h1', status: 'applied', at: 't', detail: 'by rollout x' } }, ...over,
});
const refusal = (text: string) => { try { parseRolloutRecord(text, 'the rollout branch'); return undefined; } catch (e) { return e as RecordRefused; } };

describe('a rollout record read as untrusted', () => {
  it('reads a record of the right shape as it is', () => {
    const stage: RolloutStage = { name: 'stable/canary', channel: 'stable', wave: 'canary', maxFailures: 0, units: ['wonka'], state: 'running', shards: [['wonka']] };
    const good = record({ halted: 'why', stages: [stage] });
    expect(parseRolloutRecord(JSON.stringify(good), 'x')).toEqual(good);
  });

  it('refuses text that is not JSON, or not a record, naming where it came from and at most five problems', () => {
    expect(refusal('{')).toBeInstanceOf(RecordRefused);
    expect(refusal('{')!.message).toMatch(/^the rollout record from the rollout branch is refused: it is not JSON: /);
    expect(refusal('[]')!.problems).toEqual(['the record: Invalid input: expected object, received array']);
    const bad = refusal(JSON.stringify({ ...record({ base: 'main' as string }), extra: 1, id: 'short' }))!;
    expect(bad.from).toBe('the rollout branch');
    expect(bad.problems).toEqual(expect.arrayContaining(['base: is not a full commit id', expect.stringMatching(/^id: /), expect.stringMatching(/^the record: Unrecognized key/)]));
    const many = refusal(JSON.stringify({ id: 1, base: 2, head: 3, startedAt: 4, updatedAt: 5, stacks: 6, stages: 7 }))!;
    expect(many.problems).toHaveLength(5);
    const nested = refusal(JSON.stringify(record({ base: 'main', stacks: { 'tenant-acme-data': { ...record().stacks['tenant-acme-data']!, status: 'done' as 'applied' } } })))!;
    expect(nested.message).toMatch(/^the rollout record from the rollout branch is refused: base: is not a full commit id; stacks\.tenant-acme-data\.status: /);
    for (const stacks of [{ 'Tenant_Acme': record().stacks['tenant-acme-data'] }, { 'tenant-acme-data': { ...record().stacks['tenant-acme-data'], status: 'done' } }, { 'tenant-acme-data': { ...record().stacks['tenant-acme-data'], configHash: '' } }]) {
      expect(refusal(JSON.stringify(record({ stacks: stacks as unknown as RolloutRecord['stacks'] }))), JSON.stringify(stacks)).toBeInstanceOf(RecordRefused);
    }
    expect(refusal(JSON.stringify(record({ stages: [{ name: 's', maxFailures: -1, units: [], state: 'running' }] })))).toBeInstanceOf(RecordRefused);
  });
});

describe('a record\'s range, against the repository', () => {
  let repo: FleetRepo;
  let repository: Repository;
  let base: string;
  let head: string;
  let next: string;
  let elsewhere: string;
  beforeAll(async () => {
    repo = await FleetRepo.create();
    base = repo.git('rev-parse', 'HEAD').trim();
    head = await repo.commit('a change', () => undefined);
    next = await repo.commit('the next push', () => undefined);
    repo.git('checkout', '-q', '-b', 'other', base);
    elsewhere = await repo.commit('another branch', () => undefined);
    repo.git('checkout', '-q', 'main');
    repository = new Repository(repo.root);
  });
  afterAll(() => repo.dispose());
  const range = (b: string, h: string, id = h.slice(0, 12)) => record({ id, base: b, head: h });

  it('accepts a base before its head, and a head at or before the commit the run is at', async () => {
    expect(await rangeProblems(range(base, head), repository, head)).toEqual([]);
    expect(await rangeProblems(range(base, head), repository, next)).toEqual([]);
  });

  it('refuses an id not its head, commits the repository does not have, a base after its head, and a head off the branch', async () => {
    const s = (c: string) => c.slice(0, 12);
    expect(await rangeProblems(range(base, head, 'abcdefabcdef'), repository, head)).toEqual([`its id abcdefabcdef is not its head ${s(head)}`]);
    expect(await rangeProblems(range(A, B), repository, head)).toEqual([`its base ${s(A)} is not a commit of this repository`, `its head ${s(B)} is not a commit of this repository`]);
    expect(await rangeProblems(range(head, base), repository, head)).toEqual([`its base ${s(head)} is not an ancestor of its head ${s(base)}`]);
    expect(await rangeProblems(range(base, elsewhere), repository, next)).toEqual([`its head ${s(elsewhere)} is not ${s(next)} or an ancestor of it`]);
    expect(await rangeProblems(range(base, next), repository, head)).toEqual([`its head ${s(next)} is not ${s(head)} or an ancestor of it`]);
  });
});

describe('applied claims, against Terraform\'s state', () => {
  const stack = (action: RolloutStack['action'], status: RolloutStack['status'], configHash = 'h1'): RolloutStack => ({ action, configHash, status, at: 't', detail: 'by rollout x' });
  const states: Record<string, AppliedState | undefined> = {
    'same': { configuration: 'h1', resources: 3 }, 'other': { configuration: 'h0', resources: 3 }, 'gone': { resources: 0 }, 'left': { configuration: 'h1', resources: 2 },
  };
  const read = async (name: string) => states[name.split(':')[0]!];

  it('keeps a claim the state confirms: the configuration applied, or everything destroyed', async () => {
    const claims = record({ stacks: { 'same:a': stack('apply', 'applied'), 'gone:d': stack('destroy', 'applied'), 'never:d': stack('destroy', 'applied'), 'other:p': stack('apply', 'pending') } });
    const confirmed = await confirmApplied(claims, read);
    expect(confirmed).toEqual({ record: claims, unconfirmed: [] });
    expect(confirmed.record).toBe(claims);
  });

  it('plans again, in name order, every claim the state does not hold', async () => {
    const claims = record({ stacks: { 'other:b': stack('apply', 'applied'), 'never:a': stack('apply', 'applied'), 'left:d': stack('destroy', 'applied'), 'same:ok': stack('apply', 'applied'), 'other:f': stack('apply', 'failed') } });
    const { record: checked, unconfirmed } = await confirmApplied(claims, read, 1);
    expect(unconfirmed).toEqual(['left:d', 'never:a', 'other:b']);
    expect(checked.stacks['other:b']).toEqual({ action: 'apply', configHash: 'h1', status: 'pending', detail: 'the record said applied, but Terraform\'s state does not hold this configuration: planned again' });
    expect(checked.stacks['same:ok']).toEqual(claims.stacks['same:ok']);
    expect(checked.stacks['other:f']).toEqual(claims.stacks['other:f']);
    expect(claims.stacks['other:b']!.status).toBe('applied');
  });
});

describe('a record\'s stages, against the ones platform.yaml gives', () => {
  const stage = (over: Partial<RolloutStage> = {}): RolloutStage => ({ name: 'stable/canary', channel: 'stable', wave: 'canary', maxFailures: 0, units: ['wonka', 'acme'], state: 'pending', ...over });

  it('accepts the same stages in any state, units in any order, jobs holding each unit once', () => {
    expect(stageProblems([stage({ state: 'running', units: ['acme', 'wonka'], shards: [['acme'], ['wonka']] })], [stage()])).toEqual([]);
  });

  it('refuses another count, another definition, a job holding a unit of no stage or a unit twice', () => {
    expect(stageProblems([stage(), stage({ name: 'extra' })], [stage()])).toEqual(['it has 2 stages where platform.yaml gives 1']);
    const differs = (over: Partial<RolloutStage>) => stageProblems([stage(over)], [stage()]);
    for (const over of [{ name: 'stable/rest' }, { channel: 'fast' }, { wave: 'rest' }, { maxFailures: 5 }, { units: ['wonka'] }]) expect(differs(over), JSON.stringify(over)).toHaveLength(1);
    expect(differs({ maxFailures: 5 })).toEqual(['stage 1 is stable/canary with 2 units tolerating 5 failures, where platform.yaml gives stable/canary with 2 tolerating 0']);
    expect(stageProblems([stage({ shards: [['wonka', 'stark']] })], [stage()])).toEqual(['a job of stage stable/canary holds stark, which is not in the stage']);
    expect(stageProblems([stage({ shards: [['wonka'], ['wonka', 'acme']] })], [stage()])).toEqual(['the jobs of stage stable/canary hold a unit twice']);
    const many = Array.from({ length: 4 }, (_, i) => stage({ name: `s${i}`, shards: [['x'], ['x']] }));
    expect(stageProblems(many, [stage()])).toHaveLength(5);
  });

  it('reopens a stage with a pending stack, and no other', () => {
    const of = (statuses: RolloutStack['status'][]) => () => statuses.map((status) => ({ action: 'apply' as const, configHash: 'h', status }));
    expect(hasPendingStacks(stage(), of(['applied', 'pending']))).toBe(true);
    expect(hasPendingStacks(stage(), of(['applied', 'held', 'failed', 'skipped']))).toBe(false);
    expect(hasPendingStacks(stage({ units: [] }), of(['pending']))).toBe(false);
  });
});
