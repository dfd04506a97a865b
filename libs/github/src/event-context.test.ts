import { describe, expect, it } from 'vitest';
import { contextOutputs, eventContext } from './event-context';
import { schedulePayload, webhookPayload } from './testing/webhook-payloads';

interface PullRequestPayload { action: string; number: number; pull_request: { head: { sha: string; repo: { full_name: string; fork: boolean } | null }; base: { sha: string } } }
interface PushPayload { ref: string; before: string; after: string; deleted: boolean; created: boolean; repository: { default_branch: string } }

const pullRequest = (action: string) => webhookPayload<PullRequestPayload>('pull_request', (p) => p.action === action);

describe('the event a workflow runs on, from real webhook payloads', () => {
  it.each(['opened', 'synchronize'])('a pull request %s from the same repository plans with credentials', (action) => {
    const payload = pullRequest(action);
    expect(eventContext('pull_request', payload)).toEqual({
      kind: 'pull_request', number: payload.number, base: payload.pull_request.base.sha, head: payload.pull_request.head.sha, fork: false,
    });
  });

  it.each(['opened', 'synchronize'])('a pull request %s from a fork is marked so: validate and synth only', (action) => {
    const payload = pullRequest(action);
    payload.pull_request.head.repo = { full_name: 'mallory/Hello-World', fork: true };
    expect(eventContext('pull_request', payload)).toMatchObject({ kind: 'pull_request', fork: true });
  });

  it('treats a pull request whose fork was deleted as a fork', () => {
    const payload = pullRequest('opened');
    payload.pull_request.head.repo = null;
    expect(eventContext('pull_request', payload)).toMatchObject({ fork: true });
  });

  it('reads a push to the default branch, with and without a commit before it', () => {
    const created = webhookPayload<PushPayload>('push', (p) => p.ref === `refs/heads/${p.repository.default_branch}`);
    expect(eventContext('push', created)).toEqual({ kind: 'push', head: created.after, defaultBranch: true });
    const next = { ...created, before: created.after, after: 'f'.repeat(40), created: false };
    expect(eventContext('push', next)).toEqual({ kind: 'push', base: created.after, head: 'f'.repeat(40), defaultBranch: true });
  });

  it('knows a tag push is not the default branch, and ignores a deleted ref', () => {
    const tag = webhookPayload<PushPayload>('push', (p) => p.ref.startsWith('refs/tags/') && !p.deleted);
    expect(eventContext('push', tag)).toMatchObject({ kind: 'push', defaultBranch: false });
    const deleted = webhookPayload<PushPayload>('push', (p) => p.deleted);
    expect(eventContext('push', deleted)).toEqual({ kind: 'ignored', reason: `${deleted.ref} was deleted` });
  });

  it('reads schedule and manual runs, and ignores events tenancy does not act on', () => {
    expect(eventContext('schedule', schedulePayload())).toEqual({ kind: 'schedule' });
    expect(eventContext('workflow_dispatch', webhookPayload('workflow_dispatch'))).toEqual({ kind: 'workflow_dispatch' });
    expect(eventContext('workflow_run', webhookPayload('workflow_run'))).toEqual({ kind: 'ignored', reason: 'tenancy does not act on workflow_run events' });
  });

  it('writes the context as key=value lines for $GITHUB_OUTPUT', () => {
    const payload = pullRequest('opened');
    expect(contextOutputs(eventContext('pull_request', payload)).split('\n')).toEqual([
      'kind=pull_request', `number=${payload.number}`, `base=${payload.pull_request.base.sha}`, `head=${payload.pull_request.head.sha}`, 'fork=false',
    ]);
  });
});
