import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet, type Platform } from '@tenancy/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerraformCli, TerraformResult } from '../terraform/terraform-cli';
import type { Offboarded } from './offboarded';
import { reap, type ReapDecision } from './reap';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));

/** What Terraform would answer: every plan succeeds with `plan` as its JSON, and each apply is recorded. */
function terraformAnswering(plan: object): TerraformCli & { applied: string[] } {
  const ok = (stdout = ''): TerraformResult => ({ code: 0, stdout, stderr: '' });
  const events = [JSON.stringify({ type: 'change_summary', changes: { add: 0, change: 0, remove: 0 } })].join('\n');
  const applied: string[] = [];
  return {
    applied,
    run: async () => ok(),
    init: async () => ok(),
    validate: async () => ({ valid: true, diagnostics: [] }),
    plan: async () => ok(events),
    showPlan: async () => plan,
    apply: async (dir: string) => { applied.push(dir); return ok(); },
  } as unknown as TerraformCli & { applied: string[] };
}

describe('a purge, applied', () => {
  let platform: Platform;
  let decision: ReapDecision;
  const out = mkdtempSync(join(tmpdir(), 'tenancy-purge-'));
  beforeAll(async () => {
    const fleet = await loadFleet(REPO);
    platform = fleet.platform!;
    const wayne: Offboarded = { id: 'wayne', deletedIn: 'abc', deletedAt: '2026-01-01T00:00:00.000Z', retentionDays: 30, retainUntil: '2026-01-31T00:00:00.000Z', lastVersion: fleet.tenants.find((t) => t.id === 'wayne')!.tenant, platform };
    decision = { tenant: wayne, status: 'due', detail: 'retention ended', appliedAt: '2026-01-01T00:00:00.000Z', retainUntil: '2026-01-31T00:00:00.000Z' };
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('refuses a purge configuration whose plan destroys anything: lifting protections never deletes', async () => {
    const terraform = terraformAnswering({ format_version: '1.2', resource_changes: [{ address: 'aws_s3_bucket.bucket_bucket', mode: 'managed', type: 'aws_s3_bucket', change: { actions: ['delete', 'create'] } }] });
    const [result] = await reap([decision], { outDir: out, terraform, platform, apply: true, now: new Date('2026-02-02') });
    expect(result!.error).toMatch(/^refused: the saved plan destroys aws_s3_bucket\.bucket_bucket, which hold tenant data/);
    expect(terraform.applied).toEqual([]);
  });

  it('applies the purge configuration, then the destruction, for a tenant due and not held', async () => {
    const terraform = terraformAnswering({ format_version: '1.2', resource_changes: [{ address: 'aws_s3_bucket.bucket_bucket', mode: 'managed', type: 'aws_s3_bucket', change: { actions: ['update'], before: { force_destroy: false }, after: { force_destroy: true } } }] });
    const [result] = await reap([decision], { outDir: out, terraform, platform, apply: true, now: new Date('2026-02-02') });
    expect(result).toMatchObject({ purged: true });
    expect(terraform.applied).toHaveLength(2);
    const held = { ...platform, legalHolds: [...platform.legalHolds, { tenant: 'wayne', reason: 'Audit A-9' }] };
    const again = terraformAnswering({ format_version: '1.2', resource_changes: [] });
    const [refused] = await reap([decision], { outDir: out, terraform: again, platform: held, apply: true, now: new Date('2026-02-02') });
    expect(refused!.error).toBe('refused: wayne is under legal hold (Audit A-9)');
    expect(again.applied).toHaveLength(1);
  });
});
