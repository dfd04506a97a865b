import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findToolchain, OfflineSession, offlineGap, terraformFor, type TerraformCli } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../testing/run-cli';

// A tenant's whole life through real Terraform plans: minutes, not seconds.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const gap = offlineGap(findToolchain());
if (gap) console.warn(`\n*** SKIPPING the end-to-end lifecycle test: ${gap} ***\n`);

/**
 * Onboard, upgrade, offboard and reap one tenant in a real Git repository, through the tenancy
 * command, with real Terraform offline. Offline nothing can be applied in AWS: an apply's
 * rehearsal writes the state it would have left, so the plans that follow see real resources to
 * destroy, and records when an offboarding was applied, which starts the data's retention clock.
 */
describe.skipIf(gap !== undefined)('a tenant\'s life, through tenancy, in a real repository', () => {
  let repo: FleetRepo;
  let terraform: TerraformCli;
  const tenancy = (...args: string[]) => runCli([...args, '--root', repo.root]);
  const commits: string[] = [];

  beforeAll(async () => {
    repo = await FleetRepo.create('2026-01-05T10:00:00Z');
    commits.push('HEAD');
    const toolchain = findToolchain()!;
    terraform = terraformFor(toolchain, join(repo.root, '.tenancy', 'terraform.rc'));
  });
  afterAll(() => repo.dispose());

  /** Onboards: every stack of the new tenant is planned, and applied in order. */
  async function onboard(): Promise<void> {
    const base = await repo.commit('keep', () => undefined, '2026-01-05T11:00:00Z');
    await repo.commit('onboard newco', (r) => r.write('tenants/newco.yaml', r.read('tenants/soylent.yaml').replace('id: soylent', 'id: newco').replace('INV-2041', 'INV-3000')), '2026-01-06T10:00:00Z');
    const changes = tenancy('changes', '--base', base, '--head', 'HEAD');
    expect(changes.stdout).toMatch(/newco\s+onboard\s+data, compute, workload\s+new tenant/);
    const review = tenancy('plan', '--base', base, '--head', 'HEAD', '--offline');
    expect(review.status, review.stderr + review.stdout).toBe(0);
    expect(review.stdout).toContain('as the planner');
    const refused = tenancy('apply', '--offline');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/newco: stale - refused: planned as the planner, which cannot change anything: plan again with --as deployer/);
    const plan = tenancy('plan', '--as', 'deployer', '--base', base, '--head', 'HEAD', '--offline');
    expect(plan.status, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/newco\s+tenant-newco-data\s+apply\s+\+49 ~0 -0/);
    expect(plan.stdout).toMatch(/newco\s+tenant-newco-compute\s+apply\s+\+18 ~0 -0/);
    const apply = tenancy('apply', '--offline');
    expect(apply.status, apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/newco\s+rehearsed\s+-\s+data:applied compute:applied/);
  }

  /** Upgrades: only the stack the edit reaches; a plan made before the last commit is refused. */
  async function upgrade(): Promise<void> {
    const base = await repo.commit('keep', () => undefined, '2026-01-07T10:00:00Z');
    await repo.commit('more api replicas', (r) => r.edit('tenants/newco.yaml', '    replicas: 2\n', '    replicas: 4\n'), '2026-01-08T10:00:00Z');
    const changes = tenancy('changes', '--base', base, '--head', 'HEAD', '--format', 'json');
    const newco = (JSON.parse(changes.stdout) as { tenants: { id: string; kind: string; work: { stack: string }[] }[] }).tenants.find((t) => t.id === 'newco')!;
    expect(newco).toMatchObject({ kind: 'upgrade', work: [{ stack: 'tenant-newco-workload' }] });

    expect(tenancy('plan', '--as', 'deployer', '--tenant', 'stark', '--offline').status).toBe(0);
    await repo.commit('another change', (r) => r.edit('tenants/stark.yaml', 'cpu: 250m', 'cpu: 300m'), '2026-01-09T10:00:00Z');
    const stale = tenancy('apply', '--offline');
    expect(stale.status).toBe(1);
    expect(stale.stdout).toMatch(/stark: stale - refused: planned at \w{12}, but the repository is at \w{12}: plan again/);
  }

  /**
   * Offboards: workload and compute destroyed resource by resource, the data kept for its
   * retention from when the offboarding is applied, whatever date its commit claims.
   */
  async function offboard(): Promise<void> {
    const base = await repo.commit('keep', () => undefined, '2026-01-31T10:00:00Z');
    await repo.commit('offboard newco', (r) => r.remove('tenants/newco.yaml'), '2020-02-01T10:00:00Z');
    const changes = tenancy('changes', '--base', base, '--head', 'HEAD');
    expect(changes.stdout).toMatch(/newco\s+offboard\s+-workload, -compute\s+data kept 365 days from when the offboarding is applied/);
    const plan = tenancy('plan', '--base', base, '--head', 'HEAD', '--offline');
    expect(plan.status, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/newco\s+tenant-newco-compute\s+destroy\s+\+0 ~0 -18\s+aws_cloudwatch_log_group\.cluster_logs, aws_eks_access_entry\.cluster_planner-access/);
    expect(plan.stdout).not.toContain('tenant-newco-data');
    // A commit dated 2020 makes nothing due: until an apply records the offboarding, the clock has not started.
    expect(tenancy('reap', '--as-of', '2030-01-01', '--offline').stdout).toMatch(/newco\s+not applied\s+-\s+unapplied\s+no apply recorded its offboarding/);
    const deployer = tenancy('plan', '--as', 'deployer', '--base', base, '--head', 'HEAD', '--offline');
    expect(deployer.status, deployer.stdout).toBe(0);
    const apply = tenancy('apply', '--offline');
    expect(apply.status, apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/newco\s+rehearsed\s+-\s+-compute:applied\s+offboarded at \d{4}-\d\d-\d\dT/);
  }

  /** Never lets Terraform destroy the data stack outside purge mode. */
  async function neverDestroyDataOutsidePurge(): Promise<void> {
    const dir = join(repo.root, '.tenancy', 'out', 'tenant-newco-data');
    const session = await OfflineSession.start(join(repo.root, '.tenancy', 'offline-state'));
    try {
      session.prepare(dir, 'tenant-newco-data');
      const attempt = await terraform.plan(dir, { out: 'forbidden.tfplan', destroy: true, lock: false, refresh: false, variables: { tenancy_principal: 'deployer' } });
      expect(attempt.code).toBe(1);
      expect(attempt.stderr).toContain('Instance cannot be destroyed');
    } finally {
      await session.stop();
    }
  }

  /** Reaps: nothing before the retention date (a year from the apply), a purge plan of the whole data stack after it. */
  async function reap(): Promise<void> {
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    // The count of tenants due decides whether the purge job runs, and asks its environment's reviewers.
    const outputs = join(repo.root, '.tenancy', 'github-output');
    const early = tenancy('reap', '--as-of', day(30), '--offline', '--due-output', outputs);
    expect(early.status).toBe(0);
    expect(early.stdout).toMatch(new RegExp(`newco\\s+${day(0)}\\s+${day(365)}\\s+retained`));
    const late = tenancy('reap', '--as-of', day(367), '--offline', '--due-output', outputs);
    expect(late.status, late.stdout).toBe(0);
    expect(readFileSync(outputs, 'utf8')).toBe('due=0\ndue=1\n');
    expect(late.stdout).toMatch(new RegExp(`newco\\s+${day(0)}\\s+${day(365)}\\s+purge planned\\s+-49: .*aws_db_instance\\.database_instance.*aws_kms_key\\.key_key.*aws_s3_bucket\\.bucket_bucket`));
    const noCredentials = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const listing = runCli(['reap', '--as-of', day(367), '--root', repo.root], { env: noCredentials });
    expect(listing.status, listing.stdout + listing.stderr).toBe(2);
    expect(listing.stderr).toMatch(/^tenancy: reaping reads when each offboarding was applied from the state bucket: it needs AWS credentials for the planner role, or --offline to rehearse it \(/);
  }

  /** A legal hold stops the purge. */
  async function holdStopsPurge(): Promise<void> {
    await repo.commit('hold newco', (r) => r.edit('platform.yaml', 'legalHolds:\n', 'legalHolds:\n  - tenant: newco\n    reason: Audit A-7\n'), '2026-03-01T10:00:00Z');
    const held = tenancy('reap', '--as-of', new Date(Date.now() + 400 * 86_400_000).toISOString(), '--offline');
    expect(held.status, held.stderr).toBe(0);
    expect(held.stdout).toMatch(/newco\s+\S+\s+\S+\s+held\s+legal hold: Audit A-7/);
  }

  // The steps share one tenant's history: each starts from the state the one before left.
  it('takes a tenant through its life: onboard, upgrade, offboard, data kept, reaped after retention, held by a legal hold', async () => {
    await onboard();
    await upgrade();
    await offboard();
    await neverDestroyDataOutsidePurge();
    await reap();
    await holdStopsPurge();
  });

  it('refuses to apply a purge as of a date to come: only what is due now is destroyed', () => {
    const run = tenancy('reap', '--as-of', '2099-01-01', '--apply');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--as-of 2099-01-01T00:00:00.000Z is in the future: a purge applies only what is due now \(rehearse with --offline\)/);
  });
});
