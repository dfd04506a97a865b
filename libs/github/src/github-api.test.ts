import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHub, type GitHub } from './client';
import { syncDriftIssues } from './drift-issues';
import { PLAN_COMMENT_MARKER, renderPlanComment } from './plan-comment';
import { upsertStickyComment } from './sticky-comment';
import { generatedPlanRuns } from './testing/generated-plan';
import { GitHubStandIn } from './testing/github-stand-in';
import { lastSuccessfulCommit } from './workflow-runs';
import { readRolloutBranch, ROLLOUT_BRANCH, writeRolloutBranch } from './rollout-branch';

const REPO = { owner: 'acme', repo: 'fleet' };

describe('libs/github against a stand-in checked with GitHub\'s OpenAPI description', () => {
  let api: GitHubStandIn;
  let github: GitHub;
  const logged: string[] = [];

  beforeAll(async () => {
    api = await GitHubStandIn.start();
    github = createGitHub({ token: 'test-token', baseUrl: api.url, backoffMs: 20, log: (m) => logged.push(m) });
  });
  afterEach(() => {
    expect(api.violations).toEqual([]);
    api.reset();
    logged.length = 0;
  });
  afterAll(() => api.close());

  it('flags a request GitHub would refuse, so that a clean run means something', async () => {
    await expect(github.request('POST /repos/{owner}/{repo}/issues', { ...REPO, title: 42, labels: 'drift' } as never)).rejects.toMatchObject({ status: 422 });
    await expect(github.request('GET /repos/{owner}/{repo}/no-such-thing', REPO)).rejects.toMatchObject({ status: 404 });
    expect(api.violations).toEqual([
      'POST /repos/acme/fleet/issues: body: /labels must be array',
      'GET /repos/acme/fleet/no-such-thing: GitHub has no such operation',
    ]);
    api.reset();
  });

  describe('the sticky plan comment', () => {
    it('is created once, then edited in place: never a second comment', async () => {
      const pr = api.pullRequest(7, [{ body: 'LGTM', user: { login: 'alice', type: 'User' } }]);
      const first = await upsertStickyComment(github, { ...REPO, issueNumber: 7, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nfirst plan` });
      const second = await upsertStickyComment(github, { ...REPO, issueNumber: 7, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nsecond plan` });
      expect(first.action).toBe('created');
      expect(second).toEqual({ action: 'updated', id: first.id });
      expect(pr.comments.map((c) => c.body)).toEqual(['LGTM', `${PLAN_COMMENT_MARKER}\nsecond plan`]);
      expect(api.calls('issues/create-comment')).toHaveLength(1);
      expect(api.calls('issues/update-comment')).toHaveLength(1);
    });

    it('finds its comment on a later page, and leaves alone a person\'s comment quoting the marker', async () => {
      const pr = api.pullRequest(8, [
        { body: `look: ${PLAN_COMMENT_MARKER}`, user: { login: 'mallory', type: 'User' } },
        ...Array.from({ length: 120 }, (_, i) => ({ body: `chatter ${i}`, user: { login: 'bob', type: 'User' as const } })),
        { body: `${PLAN_COMMENT_MARKER}\nold plan` },
      ]);
      const result = await upsertStickyComment(github, { ...REPO, issueNumber: 8, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nnew plan` });
      expect(result).toEqual({ action: 'updated', id: pr.comments.at(-1)!.id });
      expect(pr.comments[0]!.body).toBe(`look: ${PLAN_COMMENT_MARKER}`);
      expect(pr.comments.at(-1)!.body).toBe(`${PLAN_COMMENT_MARKER}\nnew plan`);
      expect(api.calls('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    });

    it('posts a generated 5,000-tenant change as one comment under 65,536 characters', async () => {
      const pr = api.pullRequest(9);
      const body = renderPlanComment(generatedPlanRuns({ tenants: 5_000, shards: 40 }), { artifactsUrl: 'https://github.com/acme/fleet/actions/runs/9' });
      await upsertStickyComment(github, { ...REPO, issueNumber: 9, marker: PLAN_COMMENT_MARKER, body });
      expect(pr.comments).toHaveLength(1);
      expect(pr.comments[0]!.body.length).toBeLessThanOrEqual(65_536);
      expect(pr.comments[0]!.body).toContain('**5000 tenants');
    });
  });

  describe('drift issues', () => {
    const finding = (subject: string, drifted: boolean, summary = `${subject} drifted`) => ({ subject, drifted, summary });

    it('opens one per drifted tenant, updates it while drift remains, closes it once clean', async () => {
      const opened = await syncDriftIssues(github, REPO, [finding('tenant acme', true), finding('tenant globex', false)]);
      expect(opened.map((r) => r.action)).toEqual(['opened', 'none']);
      const issue = api.issues.get(opened[0]!.number!)!;
      expect(issue).toMatchObject({ title: 'Drift: tenant acme', state: 'open', labels: ['drift'] });

      const again = await syncDriftIssues(github, REPO, [finding('tenant acme', true, 'acme drifted further')]);
      expect(again).toEqual([{ subject: 'tenant acme', action: 'updated', number: issue.number }]);
      expect(issue.body).toBe('acme drifted further');
      expect(api.calls('issues/create')).toHaveLength(1);

      const unchanged = await syncDriftIssues(github, REPO, [finding('tenant acme', true, 'acme drifted further')]);
      expect(unchanged[0]!.action).toBe('none');

      const closed = await syncDriftIssues(github, REPO, [finding('tenant acme', false)]);
      expect(closed[0]!.action).toBe('closed');
      expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
      expect(issue.comments.map((c) => c.body)).toEqual(['tenant acme plans clean again: no drift.']);

      const reopened = await syncDriftIssues(github, REPO, [finding('tenant acme', true)]);
      expect(reopened[0]).toMatchObject({ action: 'opened' });
      expect(reopened[0]!.number).not.toBe(issue.number);
    });
  });

  describe('errors', () => {
    it('retries a 5xx with growing backoff, then succeeds', async () => {
      api.pullRequest(20);
      api.fail({ operation: 'issues/create-comment', status: 502, times: 2 });
      const started = Date.now();
      await upsertStickyComment(github, { ...REPO, issueNumber: 20, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nplan` });
      // Backoff is backoffMs x attempt²: 20 ms, then 80 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      expect(api.calls('issues/create-comment')).toHaveLength(3);
      expect(api.issues.get(20)!.comments).toHaveLength(1);
    });

    it('gives up on a 5xx after its retries, with the status', async () => {
      api.pullRequest(21);
      api.fail({ operation: 'issues/list-comments', status: 503, times: 10 });
      await expect(upsertStickyComment(github, { ...REPO, issueNumber: 21, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nplan` })).rejects.toMatchObject({ status: 503 });
      expect(api.calls('issues/list-comments')).toHaveLength(4);
    });

    it('waits out a rate limit for as long as GitHub says, then goes on', async () => {
      api.pullRequest(22);
      api.fail({ operation: 'issues/list-comments', status: 429, times: 1, message: 'API rate limit exceeded', headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) } });
      const started = Date.now();
      const result = await upsertStickyComment(github, { ...REPO, issueNumber: 22, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nplan` });
      expect(result.action).toBe('created');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(logged.some((m) => /^github: rate limit on GET \S*\/issues\/22\/comments\S*; retrying in \d+ s$/.test(m))).toBe(true);
    });

    it('waits out a secondary rate limit', async () => {
      api.pullRequest(23);
      api.fail({ operation: 'issues/create-comment', status: 403, times: 1, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '1' } });
      await upsertStickyComment(github, { ...REPO, issueNumber: 23, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nplan` });
      expect(api.calls('issues/create-comment')).toHaveLength(2);
      expect(logged.some((m) => m.startsWith('github: secondary rate limit on POST'))).toBe(true);
    });

    it('fails at once on a 404, without retrying', async () => {
      await expect(upsertStickyComment(github, { ...REPO, issueNumber: 404, marker: PLAN_COMMENT_MARKER, body: `${PLAN_COMMENT_MARKER}\nplan` })).rejects.toMatchObject({ status: 404 });
      expect(api.calls('issues/list-comments')).toHaveLength(1);
    });
  });

  it('finds the commit of a workflow\'s last successful run on a branch', async () => {
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'main', head_sha: 'a'.repeat(40), conclusion: 'success' });
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'main', head_sha: 'b'.repeat(40), conclusion: 'failure' });
    api.workflowRun({ workflow: 'apply.yml', head_branch: 'feature', head_sha: 'c'.repeat(40), conclusion: 'success' });
    expect(await lastSuccessfulCommit(github, { ...REPO, workflow: 'apply.yml', branch: 'main' })).toBe('a'.repeat(40));
    expect(await lastSuccessfulCommit(github, { ...REPO, workflow: 'drift.yml', branch: 'main' })).toBeUndefined();
  });

  it('keeps the rollout record on its own branch: created from the pushed commit once, then one commit per update', async () => {
    expect(await readRolloutBranch(github, REPO)).toBeUndefined();
    await writeRolloutBranch(github, REPO, '{"id":"a"}\n', 'rollout a: started', 'c0ffee'.padEnd(40, '0'));
    expect(api.branches.get(ROLLOUT_BRANCH)).toBeDefined();
    expect(await readRolloutBranch(github, REPO)).toBe('{"id":"a"}\n');
    const large = JSON.stringify({ id: 'b', stacks: Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`tenant-t${i}-workload`, { status: 'applied', configHash: 'f'.repeat(64) }])) });
    expect(large.length).toBeGreaterThan(1_000_000);
    await writeRolloutBranch(github, REPO, large, 'rollout b: applied', 'c0ffee'.padEnd(40, '0'));
    expect(await readRolloutBranch(github, REPO)).toBe(large);
    expect(api.requests.filter((r) => r.operation === 'git/create-ref')).toHaveLength(1);
    expect(api.requests.filter((r) => r.operation === 'repos/create-or-update-file-contents').map((r) => (r.body as { sha?: string }).sha === undefined)).toEqual([true, false]);
  });
});
