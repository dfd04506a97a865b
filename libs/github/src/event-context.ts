/** What a workflow run works on, read from its event. */
export type WorkflowContext =
  | {
      readonly kind: 'pull_request';
      readonly number: number;
      readonly base: string;
      readonly head: string;
      /** From a fork: no OIDC, no secrets; validate and synthesize only. */
      readonly fork: boolean;
    }
  | {
      readonly kind: 'push';
      /** The commit before the push; absent for a branch's first push (then its parent is used). */
      readonly base?: string;
      /** Where `base` came from, once `tenancy ci-context` settled it. */
      readonly baseFrom?: 'push' | 'last-success' | 'parent';
      readonly head: string;
      /** Whether the push is to the default branch, the only one that applies. */
      readonly defaultBranch: boolean;
    }
  | { readonly kind: 'schedule' | 'workflow_dispatch' }
  | { readonly kind: 'ignored'; readonly reason: string };

const NO_COMMIT = /^0{40}$/;

interface PullRequestEvent {
  number: number;
  pull_request: { base: { sha: string; repo: { full_name: string } }; head: { sha: string; repo: { full_name: string } | null } };
}

interface PushEvent {
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  repository: { default_branch: string };
}

/**
 * Reads a GitHub event payload. A pull request's head repository is null when the fork was
 * deleted; it is treated as a fork.
 */
export function eventContext(name: string, payload: unknown): WorkflowContext {
  if (name === 'pull_request' || name === 'pull_request_target') {
    const event = payload as PullRequestEvent;
    const head = event.pull_request.head;
    return {
      kind: 'pull_request', number: event.number, base: event.pull_request.base.sha, head: head.sha,
      fork: head.repo?.full_name !== event.pull_request.base.repo.full_name,
    };
  }
  if (name === 'push') {
    const event = payload as PushEvent;
    if (event.deleted || NO_COMMIT.test(event.after)) return { kind: 'ignored', reason: `${event.ref} was deleted` };
    return {
      kind: 'push', head: event.after, defaultBranch: event.ref === `refs/heads/${event.repository.default_branch}`,
      ...(NO_COMMIT.test(event.before) ? {} : { base: event.before }),
    };
  }
  if (name === 'schedule' || name === 'workflow_dispatch') return { kind: name };
  return { kind: 'ignored', reason: `tenancy does not act on ${name} events` };
}

/** The context as `key=value` lines for $GITHUB_OUTPUT. */
export function contextOutputs(context: WorkflowContext): string {
  const fields = context as unknown as Record<string, string | number | boolean | undefined>;
  return Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${String(v)}`).join('\n');
}
