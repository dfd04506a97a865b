import { join } from 'node:path';
import { readRolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli';

const outputs = (stdout: string) => Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('tenancy rollout next', () => {
  const repos: FleetRepo[] = [];
  afterEach(() => { for (const repo of repos.splice(0)) repo.dispose(); });

  /** A repository whose last commit bumps the stable channel, with `channel` lines added to its definition. */
  async function bump(channel = ''): Promise<{ repo: FleetRepo; base: string }> {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const base = await repo.commit('nothing', () => undefined);
    await repo.commit('stable 2.14.2', (r) => r.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', `  stable:\n    version: 2.14.2\n${channel}`));
    return { repo, base };
  }

  it('starts with the canary: its jobs, and as many applies at once as the channel allows across them', async () => {
    const { repo, base } = await bump('    maxConcurrent: 2\n');
    const next = runCli(['rollout', 'next', '--base', base, '--root', repo.root]);
    expect(next.status, next.stderr).toBe(0);
    expect(outputs(next.stdout)).toEqual({ stage: 'stable/canary', matrix: '{"include":[{"job":1,"tenants":1}]}', shards: '1', parallel: '1', concurrency: '2', base: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(next.stderr).toMatch(/^rollout \w{12}: stage stable\/canary, 1 units in 1 jobs$/m);
    const record = readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))!;
    expect(record.stages!.map((s) => [s.name, s.state, s.units.length])).toEqual([['stable/canary', 'running', 1], ['stable/early', 'pending', 3], ['stable/rest', 'pending', 6]]);
    expect(record.stages![0]!.shards).toEqual([['wonka']]);
  });

  it('runs every job at once, 4 applies each, when the channel sets no cap', async () => {
    const { repo, base } = await bump();
    expect(outputs(runCli(['rollout', 'next', '--base', base, '--root', repo.root]).stdout)).toMatchObject({ stage: 'stable/canary', parallel: '1', concurrency: '4' });
  });

  it('stops at a paused channel: no jobs, and the record says so', async () => {
    const { repo, base } = await bump('    paused: true\n');
    const next = runCli(['rollout', 'next', '--base', base, '--root', repo.root]);
    expect(outputs(next.stdout)).toMatchObject({ stage: '', shards: '0' });
    expect(next.stderr).toMatch(/^rollout \w{12}: paused$/m);
    expect(readRolloutRecord(join(repo.root, '.tenancy', 'rollout.json'))!.stages![0]).toMatchObject({ name: 'stable/canary', state: 'paused' });
  });
});
