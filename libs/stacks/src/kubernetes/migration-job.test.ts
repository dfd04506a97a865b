import type { Platform } from '@tenancy/model';
import { App } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKLOAD_SERVICE_ACCOUNT } from '../naming';
import { FleetStack } from '../stacks/fleet-stack';
import { renderStack } from '../synth/render';
import { synthesizeTenant } from '../synth/synthesize';
import { exampleStacks, LOCAL_STATE, resourcesOf, type ExampleStacks, type TerraformJson } from '../testing/example-stacks';
import { MigrationJob, migrationJobName, type MigrationJobProps } from './migration-job';

type Job = { metadata: { name: string; labels: Record<string, string> }; depends_on?: string[]; wait_for_completion: boolean; timeouts: { create: string };
  spec: { backoff_limit: number; template: { spec: { service_account_name: string; container: { image: string; command: string[]; env_from: unknown[]; security_context: Record<string, unknown> }[] } } } };

const jobsOf = (stack: TerraformJson) => Object.entries(stack.resource?.kubernetes_job_v1 ?? {}) as [string, Job][];
const migrationsOf = (stack: TerraformJson) => jobsOf(stack).filter(([, job]) => job.metadata.name.startsWith('migrate-'));

describe('a release with a migration', () => {
  let example: ExampleStacks;
  beforeAll(async () => { example = await exampleStacks(); });

  it('runs it in the workload stack of every tenant at that release, and of no other', () => {
    const withMigration = example.fleet.tenants.filter((t) => migrationsOf(example.byName.get(`tenant-${t.id}-workload`)!).length).map((t) => t.id).sort();
    const atRelease = example.fleet.tenants.filter((t) => t.tenant.channel === 'fast').map((t) => t.id).sort();
    expect(atRelease.length).toBeGreaterThan(1);
    expect(withMigration).toEqual(atRelease);
  });

  it('runs as a one-shot Job of the release image, as the tenant\'s service account with its database settings, restricted', () => {
    const [[, job]] = migrationsOf(example.byName.get('tenant-oscorp-workload')!) as [[string, Job]];
    expect(job.metadata.name).toBe('migrate-2-15-0');
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts.create).toBe('30m');
    expect(job.spec.backoff_limit).toBe(0);
    const pod = job.spec.template.spec;
    expect(pod.service_account_name).toBe(WORKLOAD_SERVICE_ACCOUNT);
    // Release 2.15.0 pins its api image's digest: the migration runs exactly that image.
    expect(pod.container[0]).toMatchObject({ image: 'ghcr.io/example-saas/api:2.15.0@sha256:7f3c1e9a2b4d6f80a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7', command: ['/app/migrate', 'up'], env_from: [{ config_map_ref: { name: 'tenant-config' } }] });
    expect(pod.container[0]!.security_context).toMatchObject({ run_as_non_root: true, allow_privilege_escalation: false, read_only_root_filesystem: true });
    expect(job.metadata.labels['tenancy.io/inbound']).toBe('none');
  });

  it('waits for the tenant\'s config and database user, and every Deployment of the stack waits for it', () => {
    for (const id of ['oscorp', 'hooli', 'tyrell']) {
      const stack = example.byName.get(`tenant-${id}-workload`)!;
      const [[address, job]] = migrationsOf(stack) as [[string, Job]];
      expect(job.depends_on).toContain('${kubernetes_config_map_v1.config}');
      if (example.tenant(id).tenant.data.database) expect(job.depends_on).toContain('${kubernetes_job_v1.database-user_job}');
      const deployments = Object.values(stack.resource?.kubernetes_deployment_v1 ?? {}) as { depends_on?: string[] }[];
      expect(deployments.length).toBeGreaterThan(0);
      for (const deployment of deployments) expect(deployment.depends_on).toContain(`${'${'}kubernetes_job_v1.${address}}`);
    }
  });

  it('follows the tenant\'s version: a channel bump to a release with a migration adds a new Job for each of its tenants; a pinned tenant migrates when its pin moves', () => {
    const platform = structuredClone(example.fleet.platform) as Platform;
    platform.channels.stable!.version = '2.16.0';
    platform.releases['2.16.0'] = { images: {}, migration: { image: 'ghcr.io/example-saas/api', command: ['/app/migrate', 'up'], timeoutMinutes: 10, cpu: '250m', memory: '512Mi' } };
    const workload = (id: string, version?: string) => {
      const { tenant } = example.tenant(id);
      const moved = version ? { ...tenant, version } : tenant;
      return JSON.parse(synthesizeTenant(id, moved, platform, { state: LOCAL_STATE }).find((s) => s.name.endsWith('-workload'))!.json) as TerraformJson;
    };
    expect(migrationsOf(workload('acme')).map(([, j]) => j.metadata.name)).toEqual(['migrate-2-16-0']);
    expect(migrationsOf(workload('oscorp')).map(([, j]) => j.metadata.name)).toEqual(['migrate-2-15-0']);
    expect(example.tenant('umbrella').tenant.version).toBeDefined();
    expect(migrationsOf(workload('umbrella'))).toEqual([]);
    expect(migrationsOf(workload('umbrella', '2.16.0')).map(([, j]) => j.metadata.name)).toEqual(['migrate-2-16-0']);
  });

  it('adds nothing to a stack whose release declares no migration', () => {
    const stack = example.byName.get('tenant-acme-workload')!;
    expect(migrationsOf(stack)).toEqual([]);
    const deployments = Object.values(stack.resource?.kubernetes_deployment_v1 ?? {}) as { depends_on?: string[] }[];
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) expect(deployment.depends_on ?? []).toEqual([]);
  });
});

describe('the migration Job of one tenant, as Kubernetes runs it', () => {
  const props: MigrationJobProps = {
    namespace: 'tenant-acme', labels: { 'app.kubernetes.io/managed-by': 'tenancy' }, version: '2.15.0', image: 'ghcr.io/example-saas/api:2.15.0', command: ['/app/migrate', 'up'],
    timeoutMinutes: 30, cpu: '250m', memory: '512Mi', serviceAccount: 'workload', configMap: 'tenant-config', placement: {},
  };
  const synthesized = (overrides: Partial<MigrationJobProps> = {}) => {
    const stack = new FleetStack(new App({ skipValidation: true }), 'migration', 'workload', LOCAL_STATE);
    new MigrationJob(stack, 'migration', { ...props, ...overrides });
    return Object.values((JSON.parse(renderStack(stack)) as TerraformJson).resource!.kubernetes_job_v1!)[0] as Record<string, unknown>;
  };

  it('runs the release\'s command once, as the tenant\'s service account, restricted, waited for up to its timeout', () => {
    const labels = { 'app.kubernetes.io/managed-by': 'tenancy', 'app.kubernetes.io/name': 'migration', 'app.kubernetes.io/version': '2.15.0', 'tenancy.io/inbound': 'none' };
    const restricted = { run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } };
    expect(synthesized()).toEqual({
      metadata: { name: 'migrate-2-15-0', namespace: 'tenant-acme', labels },
      spec: {
        backoff_limit: 0,
        active_deadline_seconds: 1800,
        template: {
          metadata: { labels },
          spec: {
            service_account_name: 'workload',
            automount_service_account_token: false,
            restart_policy: 'Never',
            security_context: { ...restricted, run_as_user: '10001', run_as_group: '10001', fs_group: '10001' },
            container: [{
              name: 'migration',
              image: 'ghcr.io/example-saas/api:2.15.0',
              image_pull_policy: 'Always',
              command: ['/app/migrate', 'up'],
              env_from: [{ config_map_ref: { name: 'tenant-config' } }],
              env: [{ name: 'APP_VERSION', value: '2.15.0' }, { name: 'HOME', value: '/tmp' }],
              resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '250m', memory: '512Mi' } },
              security_context: { ...restricted, allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } },
              volume_mount: [{ name: 'tmp', mount_path: '/tmp' }],
            }],
            volume: [{ name: 'tmp', empty_dir: { size_limit: '1Gi' } }],
          },
        },
      },
      wait_for_completion: true,
      timeouts: { create: '30m', update: '30m' },
    });
  });

  it('runs on the tenant\'s own nodes when it has them', () => {
    const placement = { nodeSelector: { 'tenancy.io/tenant': 'acme' }, tolerations: [{ key: 'tenancy.io/tenant', operator: 'Equal', value: 'acme', effect: 'NoSchedule' }] };
    const pod = ((synthesized({ placement }).spec as { template: { spec: Record<string, unknown> } }).template.spec);
    expect(pod.node_selector).toEqual({ 'tenancy.io/tenant': 'acme' });
    expect(pod.toleration).toEqual([{ key: 'tenancy.io/tenant', operator: 'Equal', value: 'acme', effect: 'NoSchedule' }]);
  });

  it('is named for its version as Kubernetes allows: lower case, letters, digits and dashes, at most 63 characters, no dash at the end', () => {
    expect(migrationJobName('2.15.0-RC.1+build_7')).toBe('migrate-2-15-0-rc-1-build-7');
    expect(migrationJobName(`1.0.0-${'a'.repeat(60)}`)).toBe(`migrate-1-0-0-${'a'.repeat(49)}`);
    expect(migrationJobName(`1.0.0-${'a'.repeat(47)}...`)).toBe(`migrate-1-0-0-${'a'.repeat(47)}`);
    expect(migrationJobName('2.0.0+')).toBe('migrate-2-0-0');
  });
});
