import { beforeAll, describe, expect, it } from 'vitest';
import { exampleStacks, type ExampleStacks, type TerraformJson } from '../testing/example-stacks';
import { manifestsOf, type Manifest } from '../testing/kubernetes-manifests';
import { schemaProblems, SERVED } from '../testing/kubernetes-schema';

interface PodSpec {
  hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean; automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  volumes?: { hostPath?: unknown }[];
  containers: {
    name: string; imagePullPolicy?: string; ports?: { hostPort?: number }[];
    securityContext?: { privileged?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { add?: string[]; drop?: string[] } };
  }[];
}

const podSpecOf = (m: Manifest): PodSpec | undefined => (m.kind === 'Deployment' || m.kind === 'Job' ? (m.spec as { template: { spec: PodSpec } }).template.spec : undefined);
const minor = (version: string) => Number(version.split('.')[1]);

describe('the Kubernetes objects of every workload stack', () => {
  let example: ExampleStacks;
  let slices: { stack: string; tenant: string; namespace: string; version: string; objects: { address: string; manifest: Manifest }[] }[];
  beforeAll(async () => {
    example = await exampleStacks();
    slices = example.fleet.tenants.map(({ id, tenant }) => {
      const stack = example.byName.get(`tenant-${id}-workload`)! as TerraformJson;
      const placement = tenant.deployment.model === 'dedicated'
        ? example.fleet.platform.tiers[tenant.tier]!
        : example.fleet.platform[tenant.deployment.model === 'multi-tenant' ? 'cells' : 'pools'][tenant.deployment.model === 'multi-tenant' ? tenant.deployment.cell : tenant.deployment.pool]!;
      return { stack: `tenant-${id}-workload`, tenant: id, namespace: `tenant-${id}`, version: placement.kubernetesVersion, objects: manifestsOf(stack) };
    });
    // Every check below loops over these: none may pass by having nothing to look at.
    expect(slices).toHaveLength(14);
    for (const slice of slices) expect(slice.objects.length, slice.stack).toBeGreaterThan(10);
  });

  it('are valid against the Kubernetes OpenAPI schema, with no field the API does not know, and served by their cluster\'s version', async () => {
    let objects = 0;
    const problems: string[] = [];
    for (const slice of slices) {
      for (const { address, manifest } of slice.objects) {
        objects++;
        for (const problem of await schemaProblems(manifest)) problems.push(`${slice.stack} ${address}: ${problem}`);
        const served = SERVED[manifest.apiVersion];
        expect(served, `${slice.stack} ${address}: ${manifest.apiVersion}`).toBeDefined();
        expect(minor(slice.version), `${slice.stack} ${address}: ${manifest.apiVersion} on Kubernetes ${slice.version}`).toBeGreaterThanOrEqual(minor(served!.since));
      }
    }
    expect(problems).toEqual([]);
    expect(slices).toHaveLength(14);
    expect(objects).toBeGreaterThan(14 * 12);
  });

  it('fail the check on a wrong type, a missing field, an unknown field, and a CRD field of the wrong shape', async () => {
    const acme = slices.find((s) => s.tenant === 'acme')!.objects;
    const deployment = acme.find((o) => o.manifest.kind === 'Deployment')!.manifest;
    const spec = deployment.spec as { replicas: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
    expect(await schemaProblems({ ...deployment, spec: { ...spec, replicas: 'three' } })).toEqual(['/spec/replicas type {"type":"integer"}']);
    const container = spec.template.spec.containers[0]!;
    const { image: _image, ...withoutImage } = container;
    const withContainer = (c: Record<string, unknown>) => ({ ...deployment, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: [c] } } } });
    expect(await schemaProblems(withContainer({ ...withoutImage, name: 'x' }))).toEqual([]);
    expect(await schemaProblems(withContainer({ ...container, volume_mount: [] }))).toEqual(['/spec/template/spec/containers/0/volume_mount: unknown field']);
    expect(await schemaProblems({ ...deployment, spec: { ...spec, template: undefined } })).toEqual(['/spec required {"missingProperty":"template"}']);
    const policy = acme.find((o) => o.manifest.kind === 'SecurityGroupPolicy')!.manifest;
    expect(await schemaProblems({ ...policy, spec: { podSelector: {}, securityGroups: { groupIds: [] } } })).toEqual(['/spec/securityGroups/groupIds must NOT have fewer than 1 items']);
    expect(await schemaProblems({ ...policy, spec: { podSelector: {}, securityGroup: { groupIds: ['sg-1'] } } })).toEqual(["/spec must NOT have additional properties 'securityGroup'"]);
  });

  describe('and the Multi-Tenancy Benchmark\'s level 1, over every slice', () => {
    it('keeps every object in the tenant\'s own namespace: no cluster-scoped object but the namespace, no RBAC at all', () => {
      for (const slice of slices) {
        for (const { address, manifest } of slice.objects) {
          if (manifest.kind === 'Namespace') expect(manifest.metadata.name, address).toBe(slice.namespace);
          else expect(manifest.metadata.namespace, `${slice.stack} ${address}`).toBe(slice.namespace);
          expect(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'], `${slice.stack} ${address}: tenants get no Kubernetes API rights`).not.toContain(manifest.kind);
        }
        expect(slice.objects.filter((o) => o.manifest.kind === 'Namespace'), slice.stack).toHaveLength(1);
      }
    });

    it('mounts no API token anywhere: tenants cannot read or change their quota, limits, policies or anyone\'s objects', () => {
      let accounts = 0;
      let pods = 0;
      for (const slice of slices) {
        for (const { address, manifest } of slice.objects) {
          if (manifest.kind === 'ServiceAccount') expect(manifest.automountServiceAccountToken, `${slice.stack} ${address}`).toBe(false);
          const pod = podSpecOf(manifest);
          if (pod) expect(pod.automountServiceAccountToken, `${slice.stack} ${address}`).toBe(false);
          if (manifest.kind === 'ServiceAccount') accounts++;
          if (pod) pods++;
        }
      }
      expect(accounts).toBeGreaterThan(14);
      expect(pods).toBeGreaterThan(14);
    });

    it('runs no pod on the host\'s network, PID or IPC namespace, with host paths or host ports, privileged, with added capabilities or as root', () => {
      let pods = 0;
      for (const slice of slices) {
        for (const { address, manifest } of slice.objects) {
          const pod = podSpecOf(manifest);
          if (!pod) continue;
          pods++;
          const where = `${slice.stack} ${address}`;
          expect([pod.hostNetwork, pod.hostPID, pod.hostIPC], where).toEqual([undefined, undefined, undefined]);
          expect((pod.volumes ?? []).filter((v) => v.hostPath !== undefined), where).toEqual([]);
          expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
          expect(pod.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
          for (const container of pod.containers) {
            const security = container.securityContext ?? {};
            expect(security.privileged, where).not.toBe(true);
            expect(security.allowPrivilegeEscalation, where).toBe(false);
            expect(security.capabilities?.add, where).toBeUndefined();
            expect(security.capabilities?.drop, where).toEqual(['ALL']);
            expect((container.ports ?? []).filter((p) => p.hostPort !== undefined), where).toEqual([]);
            // Always pulled: a tenant's pod cannot run another tenant's private image from the node's cache.
            expect(container.imagePullPolicy, where).toBe('Always');
          }
        }
      }
      expect(pods).toBeGreaterThan(14);
    });

    it('exposes nothing on nodes or load balancers: ClusterIP Services only, and a quota of zero node ports and load balancers', () => {
      let services = 0;
      for (const slice of slices) {
        for (const { address, manifest } of slice.objects.filter((o) => o.manifest.kind === 'Service')) {
          expect((manifest.spec as { type?: string }).type ?? 'ClusterIP', `${slice.stack} ${address}`).toBe('ClusterIP');
          services++;
        }
        const quotas = slice.objects.filter((o) => o.manifest.kind === 'ResourceQuota');
        expect(quotas, slice.stack).toHaveLength(1);
        expect((quotas[0]!.manifest.spec as { hard: Record<string, string> }).hard, slice.stack).toMatchObject({ 'services.nodeports': '0', 'services.loadbalancers': '0' });
      }
      expect(services).toBeGreaterThanOrEqual(14);
    });

    it('bounds every slice: a quota of CPU, memory and pods, container limits, restricted Pod Security, default-deny network policy, and its own security groups', () => {
      for (const slice of slices) {
        const of = (kind: string) => slice.objects.filter((o) => o.manifest.kind === kind).map((o) => o.manifest);
        expect(Object.keys((of('ResourceQuota')[0]!.spec as { hard: object }).hard), slice.stack).toEqual(expect.arrayContaining(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods']));
        expect((of('LimitRange')[0]!.spec as { limits: { type: string; max: object }[] }).limits[0], slice.stack).toMatchObject({ type: 'Container', max: { cpu: expect.any(String), memory: expect.any(String) } });
        expect(of('Namespace')[0]!.metadata.labels, slice.stack).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
        expect(of('NetworkPolicy').find((p) => p.metadata.name === 'default-deny')!.spec, slice.stack).toEqual({ podSelector: { matchLabels: {} }, policyTypes: ['Ingress', 'Egress'] });
        expect(of('SecurityGroupPolicy').map((p) => p.spec), slice.stack).toEqual([{
          podSelector: { matchLabels: {} },
          securityGroups: { groupIds: ['${data.terraform_remote_state.data.outputs.pod_security_group_id}', '${data.terraform_remote_state.cluster.outputs.cluster_security_group_id}'] },
        }]);
      }
    });
  });
});
