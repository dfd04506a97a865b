import { existsSync, readFileSync } from 'node:fs';
import { appendJobSummary, PLAN_COMMENT_MARKER, renderPlanComment, upsertStickyComment } from '@tenancy/github';
import type { PlanRun } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { filesUnder } from './files-under';
import { githubFrom } from './github-repository';

export interface CommentOptions {
  /** Folder holding every shard's run.json, at any depth (as download-artifact leaves them). */
  readonly runs: string;
  readonly pullRequest: number;
  /** Plan jobs the matrix made: fewer runs than this are called out as missing. */
  readonly shards?: number;
  readonly repository?: string;
  readonly artifactsUrl?: string;
}

/** Merges the shards' plan runs into one sticky pull request comment, edited in place, and the job summary. */
export async function commentCommand(options: CommentOptions): Promise<number> {
  const files = existsSync(options.runs) ? filesUnder(options.runs, (name) => name === 'run.json') : [];
  if (files.length === 0 && options.shards === undefined) throw new UsageError(`no run.json under ${options.runs}: did the plan jobs upload their results? (pass --shards 0 when the change reaches no stack)`);
  const runs = files.sort().map((f) => JSON.parse(readFileSync(f, 'utf8')) as PlanRun);
  const missingShards = Math.max(0, (options.shards ?? runs.length) - runs.length);
  const body = renderPlanComment(runs, { ...(options.artifactsUrl ? { artifactsUrl: options.artifactsUrl } : {}), missingShards });
  const { github, owner, repo } = githubFrom(options.repository);
  const { action, id } = await upsertStickyComment(github, { owner, repo, issueNumber: options.pullRequest, body, marker: PLAN_COMMENT_MARKER });
  appendJobSummary(body.replace(`${PLAN_COMMENT_MARKER}\n`, ''));
  process.stdout.write(`${action} comment ${id} on ${owner}/${repo}#${options.pullRequest} (${body.length} characters, ${runs.length} shards)\n`);
  if (missingShards) process.stderr.write(`tenancy: ${missingShards} of ${options.shards} plan jobs uploaded no run\n`);
  return missingShards ? EXIT.invalid : EXIT.ok;
}
