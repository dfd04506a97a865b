import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, vi } from 'vitest';
import { GitHubStandIn, webhookPayload, type BranchState } from '@tenancy/github/testing';
import { findToolchain, offlineGap, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { rehearseWorkflow, type StepResult } from './workflow-rehearsal';

/** Why the rehearsals cannot run here (no Terraform or provider mirror), or undefined when they can. */
export const rehearsalGap = offlineGap(findToolchain());
if (rehearsalGap) console.warn(`\n*** SKIPPING the workflow rehearsals: ${rehearsalGap} ***\n`);

export const PLAN_STAGE_JOB = 'npx tenancy plan --as deployer --base "$BASE" --head HEAD --stage-shard "$JOB" --concurrency 4';
export const APPLY_STAGE_JOB = 'npx tenancy apply --no-waves --concurrency "$CONCURRENCY"';
export const GATE_STEP = 'npx tenancy rollout gate --parts .tenancy/rollout-parts >> "$GITHUB_OUTPUT"';
export const NEXT_STEP = 'npx tenancy rollout next --base "$BASE" >> "$GITHUB_OUTPUT"';

export const ran = (results: StepResult[]) => results.filter((r) => r.status !== 'skipped');
export const failures = (results: StepResult[]) => results.filter((r) => r.status !== 'skipped' && r.status !== 0).map((r) => `${r.job}: ${r.command}\n${r.stderr}`);
export const stepOf = (results: StepResult[], command: string) => ran(results).find((r) => r.command === command)!;
export const statuses = (r: RolloutRecord) => Object.fromEntries(Object.entries(r.stacks).map(([name, s]) => [name, s.status]));
export const stageOf = (run: StepResult[]) => /^rollout \w{12}: stage (\S+),/m.exec(stepOf(run, NEXT_STEP).stderr)?.[1];

export const pushEvent = (before: string, after: string) => {
  const payload = webhookPayload<{ ref: string; repository: { default_branch: string } }>('push', (p) => p.ref === `refs/heads/${p.repository.default_branch}`);
  return { name: 'push', payload: Object.assign(payload, { before, after, created: false }) };
};
export const dispatchEvent = { name: 'workflow_dispatch', payload: webhookPayload('workflow_dispatch') };

/** A new runner for every run: nothing of the last run's workspace but what the rollout branch kept. */
const freshRunner = (repo: FleetRepo) => rmSync(join(repo.root, '.tenancy'), { recursive: true, force: true });

/**
 * What every rehearsal file shares, set up by hooks of the calling `describe`: the GitHub stand-in
 * (reset before each test), a health endpoint answering 503 for the tenants in `unhealthy`, and
 * repositories removed after the file. The rehearsals are split over several files so that vitest
 * runs them side by side; each file starts its own servers.
 */
export function rehearsalContext() {
  // The rehearsals run each workflow's steps for real, Terraform included: minutes, not seconds.
  vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });
  const context = {
    api: undefined as unknown as GitHubStandIn,
    healthUrl: '',
    unhealthy: new Set<string>(),
    repos: [] as FleetRepo[],
    async repo(): Promise<FleetRepo> {
      const repo = await FleetRepo.create();
      context.repos.push(repo);
      return repo;
    },
    record: () => JSON.parse(context.api.files.get('tenancy-rollouts:rollout.json')!.content) as RolloutRecord,
    /**
     * Runs apply.yml for an event, then for every dispatch its gate asks for (the next stage), as
     * GitHub would one after another in the concurrency group. One run's results per stage.
     */
    async rollOut(repo: FleetRepo, event: { name: string; payload: object }, inputs: Record<string, string> = {}): Promise<StepResult[][]> {
      const { api } = context;
      const runs = [await rehearseWorkflow('apply.yml', { root: repo.root, event, inputs, apiUrl: api.url })];
      while (api.dispatches.length) {
        const dispatch = api.dispatches.shift()!;
        expect(dispatch).toEqual({ workflow: 'apply.yml', ref: 'main', inputs: { continue: 'true' } });
        runs.push(await rehearseWorkflow('apply.yml', { root: repo.root, event: dispatchEvent, inputs: { continue: 'true' }, apiUrl: api.url }));
      }
      return runs;
    },
    /**
     * A push holding a fleet-wide change and a tenant's own: the basic tier's retention reaches the
     * data stacks of wonka (stable's canary), stark and cyberdyne in waves, acme's cost center its
     * data stack at once. AWS stacks all, so Terraform plans them offline.
     */
    async pushedRollout() {
      const repo = await context.repo();
      const before = await repo.commit('nothing', () => undefined);
      const after = await repo.commit('longer retention for basic, health-checked waves; acme moves cost center', (r) => {
        r.edit('platform.yaml', '  basic:\n    deployments: [multi-tenant]\n    retentionDays: 30\n', '  basic:\n    deployments: [multi-tenant]\n    retentionDays: 45\n');
        r.edit('platform.yaml', '  stable:\n    version: 2.14.1\n', `  stable:\n    version: 2.14.1\n    health:\n      url: ${context.healthUrl}\n      private: true\n`);
        r.edit('tenants/acme.yaml', 'cost-center: "4410"', 'cost-center: "4411"');
      });
      return { repo, push: () => { freshRunner(repo); return context.rollOut(repo, pushEvent(before, after)); } };
    },
    /**
     * The pushed rollout with its canary unhealthy, halted after stable/canary. Pushed once per
     * file: each caller gets the push's runs, a copy of the repository, and the rollout branch as
     * the push left it, so what one test does next is never seen by another.
     */
    async haltedRollout() {
      halted ??= (async () => {
        context.unhealthy.add('wonka');
        const { repo, push } = await context.pushedRollout();
        const runs = await push();
        context.unhealthy.delete('wonka');
        return { repo, runs, branches: context.api.branchState() };
      })();
      const { repo, runs, branches } = await halted;
      context.api.restoreBranches(branches);
      const copy = repo.copy();
      context.repos.push(copy);
      return { runs, dispatch: (inputs: Record<string, string>) => { freshRunner(copy); return context.rollOut(copy, dispatchEvent, inputs); } };
    },
  };
  let halted: Promise<{ repo: FleetRepo; runs: StepResult[][]; branches: BranchState }> | undefined;
  let health: Server;
  beforeAll(async () => {
    context.api = await GitHubStandIn.start();
    health = createServer((req, res) => { res.statusCode = context.unhealthy.has(req.url!.split('/')[1]!) ? 503 : 200; res.end(); });
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    context.healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/{tenant}/healthz`;
  });
  beforeEach(() => {
    context.api.reset();
    context.unhealthy.clear();
  });
  afterAll(async () => {
    for (const repo of context.repos) repo.dispose();
    await context.api.close();
    await new Promise((resolve) => health.close(resolve));
  });
  return context;
}
