import type { GitHub } from './client';

/** The branch that holds rollout records: never merged, one commit per update, so its history is the rollouts' log. */
export const ROLLOUT_BRANCH = 'tenancy-rollouts';
export const ROLLOUT_FILE = 'rollout.json';

export interface RolloutBranchRef {
  readonly owner: string;
  readonly repo: string;
}

const status = (error: unknown) => (error as { status?: number }).status;

/** The record on the rollout branch, or undefined when there is no branch or no record yet. */
export async function readRolloutBranch(github: GitHub, ref: RolloutBranchRef): Promise<string | undefined> {
  try {
    const { data } = await github.rest.repos.getContent({ ...ref, path: ROLLOUT_FILE, ref: ROLLOUT_BRANCH, headers: { accept: 'application/vnd.github.raw+json' } });
    return typeof data === 'string' ? data : Buffer.from((data as { content?: string }).content ?? '', 'base64').toString('utf8');
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Writes the record as a new commit on the rollout branch, creating the branch from `fromCommit`
 * the first time. The file's current blob is read first, so two writers cannot silently
 * overwrite each other: GitHub refuses an update whose blob is not the current one.
 */
export async function writeRolloutBranch(github: GitHub, ref: RolloutBranchRef, content: string, message: string, fromCommit: string): Promise<void> {
  let sha: string | undefined;
  try {
    const { data } = await github.rest.repos.getContent({ ...ref, path: ROLLOUT_FILE, ref: ROLLOUT_BRANCH });
    sha = (data as { sha?: string }).sha;
  } catch (error) {
    if (status(error) !== 404) throw error;
    try {
      await github.rest.git.getRef({ ...ref, ref: `heads/${ROLLOUT_BRANCH}` });
    } catch (missing) {
      if (status(missing) !== 404) throw missing;
      await github.rest.git.createRef({ ...ref, ref: `refs/heads/${ROLLOUT_BRANCH}`, sha: fromCommit });
    }
  }
  await github.rest.repos.createOrUpdateFileContents({
    ...ref, path: ROLLOUT_FILE, branch: ROLLOUT_BRANCH, message, content: Buffer.from(content).toString('base64'), ...(sha ? { sha } : {}),
  });
}
