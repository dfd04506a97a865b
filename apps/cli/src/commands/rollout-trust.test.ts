import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitHubStandIn } from '@tenancy/github/testing';
import { appliedStateOf, readRolloutRecord, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { CONFIGURATION_OUTPUT } from '@tenancy/stacks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCliAsync, runCli } from '../testing/run-cli';

vi.setConfig({ testTimeout: 120_000 });

const outputs = (stdout: string) => Object.fromEntries(stdout.trim().split('\n').filter((l) => l.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

/**
 * What someone with push access alone can write: the rollout branch. Each forgery the review tried
 * must be refused, or (a stack called applied) checked against what Terraform holds.
 */
describe('the rollout record read back from its branch', () => {
  let api: GitHubStandIn;
  const repos: FleetRepo[] = [];
  beforeAll(async () => { api = await GitHubStandIn.start(); });
  beforeEach(() => api.reset());
  afterAll(async () => { for (const repo of repos) repo.dispose(); await api.close(); });

  const env = (repo: FleetRepo) => ({ GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/fleet', GITHUB_API_URL: api.url, TENANCY_OFFLINE_STATE: join(repo.root, '.offline-state') });
  const pull = (repo: FleetRepo) => runCliAsync(['rollout', 'pull', '--offline', '--root', repo.root], { env: env(repo) });
  /** What a push to the rollout branch leaves there. */
  const onBranch = (record: unknown) => {
    api.branches.set('tenancy-rollouts', 'f0'.repeat(20));
    api.files.set('tenancy-rollouts:rollout.json', { content: JSON.stringify(record), sha: 'forged' });
  };

  /** A channel bump, with the record `rollout next` starts for it (the canary's stage running). */
  async function bumped(): Promise<{ repo: FleetRepo; base: string; record: RolloutRecord }> {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const base = await repo.commit('nothing', () => undefined);
    await repo.commit('stable 2.14.2', (r) => r.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', '  stable:\n    version: 2.14.2\n'));
    const next = runCli(['rollout', 'next', '--base', base, '--root', repo.root]);
    expect(next.status, next.stderr).toBe(0);
    return { repo, base, record: readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))! };
  }

  it('plans again every stack the record calls applied that Terraform\'s state does not hold: marking all applied applies nothing less', async () => {
    const { repo, record } = await bumped();
    const forged: RolloutRecord = {
      ...record,
      stacks: Object.fromEntries(Object.entries(record.stacks).map(([name, s]) => [name, { ...s, status: 'applied', detail: 'applied in rollout x' }])),
      stages: record.stages!.map((s) => ({ ...s, state: 'done' as const })),
    };
    onBranch(forged);
    const pulled = await pull(repo);
    expect(pulled.status, pulled.stderr).toBe(0);
    const stacks = Object.keys(record.stacks).length;
    expect(pulled.stdout).toContain(`${stacks} stacks the record calls applied are not so in Terraform's state, and are planned again`);
    const kept = readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))!;
    expect(Object.values(kept.stacks).map((s) => s.status)).toEqual(Object.values(record.stacks).map(() => 'pending'));
    // The stages the forgery marked done are chosen again, from the first.
    const next = runCli(['rollout', 'next', '--root', repo.root]);
    expect(next.status, next.stderr).toBe(0);
    expect(outputs(next.stdout).stage).toBe('stable/canary');
  });

  it('keeps a claim the state confirms: the configuration the record names is the one the stack\'s state holds', async () => {
    const { repo, record } = await bumped();
    const [name, stack] = Object.entries(record.stacks).find(([, s]) => s.tenant === 'wonka')!;
    mkdirSync(join(repo.root, '.offline-state'), { recursive: true });
    const state = { version: 4, outputs: { [CONFIGURATION_OUTPUT]: { value: stack.configHash, type: 'string' } }, resources: [] };
    writeFileSync(join(repo.root, '.offline-state', `${name}.tfstate`), JSON.stringify(state));
    expect(appliedStateOf(JSON.stringify(state)).configuration).toBe(stack.configHash);
    onBranch({ ...record, stacks: { ...record.stacks, [name]: { ...stack, status: 'applied' } } });
    const pulled = await pull(repo);
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.stdout).not.toContain('are planned again');
    expect(readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))!.stacks[name]!.status).toBe('applied');
  });

  it('refuses stages that are not platform.yaml\'s: every tenant in one stage tolerating 1,000 failures', async () => {
    const { repo, record } = await bumped();
    const units = record.stages!.flatMap((s) => s.units);
    onBranch({ ...record, stages: [{ name: 'stable/canary', channel: 'stable', wave: 'canary', maxFailures: 1000, units, state: 'running', shards: [units] }] });
    expect((await pull(repo)).status).toBe(0);
    const next = runCli(['rollout', 'next', '--root', repo.root]);
    expect(next.status).toBe(1);
    expect(next.stderr).toContain("tenancy: the rollout record's stages are refused: it has 1 stages where platform.yaml gives 3; stage 1 is stable/canary with 10 units tolerating 1000 failures, where platform.yaml gives stable/canary with 1 tolerating 0");
    expect(next.stdout).toBe('');
  });

  it('refuses a job holding units of another stage', async () => {
    const { repo, record } = await bumped();
    const stages = record.stages!.map((s, i) => (i === 0 ? { ...s, shards: [[...s.units, record.stages![2]!.units[0]!]] } : s));
    onBranch({ ...record, stages });
    expect((await pull(repo)).status).toBe(0);
    const next = runCli(['rollout', 'next', '--root', repo.root]);
    expect(next.status).toBe(1);
    expect(next.stderr).toContain(`a job of stage stable/canary holds ${record.stages![2]!.units[0]}, which is not in the stage`);
  });

  it('refuses a base that is not an ancestor of the head: a side branch\'s tenant would be offboarded', async () => {
    const { repo, record } = await bumped();
    repo.git('checkout', '-q', '-b', 'side', 'HEAD~2');
    const side = await repo.commit('a tenant that main never had', (r) => r.write('tenants/ghost.yaml', r.read('tenants/acme.yaml').replace('id: acme', 'id: ghost')));
    repo.git('checkout', '-q', 'main');
    onBranch({ ...record, base: side });
    const pulled = await pull(repo);
    expect(pulled.status).toBe(1);
    expect(pulled.stderr).toContain(`the rollout record from tenancy-rollouts is refused: its base ${side.slice(0, 12)} is not an ancestor of its head ${record.head.slice(0, 12)}; nothing of it was used`);
    expect(readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))!.base).toBe(record.base);
  });

  it('refuses a head that is not on the branch, and a record that is not one', async () => {
    const { repo, record } = await bumped();
    onBranch({ ...record, head: 'f'.repeat(40), id: 'f'.repeat(12) });
    expect((await pull(repo)).stderr).toContain(`its head ${'f'.repeat(12)} is not a commit of this repository`);
    onBranch({ ...record, stacks: { 'tenant-acme-data': { action: 'apply', status: 'applied' } } });
    const malformed = await pull(repo);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(/the rollout record from tenancy-rollouts is refused: stacks\.tenant-acme-data\.configHash: /);
  });
});
