import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendJobSummary, renderReapSummary } from '@tenancy/github';
import { mapLimit, offboardedTenants, offboardingKey, reap, reapDecisions, Repository, type ReapResult } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { offboardingClock } from './applied-state';
import { loadValidFleet } from './load-valid-fleet';
import type { ReapedFile } from './notify';
import { withTerraform } from './terraform-session';

export interface ReapOptions {
  readonly root: string;
  readonly asOf: Date;
  readonly apply: boolean;
  readonly offline: boolean;
  /** A file to append `due=<count>` to ($GITHUB_OUTPUT): the purge job runs, and asks its approval, only when something is due. */
  readonly dueOutput?: string;
}

/** Offboarded tenants from Git history: which wait, which are held, and the purge of those past retention. */
export async function reapCommand(options: ReapOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  const repository = new Repository(options.root);
  if (!(await repository.hasCommits().catch(() => false))) throw new UsageError(`${options.root} is not a Git repository with commits: offboardings are found in its history`);
  const now = new Date();
  if (options.apply && !options.offline && options.asOf.getTime() > now.getTime()) {
    throw new UsageError(`--as-of ${options.asOf.toISOString()} is in the future: a purge applies only what is due now (rehearse with --offline)`);
  }
  const offboarded = await offboardedTenants(repository);
  // The retention clock is when each offboarding was applied, as its apply recorded it beside the state.
  const clock = offboardingClock(options.root, fleet.platform, options.offline);
  const records = await mapLimit(offboarded, 8, async (o) => [offboardingKey(o.id, o.deletedIn), (await clock.read(o.id, o.deletedIn))?.appliedAt] as const).catch((error: Error) => {
    if (CREDENTIALS_MISSING.test(error.message) || CREDENTIALS_MISSING.test(error.name)) {
      throw new UsageError(`reaping reads when each offboarding was applied from the state bucket: it needs AWS credentials for the planner role, or --offline to rehearse it (${firstLine(error.message)})`);
    }
    throw error;
  });
  const applied = new Map(records.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
  const decisions = reapDecisions(offboarded, fleet.platform, fleet.tenants.map((t) => t.tenant), options.asOf, applied);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(`reaping as of ${options.asOf.toISOString()}: ${decisions.length} offboarded tenants, ${decisions.filter((d) => d.status === 'due').length} past retention`);
  const due = decisions.some((d) => d.status === 'due');
  if (options.dueOutput) appendFileSync(options.dueOutput, `due=${decisions.filter((d) => d.status === 'due').length}\n`);
  const results: ReapResult[] = due
    ? await withTerraform(options.root, options.offline, ({ terraform, offline }) =>
        reap(decisions, { outDir: workspaceDirs(options.root).out, terraform, ...(offline ? { offline } : {}), platform: fleet.platform, apply: options.apply, now }))
    : decisions.map((decision) => ({ decision }));
  const purged = results.filter((r) => r.purged).map((r) => ({ id: r.decision.tenant.id, deletedIn: r.decision.tenant.deletedIn }));
  if (purged.length) writeReaped(options.root, { purged });
  // Which tenants are due is read from Git; only planning their purge reaches AWS.
  const unplanned = options.apply ? [] : results.filter((r) => r.error && CREDENTIALS_MISSING.test(r.error));
  appendJobSummary(renderReapSummary(results, options.asOf));
  write(renderTable(['tenant', 'offboarded', 'retained until', 'status', 'plan'], results.map((result) => {
    const { decision, plan, purged, error } = result;
    return [
      decision.tenant.id, decision.appliedAt?.slice(0, 10) ?? 'not applied', decision.retainUntil?.slice(0, 10) ?? '-',
      unplanned.includes(result) ? 'due' : error ? 'FAILED' : purged ? 'purged' : decision.status === 'due' ? (options.apply ? 'rehearsed' : 'purge planned') : decision.status,
      unplanned.includes(result) ? 'purge not planned' : error ?? (plan ? `-${plan.destroy}${plan.destroys.length ? `: ${plan.destroys.join(', ')}` : ''}` : decision.detail),
    ];
  })));
  if (unplanned.length) write(`planning the purge needs AWS credentials for the planner role, or --offline to rehearse it: ${firstLine(unplanned[0]!.error!)}`);
  return results.some((r) => r.error && !unplanned.includes(r)) ? EXIT.invalid : EXIT.ok;
}

/** What the AWS SDK and Terraform's S3 backend say when no credentials are found or accepted. */
const CREDENTIALS_MISSING = /No valid credential sources found|Could not load credentials|CredentialsProviderError|failed to refresh cached credentials|NoCredentialProviders|InvalidClientTokenId|ExpiredToken|security token included in the request is (invalid|expired)/;

const firstLine = (error: string): string => error.split('\n').find((line) => CREDENTIALS_MISSING.test(line))?.trim() ?? error.split('\n')[0]!.trim();

/** The purged tenants, for `tenancy notify` to tell their contacts. */
function writeReaped(root: string, reaped: ReapedFile): void {
  mkdirSync(dirname(workspaceDirs(root).reaped), { recursive: true });
  writeFileSync(workspaceDirs(root).reaped, `${JSON.stringify(reaped, null, 1)}\n`);
}
