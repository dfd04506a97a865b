import { DEPLOYMENT_MODELS, HOSTING_MODELS } from '@tenancy/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMBINATIONS } from './combinations';
import { exampleStacks, resourcesOf, type ExampleStacks } from './testing/example-stacks';

describe('the combination table', () => {
  let example: ExampleStacks;
  beforeAll(async () => { example = await exampleStacks(); });

  it('has exactly the nine hosting x deployment rows', () => {
    expect(Object.keys(COMBINATIONS).sort()).toEqual(HOSTING_MODELS.flatMap((h) => DEPLOYMENT_MODELS.map((d) => `${h}/${d}`)).sort());
  });

  it.each(Object.entries(COMBINATIONS))('%s synthesizes what its row says', (combination, composition) => {
    const tenants = example.fleet.tenants.filter((t) => `${t.tenant.hosting.model}/${t.tenant.deployment.model}` === combination);
    expect(tenants.length, 'the example fleet covers the combination').toBeGreaterThan(0);
    for (const { id } of tenants) {
      const data = example.byName.get(`tenant-${id}-data`)!;
      const compute = example.byName.get(`tenant-${id}-compute`);
      const workload = example.byName.get(`tenant-${id}-workload`)!;
      expect(resourcesOf(data, 'aws_vpc').length).toBe(composition.data.includes('own-network') ? 1 : 0);
      expect(Object.keys(data.data?.terraform_remote_state ?? {})).toEqual(composition.data.includes('shared-network') ? ['placement'] : []);
      expect(resourcesOf(data, 'aws_kms_key')).toHaveLength(1);
      expect(compute !== undefined).toBe(composition.compute.length > 0);
      if (compute) {
        expect(resourcesOf(compute, 'aws_eks_cluster').length).toBe(composition.compute.includes('cluster') ? 1 : 0);
        expect(resourcesOf(compute, 'aws_eks_node_group').length).toBeGreaterThan(0);
      }
      const deployments = Object.keys(workload.resource?.kubernetes_deployment_v1 ?? {});
      expect(deployments.includes('packed_workload_deployment')).toBe(composition.workload.includes('packed-workload'));
      expect(deployments.includes('data-plane-agent_agent_deployment')).toBe(composition.workload.includes('data-plane-agent'));
      expect(resourcesOf(workload, 'aws_iam_role')).toHaveLength(example.tenant(id).tenant.data.database ? 2 : 1);
      expect(resourcesOf(workload, 'kubernetes_namespace_v1')).toHaveLength(1);
    }
  });
});
