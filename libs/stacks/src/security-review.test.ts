import { secretReason } from '@tenancy/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeControlPlane, synthesizeSharedCluster, synthesizeTenant } from './synth/synthesize';
import { exampleStacks, LOCAL_STATE, resourcesOf, type ExampleStacks, type TerraformJson } from './testing/example-stacks';

/** Every string in a JSON value, with the key it sits under. */
function strings(value: unknown, key?: string): [string | undefined, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  return [];
}

/**
 * `${jsonencode({"Key" = value, ...})}` as JSON: Terraform's object syntax with `=` for `:`, and
 * bare references (`aws_db_instance.x.arn`) kept as the `${...}` strings they stand for.
 */
function jsonencodeArgument(expression: string): string {
  const body = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1];
  if (body === undefined) throw new Error(`not a jsonencode expression: ${expression.slice(0, 60)}`);
  let json = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') {
      const end = body.indexOf('"', i + 1);
      json += body.slice(i, end + 1);
      i = end;
    } else if (c === '=') {
      json += ':';
    } else if (/[A-Za-z_]/.test(c)) {
      const reference = /^[A-Za-z_][A-Za-z0-9_.\-[\]]*/.exec(body.slice(i))![0];
      json += JSON.stringify(`\${${reference}}`);
      i += reference.length - 1;
    } else {
      json += c;
    }
  }
  return json;
}

/** The statements of an inline role policy: a policy document's JSON (checked as a document), or a jsonencode expression. */
function policyStatements(policy: unknown): { Effect: string; Action: string | string[]; Resource: string | string[] }[] {
  const text = String(policy);
  if (/^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+\.json\}$/.test(text)) return [];
  return (JSON.parse(text.startsWith('${jsonencode(') ? jsonencodeArgument(text) : text) as { Statement: [] }).Statement;
}

/**
 * How many of each type the example fleet synthesizes: every loop below runs over these, so a
 * check cannot pass because what it checks vanished.
 */
const EXPECTED = {
  aws_s3_bucket: 14, aws_db_instance: 10, aws_launch_template: 13, aws_backup_vault: 10, aws_cloudwatch_log_group: 40, aws_eks_cluster: 10,
  aws_kms_key: 24, aws_subnet: 52, aws_iam_role_policy: 54, aws_vpc: 10,
} as const;

describe('security review of every synthesized stack', () => {
  let example: ExampleStacks;
  let all: [string, TerraformJson][];
  beforeAll(async () => {
    example = await exampleStacks();
    all = [...example.byName.entries()];
  });

  /** Every resource of a type in every stack, with its stack's name; as many as EXPECTED says. */
  const across = (type: keyof typeof EXPECTED): [string, Record<string, unknown>][] => {
    const found = all.flatMap(([name, stack]) => resourcesOf(stack, type).map((r): [string, Record<string, unknown>] => [name, r]));
    expect(found, type).toHaveLength(EXPECTED[type]);
    return found;
  };

  it('encrypts everything that stores data under a key of its own: buckets, databases, volumes, logs, backups, cluster secrets, keys rotate', () => {
    for (const [name] of across('aws_s3_bucket')) {
      const encryption = resourcesOf(example.byName.get(name)!, 'aws_s3_bucket_server_side_encryption_configuration');
      expect(encryption, name).toHaveLength(1);
      expect(JSON.stringify(encryption[0])).toContain('"sse_algorithm":"aws:kms"');
    }
    for (const [name, db] of across('aws_db_instance')) expect(db.storage_encrypted, name).toBe(true);
    for (const [name, template] of across('aws_launch_template')) {
      const { ebs } = (template.block_device_mappings as { ebs: { encrypted: string; kms_key_id: string } }[])[0]!;
      expect(ebs.encrypted, name).toBe('true');
      expect(ebs.kms_key_id, `${name}: node volumes under the cluster's key, not EBS's own`).toMatch(/^\$\{(aws_kms_key\.cluster_key_key\.arn|data\.terraform_remote_state\.pool\.outputs\.cluster_key_arn)\}$/);
    }
    for (const [name, vault] of across('aws_backup_vault')) expect(vault.kms_key_arn, name).toBe('${aws_kms_key.key_key.arn}');
    for (const [name, group] of across('aws_cloudwatch_log_group')) expect(group.kms_key_id, name).toMatch(/^\$\{(aws_kms_key\.(key_key|cluster_key_key)\.arn|data\.terraform_remote_state\.data\.outputs\.kms_key_arn)\}$/);
    for (const [name, cluster] of across('aws_eks_cluster')) expect(JSON.stringify(cluster.encryption_config), name).toContain('"resources":["secrets"]');
    for (const [name, key] of across('aws_kms_key')) expect(key.enable_key_rotation, name).toBe(true);
  });

  it('makes no bucket, database or cluster endpoint public', () => {
    for (const [name] of across('aws_s3_bucket')) {
      const blocks = resourcesOf(example.byName.get(name)!, 'aws_s3_bucket_public_access_block');
      expect(blocks, name).toEqual([{ bucket: '${aws_s3_bucket.bucket_bucket.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }]);
    }
    for (const [name, db] of across('aws_db_instance')) expect(db.publicly_accessible, name).toBe(false);
    for (const [name, cluster] of across('aws_eks_cluster')) {
      expect(cluster.vpc_config, name).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: example.fleet.platform.controlPlane.apiAccessCidrs });
    }
    for (const [name, subnet] of across('aws_subnet')) expect(subnet.map_public_ip_on_launch, name).toBe(false);
  });

  it('keeps every cluster API endpoint private when platform.yaml lists no networks for it', () => {
    const { apiAccessCidrs: _, ...controlPlane } = example.fleet.platform.controlPlane;
    const platform = { ...example.fleet.platform, controlPlane: { ...controlPlane, runners: ['self-hosted'] } };
    const cell = JSON.parse(synthesizeSharedCluster('cell', 'blue-1', platform, LOCAL_STATE).json) as TerraformJson;
    const { tenant } = example.tenant('globex');
    const compute = JSON.parse(synthesizeTenant('globex', tenant, platform, { state: LOCAL_STATE }).find((s) => s.kind === 'compute')!.json) as TerraformJson;
    for (const stack of [cell, compute]) {
      const vpc = resourcesOf(stack, 'aws_eks_cluster')[0]!.vpc_config;
      expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
      expect(vpc).not.toHaveProperty('public_access_cidrs');
    }
  });

  it('logs every request to a data bucket, and to the state bucket, into a log bucket of the account only S3\'s logging service writes', () => {
    for (const [name] of across('aws_s3_bucket')) {
      const stack = example.byName.get(name)!;
      const account = /iam::(\d{12}):/.exec(JSON.stringify(stack.provider!.aws))![1]!;
      const region = String(stack.provider!.aws!.find((p) => !p.alias)!.region);
      expect(resourcesOf(stack, 'aws_s3_bucket_logging'), name).toEqual([{ bucket: '${aws_s3_bucket.bucket_bucket.id}', target_bucket: `tenancy-access-logs-${account}-${region}`, target_prefix: `${String(resourcesOf(stack, 'aws_s3_bucket')[0]!.bucket)}/` }]);
    }
    const shipped = new Map(synthesizeControlPlane(example.fleet.platform, LOCAL_STATE).map((s) => [s.name, JSON.parse(s.json) as TerraformJson]));
    expect(resourcesOf(shipped.get('control-plane')!, 'aws_s3_bucket_logging')).toEqual([expect.objectContaining({ target_bucket: '${aws_s3_bucket.state-access-logs_bucket.bucket}', target_prefix: 'example-saas-tenancy-state/' })]);
    for (const [name, account] of [['account-provider', '111122223333'], ['account-platform', '444455556666']] as const) {
      const stack = shipped.get(name)!;
      expect(resourcesOf(stack, 'aws_s3_bucket').map((b) => b.bucket).sort(), name).toEqual([`tenancy-access-logs-${account}-eu-west-1`, `tenancy-access-logs-${account}-us-east-1`]);
      for (const bucketPolicy of resourcesOf(stack, 'aws_s3_bucket_policy')) {
        const [write] = (JSON.parse(String(bucketPolicy.policy)) as { Statement: { Principal: unknown; Condition: { StringEquals: Record<string, string> } }[] }).Statement;
        expect(write, name).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': account } } });
      }
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

  it('enforces network policy, gives pods their own security groups and tags every interface with its cluster on every cluster', () => {
    let clusters = 0;
    for (const [name, stack] of all) {
      for (const cluster of resourcesOf(stack, 'aws_eks_cluster')) {
        clusters++;
        const cni = resourcesOf(stack, 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni');
        expect(cni, `${name} ${String(cluster.name)}`).toMatchObject({ addon_version: example.fleet.platform.kubernetes['1.31']!.addons['vpc-cni'] });
        expect(JSON.parse(String(cni!.configuration_values)), name).toEqual({
          enableNetworkPolicy: 'true',
          env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard', ADDITIONAL_ENI_TAGS: JSON.stringify({ 'tenancy-cluster': cluster.name }) },
        });
        expect(resourcesOf(stack, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn), name).toContain('arn:aws:iam::aws:policy/AmazonEKSVPCResourceController');
      }
    }
    expect(clusters).toBe(10);
  });

  it('logs every flow of every network and every control-plane log of every cluster', () => {
    for (const [name] of across('aws_vpc')) {
      expect(resourcesOf(example.byName.get(name)!, 'aws_flow_log').map((f) => [f.vpc_id, f.traffic_type]), name).toEqual([['${aws_vpc.network_vpc.id}', 'ALL']]);
    }
    for (const [name, cluster] of across('aws_eks_cluster')) {
      expect(cluster.enabled_cluster_log_types, name).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    }
    for (const [name, db] of across('aws_db_instance')) {
      expect(db.enabled_cloudwatch_logs_exports, name).toEqual(db.engine === 'postgres' ? ['postgresql', 'upgrade'] : ['error', 'slowquery']);
      const groups = resourcesOf(example.byName.get(name)!, 'aws_cloudwatch_log_group').map((g) => g.name);
      for (const type of db.enabled_cloudwatch_logs_exports as string[]) expect(groups, `${name}: RDS would make the ${type} group unencrypted, kept forever`).toContain(`/aws/rds/instance/${String(db.identifier)}/${type}`);
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
    let statements = 0;
    for (const [name, stack] of all) {
      for (const document of Object.values(stack.data?.aws_iam_policy_document ?? {})) {
        for (const statement of document.statement as { actions: string[]; resources?: string[] }[]) {
          expect(statement.actions, name).not.toContain('*');
          if (statement.resources) expect(statement.resources, name).not.toContain('*');
          statements++;
        }
      }
    }
    let inlinePolicies = 0;
    for (const [name, policy] of across('aws_iam_role_policy')) {
      const inline = policyStatements(policy.policy);
      if (inline.length) inlinePolicies++;
      for (const statement of inline) {
        expect([statement.Action].flat(), name).not.toContain('*');
        expect([statement.Resource].flat(), name).not.toContain('*');
        statements++;
      }
    }
    // The 24 others are the workload and database-admin policy documents, checked above.
    expect(inlinePolicies).toBe(30);
    expect(statements).toBeGreaterThan(150);
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
    // Twelve stacks of customers' accounts, seven of them with keys, whose untagged provider takes the same session.
    expect(externalIds).toBe(19);
  });

  it('gives every cluster role the cluster boundary, every node role the node boundary, each with its cluster\'s name, and every other role the owner boundary', () => {
    let roles = 0;
    const clusterRoles = new Set<string>();
    for (const [name, stack] of all) {
      const attached = new Map<string, string[]>();
      for (const a of resourcesOf(stack, 'aws_iam_role_policy_attachment')) attached.set(String(a.role), [...(attached.get(String(a.role)) ?? []), String(a.policy_arn)]);
      for (const [id, role] of Object.entries(stack.resource?.aws_iam_role ?? {})) {
        const policies = attached.get(`\${aws_iam_role.${id}.name}`) ?? [];
        const label = `${name} ${String(role.name)}`;
        if (policies.some((arn) => arn.includes(':policy/AmazonEKS'))) {
          clusterRoles.add(label);
          const kind = policies.some((arn) => arn.endsWith('/AmazonEKSClusterPolicy')) ? 'cluster' : 'node';
          expect(role.permissions_boundary, label).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:policy/tenancy-${kind}-boundary$`));
          expect((role.tags as Record<string, string>)['tenancy-cluster'], label).toMatch(/^(tenant|cell|pool)-[a-z0-9-]+$/);
        } else {
          expect(role.permissions_boundary, label).toMatch(/^arn:aws:iam::\d{12}:policy\/tenancy-owner-boundary$/);
          expect(role.tags, label).toBeUndefined();
        }
        roles++;
      }
    }
    // The ten clusters' roles and their nodes', and the three critical node groups' (hooli, tyrell, initech-ops).
    expect(clusterRoles.size).toBe(23);
    // Per tenant: workload, and with a database its backup and database-admin roles; per cluster its
    // role and nodes'; per network its flow logs'; per critical node group its nodes'.
    expect(roles).toBe(67);
  });
});
