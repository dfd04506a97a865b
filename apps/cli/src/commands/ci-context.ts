import { readFileSync } from 'node:fs';
import { contextOutputs, eventContext, lastSuccessfulCommit, type WorkflowContext } from '@tenancy/github';
import { Repository } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { githubFrom } from './github-repository';

export interface CiContextOptions {
  readonly root: string;
  /** @default $GITHUB_EVENT_NAME */
  readonly event?: string;
  /** @default $GITHUB_EVENT_PATH */
  readonly payload?: string;
  /**
   * For a push: start the change at the commit of this workflow's last successful run on the
   * branch, when it is an ancestor of the pushed commit, instead of at the push's `before`.
   */
  readonly sinceLastSuccess?: string;
  readonly repository?: string;
}

/** Prints what the workflow run works on (`key=value` lines for $GITHUB_OUTPUT), from its event. */
export async function ciContextCommand(options: CiContextOptions): Promise<number> {
  const event = options.event ?? process.env.GITHUB_EVENT_NAME;
  const path = options.payload ?? process.env.GITHUB_EVENT_PATH;
  if (!event || !path) throw new UsageError('no event: pass --event and --payload, or run in GitHub Actions');
  const payload: unknown = JSON.parse(readFileSync(path, 'utf8'));
  let context = eventContext(event, payload);
  if (context.kind === 'push') context = await pushBase(context, branchOf(payload), options);
  process.stdout.write(`${contextOutputs(context)}\n`);
  return EXIT.ok;
}

type Push = Extract<WorkflowContext, { kind: 'push' }>;

function branchOf(payload: unknown): string {
  return (payload as { ref: string }).ref.replace(/^refs\/heads\//, '');
}

async function pushBase(context: Push, branch: string, options: CiContextOptions): Promise<Push> {
  const repository = new Repository(options.root);
  if (options.sinceLastSuccess) {
    const { github, owner, repo } = githubFrom(options.repository);
    const applied = await lastSuccessfulCommit(github, { owner, repo, workflow: options.sinceLastSuccess, branch });
    if (applied && await repository.isAncestor(applied, context.head)) return { ...context, base: applied, baseFrom: 'last-success' };
    if (applied) process.stderr.write(`tenancy: the last successful ${options.sinceLastSuccess} run was at ${applied}, not an ancestor of ${context.head} (history rewritten, or a shallow clone); using the push's before\n`);
  }
  if (context.base) return { ...context, baseFrom: 'push' };
  const parent = await repository.parent(context.head);
  if (!parent) throw new UsageError(`${context.head} is the first commit: there is nothing to compare it with; plan the fleet with tenancy plan --tenant`);
  return { ...context, base: parent, baseFrom: 'parent' };
}
