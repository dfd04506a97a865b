import type { GitHub } from './client';

export interface WorkflowRef {
  readonly owner: string;
  readonly repo: string;
  /** The workflow's file name, such as `apply.yml`, or its numeric id. */
  readonly workflow: string | number;
  readonly branch: string;
}

/**
 * The commit of the newest run of a workflow on a branch that succeeded, or undefined when there is
 * none. An apply diffs from it rather than from the push's `before`: GitHub drops a pending run
 * when a newer one queues in the same concurrency group, and a failed run applied only part of its
 * change, so `before` alone could leave changes behind. Only push runs count: a dispatched retry
 * applies a rollout's failures, not every commit up to the branch's head.
 */
export async function lastSuccessfulCommit(github: GitHub, ref: WorkflowRef): Promise<string | undefined> {
  const { data } = await github.rest.actions.listWorkflowRuns({
    owner: ref.owner, repo: ref.repo, workflow_id: ref.workflow, branch: ref.branch, event: 'push', status: 'success', per_page: 1,
  });
  return data.workflow_runs[0]?.head_sha;
}
