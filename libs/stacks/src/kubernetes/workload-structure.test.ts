import { beforeAll, describe, expect, it } from 'vitest';
import { exampleStacks, resourcesOf, type ExampleStacks, type TerraformJson } from '../testing/example-stacks';

type Deployment = { metadata: { name: string; labels: Record<string, string> }; spec: { replicas: string; template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } } };
type Policy = { metadata: { name: string }; spec: Record<string, unknown> };

describe('the workload stack of a multi-tenant tenant (acme in cell blue-1)', () => {
  let example: ExampleStacks;
  let stack: TerraformJson;
  beforeAll(async () => {
    example = await exampleStacks();
    stack = example.byName.get('tenant-acme-workload')!;
  });

  it('gets a namespace that enforces the restricted Pod Security Standard', () => {
    const [namespace] = resourcesOf(stack, 'kubernetes_namespace_v1') as { metadata: { name: string; labels: Record<string, string> } }[];
    expect(namespace!.metadata.name).toBe('tenant-acme');
    expect(namespace!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' });
  });

  it('gets the quota and container limits of its tier, and no load balancer or node port', () => {
    expect((resourcesOf(stack, 'kubernetes_resource_quota_v1')[0] as { spec: object }).spec).toEqual({
      hard: { 'requests.cpu': '16', 'requests.memory': '32Gi', 'limits.cpu': '16', 'limits.memory': '32Gi', pods: '60', 'services.loadbalancers': '0', 'services.nodeports': '0' },
    });
    expect((resourcesOf(stack, 'kubernetes_limit_range_v1')[0] as { spec: object }).spec).toEqual({
      limit: [{ type: 'Container', default: { cpu: '250m', memory: '512Mi' }, default_request: { cpu: '250m', memory: '512Mi' }, max: { cpu: '4', memory: '8Gi' } }],
    });
  });

  it('denies all traffic by default and allows DNS, its own namespace, the cell ingress to its ports, HTTPS and its database', () => {
    const policies = resourcesOf(stack, 'kubernetes_network_policy_v1') as Policy[];
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-database-egress', 'allow-dns', 'allow-https-egress', 'allow-ingress-controller', 'allow-same-namespace', 'default-deny']);
    expect(policies.find((p) => p.metadata.name === 'default-deny')!.spec).toEqual({ pod_selector: { match_labels: {} }, policy_types: ['Ingress', 'Egress'] });
    expect(JSON.stringify(policies.find((p) => p.metadata.name === 'allow-ingress-controller')!.spec)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
    expect(JSON.stringify(policies.find((p) => p.metadata.name === 'allow-ingress-controller')!.spec)).toContain('"port":"8080"');
    expect(policies.find((p) => p.metadata.name === 'allow-database-egress')!.spec).toMatchObject({ egress: [{ to: [{ ip_block: { cidr: '10.64.0.0/16' } }], ports: [{ port: '5432', protocol: 'TCP' }] }] });
    expect(JSON.stringify(policies.find((p) => p.metadata.name === 'allow-https-egress')!.spec)).toContain('"except":["169.254.169.254/32"]');
  });

  it('gives its service account\'s pods its own IAM role through EKS Pod Identity, trusted only for that service account', () => {
    const accounts = resourcesOf(stack, 'kubernetes_service_account_v1') as { metadata: { name: string; annotations?: Record<string, string> }; automount_service_account_token: boolean }[];
    expect(accounts.map((a) => [a.metadata.name, a.automount_service_account_token, a.metadata.annotations])).toEqual([['database-admin', false, undefined], ['workload', false, undefined]]);
    expect(resourcesOf(stack, 'aws_eks_pod_identity_association')).toEqual([
      { cluster_name: '${data.terraform_remote_state.cluster.outputs.cluster_name}', namespace: 'tenant-acme', service_account: 'database-admin', role_arn: '${aws_iam_role.database-admin-identity_role.arn}' },
      { cluster_name: '${data.terraform_remote_state.cluster.outputs.cluster_name}', namespace: 'tenant-acme', service_account: 'workload', role_arn: '${aws_iam_role.identity_role.arn}' },
    ]);
    const trust = stack.data!.aws_iam_policy_document!.identity_trust as { statement: { actions: string[]; condition: object[]; principals: object[] }[] };
    expect(trust.statement[0]!.principals).toEqual([{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }]);
    expect(trust.statement[0]!.actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(trust.statement[0]!.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-arn', values: ['${data.terraform_remote_state.cluster.outputs.cluster_arn}'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['tenant-acme'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['workload'] },
    ]);
    expect(resourcesOf(stack, 'aws_iam_role')[0]).toMatchObject({ permissions_boundary: 'arn:aws:iam::111122223333:policy/tenancy-owner-boundary' });
    // A trust is written once: a trust that changes (another cluster) replaces the role and its policy.
    expect(stack.resource!.terraform_data!['identity_trust-written']).toEqual({ triggers_replace: { trust: '${data.aws_iam_policy_document.identity_trust.json}' } });
    for (const resource of [stack.resource!.aws_iam_role!.identity_role, stack.resource!.aws_iam_role_policy!['identity_access-policy']]) {
      expect(resource!.lifecycle).toEqual({ replace_triggered_by: ['terraform_data.identity_trust-written'] });
    }
  });

  it('lets that role reach only its own key and bucket, and connect to its database as the tenant\'s own user, never read the master password', () => {
    const access = stack.data!.aws_iam_policy_document!.identity_access as { statement: { actions: string[]; resources: string[] }[] };
    expect(access.statement.map((s) => [s.actions, s.resources])).toEqual([
      [['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], ['${data.terraform_remote_state.data.outputs.kms_key_arn}']],
      [['s3:ListBucket', 's3:GetBucketLocation'], ['${data.terraform_remote_state.data.outputs.bucket_arn}']],
      [['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], ['${data.terraform_remote_state.data.outputs.bucket_arn}/*']],
      [['rds-db:connect'], ['arn:aws:rds-db:us-east-1:111122223333:dbuser:${data.terraform_remote_state.data.outputs.database_resource_id}/tenant-acme']],
    ]);
    const config = resourcesOf(stack, 'kubernetes_config_map_v1').find((c) => (c.metadata as { name: string }).name === 'tenant-config')!;
    expect(config.data).toMatchObject({ DATABASE_USER: 'tenant-acme', DATABASE_NAME: 'app', DATABASE_AUTH: 'iam' });
    expect(JSON.stringify(config.data)).not.toContain('secret');
  });

  it('reads the master password only in the database user job, under a role of its own', () => {
    const admin = stack.data!.aws_iam_policy_document!['database-admin-identity_access'] as { statement: { actions: string[]; resources: string[] }[] };
    expect(admin.statement.map((s) => [s.actions, s.resources])).toEqual([
      [['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], ['${data.terraform_remote_state.data.outputs.database_secret_arn}']],
    ]);
    const [job] = resourcesOf(stack, 'kubernetes_job_v1') as { wait_for_completion: boolean; spec: { template: { spec: { service_account_name: string; container: { image: string; env: { name: string; value: string }[] }[] } } } }[];
    expect(job!.wait_for_completion).toBe(true);
    expect(job!.spec.template.spec.service_account_name).toBe('${kubernetes_service_account_v1.database-user_service-account.metadata[0].name}');
    expect(job!.spec.template.spec.container[0]!.image).toBe('ghcr.io/example-saas/database-tools:1.0.0');
    expect(job!.spec.template.spec.container[0]!.env).toContainEqual({ name: 'MASTER_SECRET_ARN', value: '${data.terraform_remote_state.data.outputs.database_secret_arn}' });
    const deployments = resourcesOf(stack, 'kubernetes_deployment_v1') as { spec: { template: { spec: { service_account_name: string } } } }[];
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) expect(d.spec.template.spec.service_account_name).toBe('workload');
  });

  it('gives every pod of the namespace the tenant\'s security group and the cluster\'s', () => {
    expect(resourcesOf(stack, 'kubernetes_manifest').map((m) => m.manifest)).toEqual([{
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: expect.objectContaining({ name: 'tenant-pods', namespace: '${kubernetes_namespace_v1.namespace_namespace.metadata[0].name}' }),
      spec: {
        podSelector: { matchLabels: {} },
        securityGroups: { groupIds: ['${data.terraform_remote_state.data.outputs.pod_security_group_id}', '${data.terraform_remote_state.cluster.outputs.cluster_security_group_id}'] },
      },
    }]);
  });

  it('runs each resource as a restricted, non-root deployment of the channel version', () => {
    const deployments = resourcesOf(stack, 'kubernetes_deployment_v1') as Deployment[];
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['api', 'worker']);
    const api = deployments.find((d) => d.metadata.name === 'api')!;
    expect(api.spec.replicas).toBe('3');
    const pod = api.spec.template.spec as { security_context: object; automount_service_account_token: boolean; service_account_name: string; container: Record<string, unknown>[] };
    expect(pod).toMatchObject({ automount_service_account_token: false, service_account_name: 'workload' });
    expect(pod.security_context).toEqual({ run_as_non_root: true, run_as_user: '10001', run_as_group: '10001', fs_group: '10001', seccomp_profile: { type: 'RuntimeDefault' } });
    expect(pod.container[0]).toMatchObject({
      image: 'ghcr.io/example-saas/api:2.14.1',
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } },
      security_context: { allow_privilege_escalation: false, read_only_root_filesystem: true, run_as_non_root: true, capabilities: { drop: ['ALL'] }, seccomp_profile: { type: 'RuntimeDefault' } },
    });
  });

  it('configures the Kubernetes provider from the cell stack\'s state, with an ephemeral token of its own AWS access', () => {
    expect(stack.provider!.kubernetes).toEqual([{
      host: '${data.terraform_remote_state.cluster.outputs.cluster_endpoint}',
      cluster_ca_certificate: '${base64decode(data.terraform_remote_state.cluster.outputs.cluster_certificate_authority)}',
      token: '${ephemeral.aws_eks_cluster_auth.cluster-auth.token}',
    }]);
    expect(stack.ephemeral!.aws_eks_cluster_auth!['cluster-auth']).toEqual({ name: '${data.terraform_remote_state.cluster.outputs.cluster_name}' });
    expect(stack.data?.aws_eks_cluster_auth).toBeUndefined();
    expect(stack.data!.terraform_remote_state!.cluster).toMatchObject({ config: { path: '../../state/cell-blue-1.tfstate' } });
  });
});

describe('resource-shared placement (hooli on pool shared-1)', () => {
  it('runs critical resources on its tainted node group and packs the others on the pool\'s shared nodes', async () => {
    const example = await exampleStacks();
    const stack = example.byName.get('tenant-hooli-workload')!;
    const deployments = resourcesOf(stack, 'kubernetes_deployment_v1') as Deployment[];
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['api', 'packed']);
    expect(deployments.find((d) => d.metadata.name === 'api')!.spec.template.spec).toMatchObject({
      node_selector: { 'tenancy.io/tenant': 'hooli' },
      toleration: [{ key: 'tenancy.io/tenant', operator: 'Equal', value: 'hooli', effect: 'NoSchedule' }],
    });
    const packed = deployments.find((d) => d.metadata.name === 'packed')!;
    expect(packed.spec.template.spec).toMatchObject({ node_selector: { 'tenancy.io/pool': 'shared-1' } });
    expect((packed.spec.template.spec.container as object[])[0]).toMatchObject({
      image: 'ghcr.io/example-saas/runtime:2.15.0',
      command: ['supervisord', '-c', '/etc/supervisord/supervisord.conf'],
      resources: { requests: { cpu: '400m', memory: '512Mi' } },
    });
    // Release 2.15.0 pins the api image's digest: the critical api runs that very image; the runtime, not pinned, runs by tag.
    expect((deployments.find((d) => d.metadata.name === 'api')!.spec.template.spec.container as { image: string }[])[0]!.image)
      .toBe('ghcr.io/example-saas/api:2.15.0@sha256:7f3c1e9a2b4d6f80a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7');
    const [migration] = resourcesOf(stack, 'kubernetes_job_v1').filter((j) => (j.metadata as { name: string }).name === 'migrate-2-15-0') as { spec: { template: { spec: { container: { image: string }[] } } } }[];
    expect(migration!.spec.template.spec.container[0]!.image).toBe('ghcr.io/example-saas/api:2.15.0@sha256:7f3c1e9a2b4d6f80a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7');
    const compute = example.byName.get('tenant-hooli-compute')!;
    expect(resourcesOf(compute, 'aws_eks_node_group')[0]).toMatchObject({
      cluster_name: '${data.terraform_remote_state.pool.outputs.cluster_name}',
      labels: { 'tenancy.io/tenant': 'hooli' },
      taint: [{ key: 'tenancy.io/tenant', value: 'hooli', effect: 'NO_SCHEDULE' }],
    });
  });
});

describe('the data-plane agent of a customer-account tenant (initech-hr)', () => {
  it('dials out on 443 only: no port, no Service, no inbound traffic at all', async () => {
    const example = await exampleStacks();
    const stack = example.byName.get('tenant-initech-hr-workload')!;
    const agent = (resourcesOf(stack, 'kubernetes_deployment_v1') as Deployment[]).find((d) => d.metadata.name === 'data-plane-agent')!;
    const container = (agent.spec.template.spec.container as { port: unknown[]; env: { name: string; value: string }[]; image: string }[])[0]!;
    expect(container.port).toEqual([]);
    expect(container.image).toBe('ghcr.io/example-saas/agent:2.14.1');
    expect(container.env).toContainEqual({ name: 'CONTROL_PLANE_URL', value: 'https://control.example-saas.com' });
    expect(agent.spec.template.metadata.labels['tenancy.io/inbound']).toBe('none');
    const services = resourcesOf(stack, 'kubernetes_service_v1') as { metadata: { name: string } }[];
    expect(services.map((s) => s.metadata.name)).toEqual(['api']);
    const policies = resourcesOf(stack, 'kubernetes_network_policy_v1') as Policy[];
    expect(policies.find((p) => p.metadata.name === 'data-plane-agent-outbound-only')!.spec).toMatchObject({
      policy_types: ['Ingress', 'Egress'],
      egress: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    for (const name of ['allow-same-namespace', 'allow-ingress-controller']) {
      expect(policies.find((p) => p.metadata.name === name)!.spec.pod_selector).toEqual({ match_expressions: [{ key: 'tenancy.io/inbound', operator: 'DoesNotExist' }] });
    }
  });
});
