import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, InputError, UsageError } from './exit-codes';

const rootOption = () => new Option('--root <dir>', 'repository root holding platform.yaml and tenants/').default(process.cwd(), 'the current directory');
const repeatable = (value: string, previous: string[]) => [...previous, value];
const positiveInteger = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number >= 1, got ${v}`);
  return n;
};
const concurrencyOption = () => new Option('--concurrency <n>', 'stacks run at once').argParser(positiveInteger('--concurrency')).default(2);
const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

function program(setExit: (code: number) => void): Command {
  const cli = new Command('tenancy')
    .description('Tenants as YAML files: validate, synthesize, plan and apply their infrastructure.')
    .showHelpAfterError('(run "tenancy --help" for usage)')
    .exitOverride();

  cli.command('validate')
    .description('check platform.yaml and tenant files; every problem is reported with its file, line and column')
    .argument('[files...]', 'tenant files to report on (default: every file in tenants/)')
    .addOption(rootOption())
    .addOption(formatOption().choices(['text', 'json', 'github']))
    .action(async (files: string[], opts: { root: string; format: 'text' | 'json' | 'github' }) => {
      setExit(await (await import('./commands/validate')).validateCommand({ root: resolve(opts.root), files, format: opts.format }));
    });

  cli.command('changes')
    .description('what a range of commits asks of the fleet: onboard, upgrade, offboard, unchanged, and the stacks each reaches')
    .requiredOption('--base <ref>', 'the commit the change starts from')
    .requiredOption('--head <ref>', 'the commit the change ends at')
    .addOption(formatOption().choices(['table', 'json']).default('table'))
    .addOption(rootOption())
    .action(async (opts: { root: string; base: string; head: string; format: 'table' | 'json' }) => {
      setExit(await (await import('./commands/changes')).changesCommand({ root: resolve(opts.root), base: opts.base, head: opts.head, format: opts.format === 'json' ? 'json' : 'text' }));
    });

  cli.command('plan')
    .description('synthesize and plan named stacks, or the stacks a commit range reaches; saved plans are what apply applies')
    .option('--tenant <id>', 'plan every stack of a tenant (repeatable)', repeatable, [] as string[])
    .option('--cell <name>', 'plan a cell\'s stack (repeatable)', repeatable, [] as string[])
    .option('--pool <name>', 'plan a pool\'s stack (repeatable)', repeatable, [] as string[])
    .option('--base <ref>', 'plan what changed since this commit')
    .option('--head <ref>', 'up to this commit, which must be checked out')
    .option('--shard <k/n>', 'plan only this shard of the range, as tenancy matrix split it')
    .option('--stage-shard <k>', 'plan only job K of the rollout stage tenancy rollout next chose (as the deployer)')
    .addOption(new Option('--as <principal>', 'the control-plane principal: the read-only planner (review, drift), or the deployer (a plan that apply applies)').choices(['planner', 'deployer']).default('planner'))
    .option('--offline', 'no cloud credentials: local state, fake keys, AWS calls answered by a loopback stand-in', false)
    .addOption(concurrencyOption())
    .addOption(rootOption())
    .action(async (opts: { root: string; tenant: string[]; cell: string[]; pool: string[]; base?: string; head?: string; shard?: string; stageShard?: string; as: 'planner' | 'deployer'; offline: boolean; concurrency: number }) => {
      const root = resolve(opts.root);
      const only = opts.stageShard ? (await import('./commands/rollout')).stageShardUnits(root, opts.stageShard) : undefined;
      setExit(await (await import('./commands/plan')).planCommand({
        root, tenants: opts.tenant, cells: opts.cell, pools: opts.pool,
        ...(opts.base ? { base: opts.base } : {}), ...(opts.head ? { head: opts.head } : {}), ...(opts.shard ? { shard: opts.shard } : {}), ...(only ? { only } : {}),
        principal: opts.as, offline: opts.offline, concurrency: opts.concurrency,
      }));
    });

  cli.command('matrix')
    .description('the plan jobs of a commit range (or the drift jobs of the whole fleet) as a GitHub Actions matrix: at most 256, balanced by stacks to plan')
    .option('--base <ref>', 'the commit the change starts from')
    .option('--head <ref>', 'the commit the change ends at')
    .option('--all', 'every tenant, cell and pool, for tenancy drift', false)
    .addOption(new Option('--max-jobs <n>', 'most jobs').argParser(Number).default(256))
    .addOption(rootOption())
    .action(async (opts: { root: string; base?: string; head?: string; all: boolean; maxJobs: number }) => {
      const root = resolve(opts.root);
      if (opts.all && (opts.base || opts.head)) throw new UsageError('--all takes no --base or --head');
      if (opts.all) return setExit(await (await import('./commands/matrix')).matrixCommand({ root, all: true, maxJobs: opts.maxJobs }));
      if (!opts.base || !opts.head) throw new UsageError('give --base and --head, or --all');
      setExit(await (await import('./commands/matrix')).matrixCommand({ root, base: opts.base, head: opts.head, maxJobs: opts.maxJobs }));
    });

  cli.command('doctor')
    .description("read the repository's settings through GitHub's API and report what the trust chain needs: the OIDC subject, the production and purge environments' reviewers and branches, the rollout branch's protection (GITHUB_TOKEN of an administrator)")
    .option('--repository <owner/name>', "repository (default: platform.yaml's controlPlane.repository)")
    .addOption(rootOption())
    .action(async (opts: { root: string; repository?: string }) => {
      setExit(await (await import('./commands/doctor')).doctorCommand({ root: resolve(opts.root), ...(opts.repository ? { repository: opts.repository } : {}) }));
    });

  cli.command('runners')
    .description('the runner labels of jobs that reach cluster APIs (platform.yaml controlPlane.runners): a runners= line for $GITHUB_OUTPUT')
    .addOption(rootOption())
    .action(async (opts: { root: string }) => {
      setExit((await import('./commands/runners')).runnersCommand({ root: resolve(opts.root) }));
    });

  cli.command('ci-context')
    .description('what a workflow run works on, from its event: key=value lines for $GITHUB_OUTPUT')
    .option('--event <name>', 'event name (default: $GITHUB_EVENT_NAME)')
    .option('--payload <file>', 'event payload (default: $GITHUB_EVENT_PATH)')
    .option('--since-last-success <workflow>', 'for a push, start at the commit of this workflow\'s last successful run on the branch (needs GITHUB_TOKEN)')
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .addOption(rootOption())
    .action(async (opts: { root: string; event?: string; payload?: string; sinceLastSuccess?: string; repository?: string }) => {
      setExit(await (await import('./commands/ci-context')).ciContextCommand({
        root: resolve(opts.root), ...(opts.event ? { event: opts.event } : {}), ...(opts.payload ? { payload: opts.payload } : {}),
        ...(opts.sinceLastSuccess ? { sinceLastSuccess: opts.sinceLastSuccess } : {}), ...(opts.repository ? { repository: opts.repository } : {}),
      }));
    });

  cli.command('comment')
    .description('post the merged plan of every shard as one sticky pull request comment, and the job summary')
    .requiredOption('--runs <dir>', 'folder holding the shards\' run.json files')
    .requiredOption('--pr <number>', 'pull request number', Number)
    .addOption(new Option('--shards <n>', 'plan jobs the matrix made; fewer runs are called out as missing').argParser(Number))
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option('--artifacts-url <url>', 'link to the run\'s artifacts')
    .action(async (opts: { runs: string; pr: number; shards?: number; repository?: string; artifactsUrl?: string }) => {
      if (opts.shards !== undefined && (!Number.isInteger(opts.shards) || opts.shards < 0)) throw new UsageError(`--shards must be a whole number, got ${opts.shards}`);
      setExit(await (await import('./commands/comment')).commentCommand({ runs: resolve(opts.runs), pullRequest: opts.pr, ...(opts.shards !== undefined ? { shards: opts.shards } : {}), ...(opts.repository ? { repository: opts.repository } : {}), ...(opts.artifactsUrl ? { artifactsUrl: opts.artifactsUrl } : {}) }));
    });

  cli.command('drift')
    .description('plan every tenant, cell and pool (or one shard) as the repository has them, with -detailed-exitcode, and record drift')
    .option('--shard <k/n>', 'only this shard of the fleet')
    .option('--out <file>', 'results file (default: .tenancy/drift/results.json)')
    .option('--offline', 'no cloud credentials', false)
    .addOption(concurrencyOption())
    .addOption(rootOption())
    .action(async (opts: { root: string; shard?: string; out?: string; offline: boolean; concurrency: number }) => {
      const root = resolve(opts.root);
      setExit(await (await import('./commands/drift')).driftCommand({ root, ...(opts.shard ? { shard: opts.shard } : {}), out: resolve(opts.out ?? join(root, '.tenancy', 'drift', 'results.json')), offline: opts.offline, concurrency: opts.concurrency }));
    });

  cli.command('drift-report')
    .description('open, update or close one drift issue per tenant from the drift results of every shard')
    .requiredOption('--results <dir>', 'folder holding the shards\' results files')
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .action(async (opts: { results: string; repository?: string }) => {
      setExit(await (await import('./commands/drift')).driftReportCommand({ results: resolve(opts.results), ...(opts.repository ? { repository: opts.repository } : {}) }));
    });

  cli.command('apply')
    .description('apply the saved plans of the last tenancy plan, refusing stale ones; fleet-wide changes roll out in waves')
    .option('--tenant <id>', 'apply only this tenant\'s plans (repeatable)', repeatable, [] as string[])
    .option('--cell <name>', 'apply only this cell\'s plan (repeatable)', repeatable, [] as string[])
    .option('--pool <name>', 'apply only this pool\'s plan (repeatable)', repeatable, [] as string[])
    .option('--offline', 'rehearse without cloud credentials: every check runs, nothing is changed', false)
    .option('--now <time>', 'the time maintenance windows are checked against (default: now)')
    .option('--no-waves', 'apply fleet-wide changes at once, without waves or gates: a job of a staged rollout, which tenancy rollout gate judges')
    .addOption(concurrencyOption().default(4))
    .addOption(rootOption())
    .action(async (opts: { root: string; tenant: string[]; cell: string[]; pool: string[]; offline: boolean; now?: string; waves: boolean; concurrency: number }) => {
      setExit(await (await import('./commands/apply')).applyCommand({
        root: resolve(opts.root), tenants: [...opts.tenant, ...opts.cell.map((c) => `cell-${c}`), ...opts.pool.map((p) => `pool-${p}`)], offline: opts.offline, concurrency: opts.concurrency,
        now: (await import('./commands/apply')).parseNow(opts.now), waves: opts.waves,
      }));
    });

  const rollout = cli.command('rollout').description('the record of the last rollout: status, retry of its failures, and its copy on the tenancy-rollouts branch');
  rollout.command('status')
    .description('how far the last rollout got: stacks applied, failed, skipped and pending, and why it halted')
    .option('--all', 'list applied stacks too', false)
    .addOption(rootOption())
    .action(async (opts: { root: string; all: boolean }) => {
      setExit((await import('./commands/rollout')).rolloutStatusCommand({ root: resolve(opts.root), all: opts.all }));
    });
  rollout.command('retry')
    .description('plan again and apply only the tenants and shared stacks of the rollout with a failed stack')
    .requiredOption('--failed', 'retry the failed ones (the only kind of retry)')
    .option('--offline', 'rehearse without cloud credentials: every check runs, nothing is changed', false)
    .option('--now <time>', 'the time maintenance windows are checked against (default: now)')
    .addOption(concurrencyOption().default(4))
    .addOption(rootOption())
    .action(async (opts: { root: string; offline: boolean; now?: string; concurrency: number }) => {
      setExit(await (await import('./commands/rollout')).rolloutRetryCommand({ root: resolve(opts.root), offline: opts.offline, concurrency: opts.concurrency, now: (await import('./commands/apply')).parseNow(opts.now) }));
    });
  rollout.command('pull')
    .description('bring the rollout record from the tenancy-rollouts branch (needs GITHUB_TOKEN), or from an artifact folder')
    .option('--from <dir>', 'take the rollout.json found in this folder (an artifact another job of the run uploaded)')
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option('--offline', 'check the record\'s applied stacks against the offline state, not the state bucket')
    .addOption(rootOption())
    .action(async (opts: { root: string; from?: string; repository?: string; offline?: boolean }) => {
      setExit(await (await import('./commands/rollout')).rolloutPullCommand({
        root: resolve(opts.root), ...(opts.from ? { from: resolve(opts.from) } : {}), ...(opts.repository ? { repository: opts.repository } : {}), offline: opts.offline ?? false,
      }));
    });
  rollout.command('next')
    .description('choose the next stage of the rollout (cells and pools, own changes, then each wave) and split it into jobs: stage=, matrix=, shards= and base= lines')
    .option('--base <ref>', 'the change starts here (default: the rollout record\'s base, for a run that continues it)')
    .option('--max-jobs <n>', 'most jobs of the stage\'s matrix', (v) => Number(v), 256)
    .addOption(rootOption())
    .action(async (opts: { root: string; base?: string; maxJobs: number }) => {
      setExit(await (await import('./commands/rollout-stage')).rolloutNextCommand({ root: resolve(opts.root), ...(opts.base ? { base: opts.base } : {}), maxJobs: opts.maxJobs }));
    });
  rollout.command('gate')
    .description('judge the stage the jobs applied: merge their records, bake, check health, halt or go on; a continue= line')
    .requiredOption('--parts <dir>', 'folder holding each job\'s rollout.json')
    .option('--offline', 'alarms from the offline stand-in', false)
    .addOption(rootOption())
    .action(async (opts: { root: string; parts: string; offline: boolean }) => {
      setExit(await (await import('./commands/rollout-stage')).rolloutGateCommand({ root: resolve(opts.root), parts: resolve(opts.parts), offline: opts.offline }));
    });
  rollout.command('continue')
    .description('dispatch the apply workflow again for the rollout\'s next stage (needs GITHUB_TOKEN with actions: write)')
    .option('--workflow <file>', 'the workflow to dispatch', 'apply.yml')
    .option('--ref <branch>', 'the branch it runs on (default: $GITHUB_REF_NAME)')
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .action(async (opts: { workflow: string; ref?: string; repository?: string }) => {
      setExit(await (await import('./commands/rollout-stage')).rolloutContinueCommand({ workflow: opts.workflow, ref: opts.ref ?? process.env.GITHUB_REF_NAME ?? 'main', ...(opts.repository ? { repository: opts.repository } : {}) }));
    });
  rollout.command('push')
    .description('write the rollout record to the tenancy-rollouts branch, one commit per update (needs GITHUB_TOKEN with contents: write)')
    .option('--repository <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .addOption(rootOption())
    .action(async (opts: { root: string; repository?: string }) => {
      setExit(await (await import('./commands/rollout')).rolloutPushCommand({ root: resolve(opts.root), ...(opts.repository ? { repository: opts.repository } : {}) }));
    });

  cli.command('reap')
    .description('find offboarded tenants in Git history; plan (or with --apply, carry out) the purge of data past retention and not under legal hold')
    .option('--as-of <date>', 'the date retention is checked against (default: now)')
    .option('--apply', 'destroy the data of tenants past retention', false)
    .option('--offline', 'no cloud credentials: plans only, against the loopback stand-in', false)
    .option('--due-output <file>', 'append due=<count of tenants past retention> to this file, such as $GITHUB_OUTPUT')
    .addOption(rootOption())
    .action(async (opts: { root: string; asOf?: string; apply: boolean; offline: boolean; dueOutput?: string }) => {
      setExit(await (await import('./commands/reap')).reapCommand({
        root: resolve(opts.root), asOf: (await import('./commands/apply')).parseNow(opts.asOf), apply: opts.apply, offline: opts.offline, ...(opts.dueOutput ? { dueOutput: opts.dueOutput } : {}),
      }));
    });

  cli.command('notify')
    .description('tell customers (email, signed webhook) and operators what the last rollout and purge did: each notice recorded before it is sent, sent once')
    .option('--dry-run', 'print what would be sent; record and send nothing', false)
    .option('--base <ref>', 'with --dry-run: the range to read instead of the rollout record')
    .option('--head <ref>', 'with --dry-run: the end of that range')
    .option('--offline', 'record the notices and send nothing (no network)', false)
    .option('--repository <owner/name>', 'keep the outbox on this repository\'s tenancy-rollouts branch (default: GITHUB_REPOSITORY; without either, only .tenancy/notifications.json)')
    .option('--webhook-key <tenant>', 'print the key the tenant\'s webhooks are signed with, derived from the webhook secret in the environment, to give its customer')
    .addOption(rootOption())
    .action(async (opts: { root: string; dryRun: boolean; base?: string; head?: string; offline: boolean; repository?: string; webhookKey?: string }) => {
      setExit(await (await import('./commands/notify')).notifyCommand({
        root: resolve(opts.root), dryRun: opts.dryRun, offline: opts.offline, now: () => new Date(),
        ...(opts.base ? { base: opts.base } : {}), ...(opts.head ? { head: opts.head } : {}), ...(opts.repository ? { repository: opts.repository } : {}),
        ...(opts.webhookKey ? { webhookKeyFor: opts.webhookKey } : {}),
      }));
    });

  cli.command('schema')
    .description('write the JSON Schemas in schema/ and docs/tenant-file.md from the models')
    .option('--check', 'fail when the files are out of date instead of writing them', false)
    .addOption(rootOption())
    .action(async (opts: { root: string; check: boolean }) => {
      setExit((await import('./commands/schema')).schemaCommand({ root: resolve(opts.root), check: opts.check }));
    });

  cli.command('synth')
    .description('synthesize Terraform JSON stacks: one folder per stack under the out dir')
    .option('--tenant <id>', 'a tenant to synthesize (repeatable)', repeatable, [] as string[])
    .option('--cell <name>', 'a cell to synthesize (repeatable)', repeatable, [] as string[])
    .option('--pool <name>', 'a pool to synthesize (repeatable)', repeatable, [] as string[])
    .option('--all', 'every tenant, cell and pool', false)
    .option('--control-plane', 'also the control plane: the control-plane stack and the provider and platform accounts\' role stacks, which a person applies once', false)
    .option('--out <dir>', 'output folder (default: .tenancy/out)')
    .addOption(new Option('--backend <backend>', 'where stacks keep state').choices(['s3', 'local']).default('s3'))
    .option('--purge <id>', 'synthesize this tenant\'s data stack in purge mode, destroyable (repeatable)', repeatable, [] as string[])
    .addOption(new Option('--threads <n>', 'threads synthesizing tenants at once (default: the machine\'s cores, at most one per 50 tenants)').argParser(positiveInteger('--threads')))
    .option('--base <ref>', 'only the stacks that changed since this commit, as its plan would synthesize them')
    .option('--head <ref>', 'up to this commit, which must be checked out')
    .addOption(rootOption())
    .action(async (opts: { root: string; tenant: string[]; cell: string[]; pool: string[]; all: boolean; controlPlane: boolean; out?: string; backend: 's3' | 'local'; purge: string[]; threads?: number; base?: string; head?: string }) => {
      if (opts.base !== undefined || opts.head !== undefined) {
        const others = opts.all || opts.controlPlane || [...opts.tenant, ...opts.cell, ...opts.pool, ...opts.purge].length > 0 || opts.backend === 'local' || opts.threads !== undefined;
        if (others || !opts.base || !opts.head) throw new UsageError('synthesize a commit range with --base and --head (and --out), or stacks by name or --all, not both');
        setExit(await (await import('./commands/synth-range')).synthRangeCommand({ root: resolve(opts.root), base: opts.base, head: opts.head, ...(opts.out ? { out: resolve(opts.out) } : {}) }));
        return;
      }
      setExit(await (await import('./commands/synth')).synthCommand({
        root: resolve(opts.root), tenants: opts.tenant, cells: opts.cell, pools: opts.pool, all: opts.all, controlPlane: opts.controlPlane,
        ...(opts.out ? { out: resolve(opts.out) } : {}), backend: opts.backend, purge: opts.purge, ...(opts.threads ? { threads: opts.threads } : {}),
      }));
    });

  cli.command('bootstrap')
    .description('write what a customer deploys to let the planner and the deployer into their account: a CloudFormation template, or Terraform')
    .argument('<tenant>', 'a customer-account tenant')
    .addOption(new Option('--format <format>', 'CloudFormation template, or Terraform configuration').choices(['cloudformation', 'terraform']).default('cloudformation'))
    .option('--out <path>', 'template file, or folder for Terraform (default: .tenancy/bootstrap/<account>-<role>.template.json, .tenancy/bootstrap/terraform/)')
    .addOption(rootOption())
    .action(async (tenant: string, opts: { root: string; format: 'cloudformation' | 'terraform'; out?: string }) => {
      setExit(await (await import('./commands/bootstrap')).bootstrapCommand({ root: resolve(opts.root), tenant, format: opts.format, ...(opts.out ? { out: resolve(opts.out) } : {}) }));
    });

  cli.command('start')
    .description('the quick start on the example fleet')
    .addOption(rootOption())
    .action(async (opts: { root: string }) => {
      setExit(await (await import('./commands/start')).startCommand({ root: resolve(opts.root) }));
    });

  return cli;
}

/** Runs the command line; returns the exit code. Never lets a stack trace reach the user unless TENANCY_DEBUG is set. */
export async function main(argv: readonly string[]): Promise<number> {
  // The pinned AWS SDK runs on Node 20, which engines admits; its warning that later releases will
  // not would reach every command's output. The README says so instead (Install).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let exitCode: number = EXIT.ok;
  try {
    await program((code) => { exitCode = code; }).parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`tenancy: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      process.stderr.write(`tenancy: ${error.message}\n`);
      return EXIT.invalid;
    }
    process.stderr.write(`tenancy: internal error: ${(error as Error).message ?? String(error)}\n`);
    if (process.env.TENANCY_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    else process.stderr.write('tenancy: set TENANCY_DEBUG=1 to see where it happened, and report it\n');
    return EXIT.usage;
  }
}
