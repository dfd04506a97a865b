import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubStandIn, generatedPlanRuns } from '@tenancy/github/testing';
import type { DriftResult } from '@tenancy/lifecycle';
import { runCliAsync } from '../testing/run-cli';

describe('the commands the workflows run against GitHub', () => {
  let api: GitHubStandIn;
  let dir: string;
  const env = (summary = join(dir, 'summary.md')) => ({ GITHUB_TOKEN: 'test-token', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/fleet', GITHUB_STEP_SUMMARY: summary });

  beforeAll(async () => {
    api = await GitHubStandIn.start();
    dir = mkdtempSync(join(tmpdir(), 'tenancy-github-'));
  });
  afterEach(() => {
    expect(api.violations).toEqual([]);
    api.reset();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  /** Shard runs laid out as download-artifact leaves them: one folder per artifact. */
  function shardRuns(name: string, shards: number, tenants: number): string {
    const root = join(dir, name);
    generatedPlanRuns({ tenants, shards }).forEach((run, i) => {
      mkdirSync(join(root, `plan-${i + 1}`), { recursive: true });
      writeFileSync(join(root, `plan-${i + 1}`, 'run.json'), JSON.stringify(run));
    });
    return root;
  }

  it('tenancy comment posts every shard\'s plan as one comment, then edits it, and writes the job summary', async () => {
    const pr = api.pullRequest(5);
    const runs = shardRuns('small', 3, 60);
    const first = await runCliAsync(['comment', '--runs', runs, '--pr', '5', '--shards', '3', '--artifacts-url', 'https://github.com/acme/fleet/actions/runs/1'], { env: env() });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^created comment \d+ on acme\/fleet#5 \(\d+ characters, 3 shards\)$/m);
    const again = await runCliAsync(['comment', '--runs', runs, '--pr', '5', '--shards', '3'], { env: env() });
    expect(again.stdout).toMatch(/^updated comment/m);
    expect(pr.comments).toHaveLength(1);
    expect(pr.comments[0]!.body).toContain('**60 tenants, 61 stacks');
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('**60 tenants, 61 stacks');
    expect(summary).not.toContain('<!-- tenancy:plan -->');
  });

  it('calls out plan jobs that uploaded nothing, and fails', async () => {
    const pr = api.pullRequest(6);
    const run = await runCliAsync(['comment', '--runs', shardRuns('partial', 2, 10), '--pr', '6', '--shards', '3'], { env: env() });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1 of 3 plan jobs uploaded no run');
    expect(pr.comments[0]!.body).toContain('**1 plan job uploaded no plan**');
  });

  it('says so when the change reaches no stack', async () => {
    const pr = api.pullRequest(7);
    const run = await runCliAsync(['comment', '--runs', join(dir, 'none'), '--pr', '7', '--shards', '0'], { env: env() });
    expect(run.status, run.stderr).toBe(0);
    expect(pr.comments[0]!.body).toContain('No tenant, cell or pool stack is reached by this change.');
  });

  it('tenancy drift-report opens an issue per drifted tenant and closes it once clean', async () => {
    const results = (name: string, list: DriftResult[]) => {
      mkdirSync(join(dir, name, 'drift-1'), { recursive: true });
      writeFileSync(join(dir, name, 'drift-1', 'results.json'), JSON.stringify(list));
      return join(dir, name);
    };
    const drifted: DriftResult = { unit: 'acme', status: 'drifted', stacks: [{ stack: 'tenant-acme-data', status: 'drifted', detail: '+0 ~1 -0' }] };
    const failed: DriftResult = { unit: 'globex', status: 'failed', stacks: [{ stack: 'tenant-globex-data', status: 'failed', detail: 'AccessDenied' }] };
    const opened = await runCliAsync(['drift-report', '--results', results('day-1', [drifted, failed])], { env: env() });
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(/^opened #\d+: tenant acme$/m);
    expect(opened.stdout).toContain('1 drift issues changed; 1 units could not be planned');
    const issue = [...api.issues.values()].find((i) => i.title === 'Drift: tenant acme')!;
    expect(issue.body).toContain('`tenant-acme-data` (drifted): +0 ~1 -0');

    const closed = await runCliAsync(['drift-report', '--results', results('day-2', [{ ...drifted, status: 'clean', stacks: [] }])], { env: env() });
    expect(closed.stdout).toMatch(/^closed #\d+: tenant acme$/m);
    expect(issue.state).toBe('closed');
  });
});
