import { describe, expect, it } from 'vitest';
import { synthesizeTenant } from './synth/synthesize';
import { exampleStacks, LOCAL_STATE, resourcesOf, type TerraformJson } from './testing/example-stacks';

/** The retention and hold settings of a tenant's data, as its stacks write them. */
function retention(stacks: readonly { kind: string; json: string }[]) {
  const of = (kind: string) => JSON.parse(stacks.find((s) => s.kind === kind)?.json ?? '{}') as TerraformJson;
  const data = of('data');
  const lifecycle = resourcesOf(data, 'aws_s3_bucket_lifecycle_configuration')[0] as { rule: { id: string; status: string; noncurrent_version_expiration?: { noncurrent_days: number }[] }[] } | undefined;
  const expiry = lifecycle?.rule.find((r) => r.id === 'expire-old-versions');
  const lock = resourcesOf(data, 'aws_s3_bucket_object_lock_configuration')[0] as { rule?: { default_retention: { mode: string; days: number } } } | undefined;
  const plan = resourcesOf(data, 'aws_backup_plan')[0] as { rule: { lifecycle?: { delete_after: number } }[] } | undefined;
  const logs = [...resourcesOf(data, 'aws_cloudwatch_log_group'), ...resourcesOf(of('compute'), 'aws_cloudwatch_log_group')] as { name: string; retention_in_days: number }[];
  return {
    expiry: expiry ? `${expiry.status} after ${expiry.noncurrent_version_expiration![0]!.noncurrent_days} days` : 'no bucket',
    lock: lock?.rule ? `${lock.rule.default_retention.mode} ${lock.rule.default_retention.days} days` : 'none',
    backups: plan ? (plan.rule[0]!.lifecycle ? `deleted after ${plan.rule[0]!.lifecycle.delete_after} days` : 'kept') : 'no database',
    vaultLock: resourcesOf(data, 'aws_backup_vault_lock_configuration').length > 0,
    logs: [...new Set(logs.map((l) => l.retention_in_days))],
  };
}

describe('how long a tenant\'s data is kept, as its stacks write it', () => {
  it('a tenant of its tier\'s retention: old versions and backups expire after it, logs are kept a year, the vault is locked until the purge', async () => {
    const example = await exampleStacks();
    expect(retention(example.stacks.filter((s) => s.tenant === 'acme'))).toEqual({
      expiry: 'Enabled after 90 days', lock: 'none', backups: 'deleted after 90 days', vaultLock: true, logs: [365],
    });
  });

  it('a tenant of its own longer retention: logs kept no less than it', async () => {
    const example = await exampleStacks();
    expect(retention(example.stacks.filter((s) => s.tenant === 'globex'))).toMatchObject({ expiry: 'Enabled after 730 days', backups: 'deleted after 730 days', logs: [731] });
  });

  it('a tenant under legal hold: nothing expires, new versions are locked, the vault is locked, logs kept forever', async () => {
    const example = await exampleStacks();
    expect(example.fleet.platform.legalHolds.map((h) => h.tenant)).toContain('umbrella');
    expect(retention(example.stacks.filter((s) => s.tenant === 'umbrella'))).toEqual({
      expiry: 'Disabled after 2555 days', lock: 'GOVERNANCE 2555 days', backups: 'kept', vaultLock: true, logs: [0],
    });
  });

  it('a former tenant under legal hold: its kept data stack, from its last file, is held the same way', async () => {
    const example = await exampleStacks();
    const { tenant } = example.tenant('wayne');
    const platform = { ...example.fleet.platform, legalHolds: [...example.fleet.platform.legalHolds, { tenant: 'wayne', reason: 'Subpoena 2026-77' }] };
    const held = retention(synthesizeTenant('wayne', tenant, platform, { state: LOCAL_STATE }).filter((s) => s.kind === 'data'));
    expect(held).toEqual({ expiry: 'Disabled after 180 days', lock: 'GOVERNANCE 180 days', backups: 'kept', vaultLock: true, logs: [0] });
    expect(retention(example.stacks.filter((s) => s.tenant === 'wayne' && s.kind === 'data'))).toEqual({
      expiry: 'Enabled after 180 days', lock: 'none', backups: 'deleted after 180 days', vaultLock: true, logs: [365],
    });
  });
});
