import { secretReason } from '@tenancy/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleStacks, resourcesOf, type ExampleStacks, type TerraformJson } from './testing/example-stacks';

/** Every string in a JSON value, with the key it sits under. */
function strings(value: unknown, key?: string): [string | undefined, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  return [];
}

function policyStatements(policy: unknown): { Effect: string; Action: string | string[]; Resource: string | string[] }[] {
  if (typeof policy !== 'string' || !policy.trim().startsWith('{')) return [];
  return (JSON.parse(policy) as { Statement: [] }).Statement;
}

describe('security review of every synthesized stack', () => {
  let example: ExampleStacks;
  let all: [string, TerraformJson][];
  beforeAll(async () => {
    example = await exampleStacks();
    all = [...example.byName.entries()];
  });

  it('encrypts everything that stores data under a key of its own: buckets, databases, volumes, logs, backups, cluster secrets, keys rotate', () => {
    for (const [name, stack] of all) {
      for (const bucket of Object.keys(stack.resource?.aws_s3_bucket ?? {})) {
        const encryption = resourcesOf(stack, 'aws_s3_bucket_server_side_encryption_configuration');
        expect(encryption, `${name} ${bucket}`).toHaveLength(1);
        expect(JSON.stringify(encryption[0])).toContain('"sse_algorithm":"aws:kms"');
      }
      for (const db of resourcesOf(stack, 'aws_db_instance')) expect(db.storage_encrypted, name).toBe(true);
      for (const template of resourcesOf(stack, 'aws_launch_template')) {
        const { ebs } = (template.block_device_mappings as { ebs: { encrypted: string; kms_key_id: string } }[])[0]!;
        expect(ebs.encrypted, name).toBe('true');
        expect(ebs.kms_key_id, `${name}: node volumes under the cluster's key, not EBS's own`).toMatch(/^\$\{(aws_kms_key\.cluster_key_key\.arn|data\.terraform_remote_state\.pool\.outputs\.cluster_key_arn)\}$/);
      }
      for (const vault of resourcesOf(stack, 'aws_backup_vault')) expect(vault.kms_key_arn, name).toBe('${aws_kms_key.key_key.arn}');
      for (const group of resourcesOf(stack, 'aws_cloudwatch_log_group')) expect(group.kms_key_id, name).toBeDefined();
      for (const cluster of resourcesOf(stack, 'aws_eks_cluster')) expect(JSON.stringify(cluster.encryption_config), name).toContain('"resources":["secrets"]');
      for (const key of resourcesOf(stack, 'aws_kms_key')) expect(key.enable_key_rotation, name).toBe(true);
    }
  });

  it('makes no bucket, database or cluster endpoint public', () => {
    for (const [name, stack] of all) {
      for (const block of resourcesOf(stack, 'aws_s3_bucket_public_access_block')) {
        expect(block, name).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      }
      expect(resourcesOf(stack, 'aws_s3_bucket_public_access_block').length, name).toBe(resourcesOf(stack, 'aws_s3_bucket').length);
      for (const db of resourcesOf(stack, 'aws_db_instance')) expect(db.publicly_accessible, name).toBe(false);
      for (const cluster of resourcesOf(stack, 'aws_eks_cluster')) {
        expect((cluster.vpc_config as { public_access_cidrs: string[] }).public_access_cidrs.some((c) => c.endsWith('/0')), name).toBe(false);
      }
      for (const subnet of resourcesOf(stack, 'aws_subnet')) expect(subnet.map_public_ip_on_launch, name).toBe(false);
    }
  });

  it('opens no ingress from any network: a database admits its own tenant\'s pods\' security group only', () => {
    let databases = 0;
    for (const [name, stack] of all) {
      const rules = resourcesOf(stack, 'aws_vpc_security_group_ingress_rule');
      for (const group of resourcesOf(stack, 'aws_security_group')) expect(group.ingress, `${name}: ingress only through separate rules`).toBeUndefined();
      for (const rule of rules) {
        expect([rule.cidr_ipv4, rule.cidr_ipv6, rule.prefix_list_id], name).toEqual([undefined, undefined, undefined]);
        expect(rule, name).toMatchObject({ security_group_id: '${aws_security_group.database_security-group.id}', referenced_security_group_id: '${aws_security_group.pods.id}' });
        databases++;
      }
      if (resourcesOf(stack, 'aws_db_instance').length) expect(rules, name).toHaveLength(1);
    }
    expect(databases).toBe(10);
  });

  it('enforces network policy and gives pods their own security groups on every cluster', () => {
    let clusters = 0;
    for (const [name, stack] of all) {
      for (const cluster of Object.keys(stack.resource?.aws_eks_cluster ?? {})) {
        clusters++;
        const cni = resourcesOf(stack, 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni');
        expect(cni, `${name} ${cluster}`).toMatchObject({ addon_version: example.fleet.platform.kubernetes['1.31']!.addons['vpc-cni'] });
        expect(JSON.parse(String(cni!.configuration_values)), name).toEqual({
          enableNetworkPolicy: 'true', env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
        });
        expect(resourcesOf(stack, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn), name).toContain('arn:aws:iam::aws:policy/AmazonEKSVPCResourceController');
      }
    }
    expect(clusters).toBe(10);
  });

  it('logs every flow of every network and every control-plane log of every cluster', () => {
    for (const [name, stack] of all) {
      expect(resourcesOf(stack, 'aws_flow_log').map((f) => [f.vpc_id, f.traffic_type]), name).toEqual(resourcesOf(stack, 'aws_vpc').map(() => ['${aws_vpc.network_vpc.id}', 'ALL']));
      for (const cluster of resourcesOf(stack, 'aws_eks_cluster')) {
        expect(cluster.enabled_cluster_log_types, name).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      }
      for (const db of resourcesOf(stack, 'aws_db_instance')) {
        expect(db.enabled_cloudwatch_logs_exports, name).toEqual(db.engine === 'postgres' ? ['postgresql', 'upgrade'] : ['error', 'slowquery']);
        const groups = resourcesOf(stack, 'aws_cloudwatch_log_group').map((g) => g.name);
        for (const type of db.enabled_cloudwatch_logs_exports as string[]) expect(groups, `${name}: RDS would make the ${type} group unencrypted, kept forever`).toContain(`/aws/rds/instance/${String(db.identifier)}/${type}`);
      }
    }
  });

  it('requires IMDSv2 with a hop limit of 1 on every node', () => {
    const templates = all.flatMap(([name, stack]) => resourcesOf(stack, 'aws_launch_template').map((t) => [name, t] as const));
    expect(templates.length).toBeGreaterThan(10);
    for (const [name, template] of templates) {
      expect(template.metadata_options, name).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    }
  });

  it('grants no "*" action and no "*" resource in tenant IAM roles', () => {
    for (const [name, stack] of all) {
      for (const document of Object.values(stack.data?.aws_iam_policy_document ?? {})) {
        for (const statement of document.statement as { actions: string[]; resources?: string[] }[]) {
          expect(statement.actions, name).not.toContain('*');
          if (statement.resources) expect(statement.resources, name).not.toContain('*');
        }
      }
      for (const policy of resourcesOf(stack, 'aws_iam_role_policy')) {
        for (const statement of policyStatements(policy.policy)) {
          expect([statement.Action].flat(), name).not.toContain('*');
          expect([statement.Resource].flat(), name).not.toContain('*');
        }
      }
    }
  });

  it('protects every data-holding resource from destruction', () => {
    for (const [name, stack] of all.filter(([n]) => n.endsWith('-data'))) {
      const holding = [...resourcesOf(stack, 'aws_s3_bucket'), ...resourcesOf(stack, 'aws_db_instance'), ...resourcesOf(stack, 'aws_kms_key')];
      expect(holding.length, name).toBeGreaterThan(0);
      for (const resource of [...holding, ...resourcesOf(stack, 'aws_backup_vault')]) expect(resource.lifecycle, name).toMatchObject({ prevent_destroy: true });
      for (const db of resourcesOf(stack, 'aws_db_instance')) {
        expect(db, name).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, delete_automated_backups: false });
        expect(db.backup_retention_period, name).toBeGreaterThanOrEqual(1);
        expect(db.manage_master_user_password, name).toBe(true);
      }
      for (const bucket of resourcesOf(stack, 'aws_s3_bucket')) expect(bucket.force_destroy, name).toBe(false);
      for (const vault of resourcesOf(stack, 'aws_backup_vault')) expect(vault.force_destroy, name).toBe(false);
    }
  });

  it('writes no secret value, and the external id only as an ephemeral read of its secret', () => {
    let externalIds = 0;
    for (const [name, stack] of all) {
      for (const [key, value] of strings(stack)) expect(secretReason(key, value), `${name} ${key}=${value}`).toBeUndefined();
      for (const provider of stack.provider?.aws ?? []) {
        for (const role of (provider.assume_role as { external_id?: string }[] | undefined) ?? []) {
          if (role.external_id === undefined) continue;
          expect(role.external_id, name).toBe('${ephemeral.aws_secretsmanager_secret_version.external-id.secret_string}');
          externalIds++;
        }
      }
      expect(stack.data?.aws_secretsmanager_secret_version, `${name}: a data source would put the value in state`).toBeUndefined();
      expect(stack.data?.aws_eks_cluster_auth, `${name}: a data source would put the token in state`).toBeUndefined();
    }
    expect(externalIds).toBe(12);
  });

  it('gives every role the stacks create the workload boundary', () => {
    let roles = 0;
    for (const [name, stack] of all) {
      for (const role of resourcesOf(stack, 'aws_iam_role')) {
        expect(role.permissions_boundary, `${name} ${String(role.name)}`).toMatch(/^arn:aws:iam::\d{12}:policy\/tenancy-workload-boundary$/);
        roles++;
      }
    }
    // Per tenant: workload, and with a database its backup and database-admin roles; per cluster its
    // role and nodes'; per network its flow logs'; per critical node group its nodes'.
    expect(roles).toBe(67);
  });
});
