import type { GitHub } from './client';

/** The branch that holds rollout records and the notification outbox: never merged, one commit per update, so its history is their log. */
export const ROLLOUT_BRANCH = 'tenancy-rollouts';
export const ROLLOUT_FILE = 'rollout.json';
export const OUTBOX_FILE = 'notifications.json';

export interface RolloutBranchRef {
  readonly owner: string;
  readonly repo: string;
}

const status = (error: unknown) => (error as { status?: number }).status;

/** A file on the rollout branch, or undefined when there is no branch or no such file yet. */
export async function readBranchFile(github: GitHub, ref: RolloutBranchRef, path: string): Promise<string | undefined> {
  try {
    const { data } = await github.rest.repos.getContent({ ...ref, path, ref: ROLLOUT_BRANCH, headers: { accept: 'application/vnd.github.raw+json' } });
    return typeof data === 'string' ? data : Buffer.from((data as { content?: string }).content ?? '', 'base64').toString('utf8');
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/** Whether GitHub refused a write because the file changed since it was read. */
export const isWriteConflict = (error: unknown): boolean => status(error) === 409;

/**
 * Writes a file as a new commit on the rollout branch, creating the branch from `fromCommit` the
 * first time. The file's current blob is read first, so two writers cannot silently overwrite
 * each other: GitHub refuses (409) an update whose blob is not the current one.
 */
export async function writeBranchFile(github: GitHub, ref: RolloutBranchRef, path: string, content: string, message: string, fromCommit: string): Promise<void> {
  let sha: string | undefined;
  try {
    const { data } = await github.rest.repos.getContent({ ...ref, path, ref: ROLLOUT_BRANCH });
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
    ...ref, path, branch: ROLLOUT_BRANCH, message, content: Buffer.from(content).toString('base64'), ...(sha ? { sha } : {}),
  });
}

/** The record on the rollout branch, or undefined when there is no branch or no record yet. */
export const readRolloutBranch = (github: GitHub, ref: RolloutBranchRef) => readBranchFile(github, ref, ROLLOUT_FILE);

export const writeRolloutBranch = (github: GitHub, ref: RolloutBranchRef, content: string, message: string, fromCommit: string) =>
  writeBranchFile(github, ref, ROLLOUT_FILE, content, message, fromCommit);
