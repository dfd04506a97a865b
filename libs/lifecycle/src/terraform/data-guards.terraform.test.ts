import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform, type Tenant } from '@tenancy/model';
import { PRINCIPAL_VARIABLE, synthesizeTenant, writeStack, type StateLocation } from '@tenancy/stacks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyRun, type SavedPlan } from '../apply/apply-run';
import { dataRisks, planChanges } from '../apply/data-guard';
import { Repository } from '../git/repository';
import { OfflineSession } from '../offline/offline-session';
import { sha256, writePlanRecord } from '../plan/plan-record';
import { PLAN_FILE, planStacks, type StackToPlan } from '../plan/plan-stacks';
import { FleetRepo } from '../testing/fleet-repo';
import { simulateApply } from '../offline/simulated-apply';
import { terraformFor } from './cli-config';
import type { TerraformCli } from './terraform-cli';
import { findToolchain, offlineGap } from './toolchain';

// Terraform inits and plans real stacks: minutes, not seconds.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
const toolchain = findToolchain();
const gap = offlineGap(toolchain);
if (gap) console.warn(`\n*** SKIPPING the data guards against real Terraform plans: ${gap} ***\n`);

/**
 * Both guards against plans that really destroy data: a tenant's data stack is planned and its
 * state written as an apply would leave it (offline), then its file drops the bucket and the
 * database. Terraform then plans their destruction (no `prevent_destroy` once a resource leaves
 * the configuration); planning must refuse it, and applying must refuse the same plan made
 * behind planning's back.
 */
describe.skipIf(gap !== undefined)('the data guards, against real Terraform plans from an existing state', () => {
  let work: string;
  let repo: FleetRepo;
  let tf: TerraformCli;
  let session: OfflineSession;
  let platform: Platform;
  let tenant: Tenant;
  let dir: string;
  const stackName = 'tenant-acme-data';

  const synthesize = (file: Tenant, purge = false) => {
    const state: StateLocation = { kind: 'local', stateDir: join(work, 'state'), outDir: join(work, 'out') };
    writeStack(join(work, 'out'), synthesizeTenant('acme', file, platform, { state, purge }).find((s) => s.kind === 'data')!);
  };
  const statePath = () => join(work, 'offline-state', `${stackName}.tfstate`);
  /** Runs `body` with the stack's state as `change` leaves it, and puts the applied state back after. */
  const withState = async (change: (state: { resources: { type: string; module?: string }[] }) => void, body: () => Promise<void>) => {
    const applied = readFileSync(statePath(), 'utf8');
    const state = JSON.parse(applied) as { resources: { type: string; module?: string }[] };
    change(state);
    writeFileSync(statePath(), JSON.stringify(state));
    try { await body(); } finally { writeFileSync(statePath(), applied); }
  };
  /** A plan made outside `tenancy plan`, moved into a fleet repository with a record that claims nothing is lost; then applied. */
  const applyBehindPlanningsBack = async (record: { kind: 'data' | 'workload' } = { kind: 'data' }) => {
    session.prepare(dir, stackName);
    const made = await tf.plan(dir, { out: PLAN_FILE, lock: false, refresh: false, variables: { [PRINCIPAL_VARIABLE]: 'deployer' } });
    expect(made.code, made.stderr).toBe(0);
    const head = await new Repository(repo.root).resolve('HEAD');
    const outDir = join(repo.root, '.tenancy', 'out');
    const saved = join(outDir, stackName);
    rmSync(outDir, { recursive: true, force: true });
    cpSync(dir, saved, { recursive: true });
    writePlanRecord(saved, {
      stack: stackName, kind: record.kind, tenant: 'acme', action: 'apply', principal: 'deployer', purge: false, base: head, head,
      tenantFile: 'tenants/acme.yaml', tenantFileHash: sha256(readFileSync(join(repo.root, 'tenants', 'acme.yaml'))), configHash: sha256(readFileSync(join(saved, 'main.tf.json'))),
      rollout: 'immediate', reasons: ['made by hand'], offline: true, plannedAt: new Date().toISOString(), summary: { add: 0, change: 0, destroy: 0, destroys: [], replaces: [] },
    });
    const applied: string[] = [];
    const report = await applyRun({
      root: repo.root, outDir, head, platform, tenants: new Map([['acme', tenant]]), now: new Date(),
      applyStack: async ({ record: r }: SavedPlan) => { applied.push(r.stack); return { ok: true }; },
      readPlan: ({ dir: planDir }) => tf.showPlan(planDir, PLAN_FILE),
    });
    expect(applied).toEqual([]);
    return report.outcomes;
  };
  const target = (): StackToPlan => ({ name: stackName, kind: 'data', tenant: 'acme', dir });
  const withoutData = (): Tenant => ({ ...tenant, data: { ...tenant.data, bucket: false, database: undefined } });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tenancy-data-guard-'));
    repo = await FleetRepo.create();
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    tenant = fleet.tenants.find((t) => t.id === 'acme')!.tenant;
    dir = join(work, 'out', stackName);
    tf = terraformFor(toolchain!, join(work, 'terraform.rc'));
    session = await OfflineSession.start(join(work, 'offline-state'));
    synthesize(tenant);
    const [created] = await planStacks([target()], { terraform: tf, principal: 'deployer', offline: session });
    if (created?.status !== 'planned') throw new Error(`the data stack did not plan: ${JSON.stringify(created)}`);
    expect(await simulateApply(tf, dir)).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await session?.stop();
    repo?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('planning refuses a plan that destroys the bucket and the database, and lets the purge make it', async () => {
    synthesize(withoutData());
    const [refused] = await planStacks([target()], { terraform: tf, principal: 'deployer', offline: session });
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused!.status === 'failed' && refused!.error).toMatch(/^refused: the plan would destroy .*aws_db_instance\.database_instance.*aws_s3_bucket\.bucket_bucket.*, which hold tenant data; only reaping past retention may$/);
    const [purge] = await planStacks([{ ...target(), purge: true }], { terraform: tf, principal: 'deployer', offline: session });
    expect(purge).toMatchObject({ status: 'planned', summary: { destroys: expect.arrayContaining(['aws_s3_bucket.bucket_bucket', 'aws_db_instance.database_instance', 'aws_backup_vault.backups_vault']) } });
  });

  it('applying refuses the same plan made behind planning\'s back, reading the plan itself, whatever kind its record gives the stack', async () => {
    synthesize(withoutData());
    for (const kind of ['data', 'workload'] as const) {
      expect(await applyBehindPlanningsBack({ kind }), kind).toEqual([expect.objectContaining({
        unit: 'acme', status: 'failed', detail: expect.stringMatching(/^tenant-acme-data: refused: the saved plan destroys aws_backup_vault\.backups_vault, aws_cloudwatch_log_group\.database_logs-postgresql, aws_cloudwatch_log_group\.database_logs-upgrade, aws_db_instance\.database_instance, aws_s3_bucket\.bucket_bucket, which hold tenant data, and weakens .*aws_s3_bucket_versioning\.bucket_versioning: aws_s3_bucket_versioning deleted/),
      })]);
    }
  });

  it('refuses the purge configuration of a live tenant planned as an ordinary apply: at plan, and at apply', async () => {
    synthesize(tenant, true);
    const [refused] = await planStacks([target()], { terraform: tf, principal: 'deployer', offline: session, planJson: true });
    expect(refused).toMatchObject({ status: 'failed' });
    const error = refused!.status === 'failed' ? refused!.error : '';
    for (const weakening of ['aws_backup_vault_lock_configuration.backups_lock: aws_backup_vault_lock_configuration deleted', 'aws_s3_bucket.bucket_bucket: force_destroy false -> true', 'aws_db_instance.database_instance: deletion_protection true -> false', 'aws_db_instance.database_instance: skip_final_snapshot false -> true', 'aws_backup_vault.backups_vault: force_destroy false -> true']) {
      expect(error).toContain(weakening);
    }
    expect(await applyBehindPlanningsBack()).toEqual([expect.objectContaining({ status: 'failed', detail: expect.stringContaining('weakens the protection of tenant data (aws_backup_vault_lock_configuration.backups_lock: aws_backup_vault_lock_configuration deleted; aws_backup_vault.backups_vault: force_destroy false -> true; aws_db_instance.database_instance: deletion_protection true -> false') })]);
  });

  it('refuses a shorter retention in place: old versions and backups kept 7 days instead of 90', async () => {
    synthesize({ ...tenant, data: { ...tenant.data, retentionDays: 7 } });
    const [refused] = await planStacks([target()], { terraform: tf, principal: 'deployer', offline: session, planJson: true });
    expect(refused).toMatchObject({ status: 'failed' });
    const error = refused!.status === 'failed' ? refused!.error : '';
    expect(error).toContain('aws_s3_bucket_lifecycle_configuration.bucket_lifecycle: rule expire-old-versions noncurrent_version_expiration.noncurrent_days 90 -> 7');
    expect(error).toContain('aws_backup_plan.backups_plan: rule daily lifecycle.delete_after 90 -> 7');
  });

  it('refuses the destruction of data moved into a module, as it refuses it outside one', async () => {
    synthesize(tenant);
    const holding = new Set(['aws_s3_bucket', 'aws_db_instance', 'aws_backup_vault', 'aws_kms_key', 'aws_cloudwatch_log_group']);
    await withState((state) => { for (const r of state.resources) if (holding.has(r.type)) r.module = 'module.m'; }, async () => {
      const [refused] = await planStacks([target()], { terraform: tf, principal: 'deployer', offline: session });
      expect(refused).toMatchObject({ status: 'failed' });
      expect(refused!.status === 'failed' && refused!.error).toMatch(/^refused: the plan would destroy .*module\.m\.aws_db_instance\.database_instance.*module\.m\.aws_kms_key\.key_key.*module\.m\.aws_s3_bucket\.bucket_bucket/);
      expect(await applyBehindPlanningsBack()).toEqual([expect.objectContaining({ status: 'failed', detail: expect.stringMatching(/destroys .*module\.m\.aws_backup_vault\.backups_vault.*module\.m\.aws_s3_bucket\.bucket_bucket/) })]);
    });
  });

  it('reads a real plan that changes nothing, which Terraform writes without resource_changes', async () => {
    const empty = join(work, 'out', 'tenant-empty-data');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'main.tf.json'), JSON.stringify({ terraform: { required_version: '>= 1.11' }, variable: { [PRINCIPAL_VARIABLE]: { type: 'string' } } }));
    expect((await tf.run(['init', '-input=false', '-no-color'], empty)).code).toBe(0);
    const made = await tf.run(['plan', '-input=false', '-no-color', '-lock=false', `-out=${PLAN_FILE}`, `-var=${PRINCIPAL_VARIABLE}=deployer`], empty);
    expect(made.code, made.stderr).toBe(0);
    const planJson = await tf.showPlan(empty, PLAN_FILE) as { resource_changes?: unknown };
    expect(planJson.resource_changes).toBeUndefined();
    expect(planChanges(planJson)).toBe(false);
    expect(dataRisks(planJson, { stack: 'tenant-empty-data' })).toEqual([]);
  });
});
