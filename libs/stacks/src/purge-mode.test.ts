import { describe, expect, it } from 'vitest';
import { synthesizeTenant } from './synth/synthesize';
import { exampleStacks, LOCAL_STATE, resourcesOf, type TerraformJson } from './testing/example-stacks';

describe('purge mode, for data past its retention period', () => {
  it('lifts every protection of the data stack, the backup vault\'s lock included, and nothing else', async () => {
    const example = await exampleStacks();
    const { tenant } = example.tenant('wayne');
    const purged = synthesizeTenant('wayne', tenant, example.fleet.platform, { state: LOCAL_STATE, purge: true });
    const data = JSON.parse(purged.find((s) => s.kind === 'data')!.json) as TerraformJson;
    for (const type of ['aws_s3_bucket', 'aws_db_instance', 'aws_kms_key', 'aws_backup_vault']) {
      for (const resource of resourcesOf(data, type)) expect((resource.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy, type).toBeUndefined();
    }
    expect(resourcesOf(data, 'aws_backup_vault')[0]).toMatchObject({ force_destroy: true });
    expect(resourcesOf(data, 'aws_db_instance')[0]).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, delete_automated_backups: true });
    expect(resourcesOf(data, 'aws_db_instance')[0]!.final_snapshot_identifier).toBeUndefined();
    expect(resourcesOf(data, 'aws_s3_bucket')[0]).toMatchObject({ force_destroy: true });

    const normal = new Map(example.stacks.filter((s) => s.tenant === 'wayne').map((s) => [s.name, s.json]));
    expect(purged.find((s) => s.kind === 'workload')!.json).toBe(normal.get('tenant-wayne-workload'));
    const kept = JSON.parse(normal.get('tenant-wayne-data')!) as TerraformJson;
    expect(resourcesOf(kept, 'aws_backup_vault_lock_configuration')).toHaveLength(1);
    expect(Object.keys(data.resource!).sort()).toEqual(Object.keys(kept.resource!).filter((type) => type !== 'aws_backup_vault_lock_configuration').sort());
  });
});
