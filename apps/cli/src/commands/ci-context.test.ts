import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubStandIn, schedulePayload, webhookPayload } from '@tenancy/github/testing';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { runCli, runCliAsync } from '../testing/run-cli';

interface PushPayload { ref: string; before: string; after: string; created: boolean; repository: { default_branch: string } }

describe('tenancy ci-context, from real webhook payloads', () => {
  let fleet: FleetRepo;
  let api: GitHubStandIn;
  let dir: string;
  const commits: string[] = [];

  beforeAll(async () => {
    fleet = await FleetRepo.create();
    commits.push(await fleet.commit('one', (r) => r.edit('tenants/acme.yaml', 'displayName: Acme Corporation', 'displayName: Acme One')));
    commits.push(await fleet.commit('two', (r) => r.edit('tenants/acme.yaml', 'displayName: Acme One', 'displayName: Acme Two')));
    commits.push(await fleet.commit('three', (r) => r.edit('tenants/acme.yaml', 'displayName: Acme Two', 'displayName: Acme Three')));
    api = await GitHubStandIn.start();
    dir = mkdtempSync(join(tmpdir(), 'tenancy-events-'));
  });
  afterAll(async () => {
    fleet.dispose();
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  /** The default-branch push example, moved onto this repository's commits. */
  function push(before: string, after: string): string {
    const payload = webhookPayload<PushPayload>('push', (p) => p.ref === `refs/heads/${p.repository.default_branch}`);
    Object.assign(payload, { before, after, created: /^0+$/.test(before) });
    const file = join(dir, `push-${before.slice(0, 7)}-${after.slice(0, 7)}.json`);
    writeFileSync(file, JSON.stringify(payload));
    return file;
  }
  const outputs = (stdout: string) => Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=') as [string, string]));
  const env = () => ({ GITHUB_TOKEN: 'test-token', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'Codertocat/Hello-World' });

  it('reads a pull request from a fork: the workflow then skips every step that needs credentials', () => {
    const payload = webhookPayload<{ action: string; pull_request: { head: { repo: { full_name: string } } } }>('pull_request', (p) => p.action === 'synchronize');
    payload.pull_request.head.repo.full_name = 'mallory/Hello-World';
    writeFileSync(join(dir, 'fork.json'), JSON.stringify(payload));
    const run = runCli(['ci-context', '--event', 'pull_request', '--payload', join(dir, 'fork.json')], { cwd: fleet.root });
    expect(run.status, run.stderr).toBe(0);
    expect(outputs(run.stdout)).toMatchObject({ kind: 'pull_request', fork: 'true' });
  });

  it('starts a push at its before commit, or at the parent of a branch\'s first push', () => {
    const run = runCli(['ci-context', '--event', 'push', '--payload', push(commits[1]!, commits[2]!)], { cwd: fleet.root });
    expect(outputs(run.stdout)).toEqual({ kind: 'push', head: commits[2], defaultBranch: 'true', base: commits[1], baseFrom: 'push' });
    const first = runCli(['ci-context', '--event', 'push', '--payload', push('0'.repeat(40), commits[2]!)], { cwd: fleet.root });
    expect(outputs(first.stdout)).toMatchObject({ base: commits[1], baseFrom: 'parent' });
  });

  it('starts an apply at the last successful apply of a push, so a dropped or failed run, or a dispatched retry, leaves nothing behind', async () => {
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'master', head_sha: commits[0]!, conclusion: 'success' });
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'master', head_sha: commits[1]!, conclusion: 'failure' });
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'master', head_sha: commits[1]!, conclusion: 'success', event: 'workflow_dispatch' });
    const run = await runCliAsync(['ci-context', '--event', 'push', '--payload', push(commits[1]!, commits[2]!), '--since-last-success', 'apply.yml'], { cwd: fleet.root, env: env() });
    expect(run.status, run.stderr).toBe(0);
    expect(outputs(run.stdout)).toMatchObject({ base: commits[0], baseFrom: 'last-success' });
    expect(api.calls('actions/list-workflow-runs')[0]!.query).toEqual({ branch: 'master', event: 'push', status: 'success', per_page: '1' });
    expect(api.violations).toEqual([]);
  });

  it('falls back to the push\'s before, and says why, when the last success is not an ancestor', async () => {
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'master', head_sha: 'e'.repeat(40), conclusion: 'success' });
    const run = await runCliAsync(['ci-context', '--event', 'push', '--payload', push(commits[1]!, commits[2]!), '--since-last-success', 'apply.yml'], { cwd: fleet.root, env: env() });
    expect(outputs(run.stdout)).toMatchObject({ base: commits[1], baseFrom: 'push' });
    expect(run.stderr).toContain(`the last successful apply.yml run was at ${'e'.repeat(40)}, not an ancestor of ${commits[2]}`);
  });

  it('reads a schedule run, and refuses to run without an event', () => {
    writeFileSync(join(dir, 'schedule.json'), JSON.stringify(schedulePayload()));
    expect(runCli(['ci-context', '--event', 'schedule', '--payload', join(dir, 'schedule.json')], { cwd: fleet.root }).stdout).toBe('kind=schedule\n');
    const none = runCli(['ci-context'], { cwd: fleet.root, env: { GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '' } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no event: pass --event and --payload, or run in GitHub Actions');
  });
});
