import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT, creates, decideAsDeployer, expected, owned, SCOPE, type NamedCall, type Session } from '../testing/deployer-calls';
import { deployerClusterPolicy, plannerAccessPolicyArn } from './deployer-policies';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const eks = (resource: string) => `arn:aws:eks:us-east-1:${ACCOUNT}:${resource}`;
const logs = (group: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}`;
const decide = (calls: readonly NamedCall[], session: Session) => decideAsDeployer([deployerClusterPolicy(SCOPE)], session, calls);

describe('the deployer\'s cluster permissions, by IAM simulation, built in the test', () => {
  it('let a cell make and run its own cluster, its parts and logs, and give the planner only the view policy', async () => {
    const calls: NamedCall[] = [
      ['creates its cluster', 'eks:CreateCluster', '*', creates('cell-blue-1')],
      ['creates a cluster tagged as another\'s', 'eks:CreateCluster', '*', creates('cell-blue-2')],
      ['updates its cluster', 'eks:UpdateClusterVersion', eks('cluster/cell-blue-1')],
      ['updates another cluster', 'eks:UpdateClusterVersion', eks('cluster/cell-blue-2')],
      ['deletes its cluster', 'eks:DeleteCluster', eks('cluster/cell-blue-1')],
      ['updates its node group', 'eks:UpdateNodegroupVersion', eks('nodegroup/cell-blue-1/cell-blue-1-shared/0a1b')],
      ['updates another cluster\'s node group', 'eks:UpdateNodegroupVersion', eks('nodegroup/cell-blue-2/cell-blue-2-shared/0a1b')],
      ['updates its add-on', 'eks:UpdateAddon', eks('addon/cell-blue-1/vpc-cni/0a1b')],
      ['deletes its access entry', 'eks:DeleteAccessEntry', eks('access-entry/cell-blue-1/role/111122223333/tenancy-plan/0a1b')],
      ['tags its cluster', 'eks:TagResource', eks('cluster/cell-blue-1'), { 'aws:RequestTag/tenancy-owner': 'cell-blue-1', 'aws:TagKeys': ['tenancy-owner'] }],
      ['tags its cluster as another\'s', 'eks:TagResource', eks('cluster/cell-blue-1'), { 'aws:RequestTag/tenancy-owner': 'cell-blue-2', 'aws:TagKeys': ['tenancy-owner'] }],
      ['gives the planner an access entry', 'eks:CreateAccessEntry', eks('cluster/cell-blue-1'), creates('cell-blue-1', { 'eks:principalArn': `arn:aws:iam::${ACCOUNT}:role/tenancy-plan` })],
      ['gives another role an access entry', 'eks:CreateAccessEntry', eks('cluster/cell-blue-1'), creates('cell-blue-1', { 'eks:principalArn': `arn:aws:iam::${ACCOUNT}:role/admin` })],
      ['gives the planner the view policy', 'eks:AssociateAccessPolicy', eks('access-entry/cell-blue-1/role/111122223333/tenancy-plan/0a1b'), { 'eks:policyArn': plannerAccessPolicyArn('aws') }],
      ['gives the planner the admin policy', 'eks:AssociateAccessPolicy', eks('access-entry/cell-blue-1/role/111122223333/tenancy-plan/0a1b'),
        { 'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' }],
      ['sets its cluster log\'s retention', 'logs:PutRetentionPolicy', logs('/aws/eks/cell-blue-1/cluster')],
      ['sets its flow log\'s retention', 'logs:PutRetentionPolicy', logs('/tenancy/cell-blue-1/flow-logs')],
      // CloudWatch Logs names a group with ":*" after it in some calls' ARNs.
      ['lists its cluster log\'s tags, by the group\'s :* ARN', 'logs:ListTagsLogGroup', logs('/aws/eks/cell-blue-1/cluster:*')],
      ['deletes another cluster\'s log', 'logs:DeleteLogGroup', logs('/aws/eks/cell-blue-2/cluster')],
      ['reads add-on versions', 'eks:DescribeAddonVersions', '*'],
      ['makes EKS\'s own role', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`, { 'iam:AWSServiceName': 'eks.amazonaws.com' }],
      ['makes another service\'s own role', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM`, { 'iam:AWSServiceName': 'ssm.amazonaws.com' }],
    ];
    expect(await decide(calls, { owner: 'cell-blue-1' })).toEqual(expected(calls, [
      'creates its cluster', 'updates its cluster', 'deletes its cluster', 'updates its node group', 'updates its add-on', 'deletes its access entry', 'tags its cluster',
      'gives the planner an access entry', 'gives the planner the view policy', 'sets its cluster log\'s retention', 'sets its flow log\'s retention', 'lists its cluster log\'s tags, by the group\'s :* ARN', 'reads add-on versions', 'makes EKS\'s own role',
    ]));
  });

  it('let a tenant of a pool add its critical nodes and its pods\' identity on the pool\'s cluster, and change nothing else of it', async () => {
    const calls: NamedCall[] = [
      ['adds its node group to its host\'s cluster', 'eks:CreateNodegroup', eks('cluster/pool-shared-1'), creates('tenant-hooli')],
      ['adds a pod identity on its host\'s cluster', 'eks:CreatePodIdentityAssociation', eks('cluster/pool-shared-1'), creates('tenant-hooli')],
      ['adds a node group to another pool\'s cluster', 'eks:CreateNodegroup', eks('cluster/pool-shared-2'), creates('tenant-hooli')],
      ['updates its host\'s cluster', 'eks:UpdateClusterVersion', eks('cluster/pool-shared-1')],
      ['updates its critical node group', 'eks:UpdateNodegroupConfig', eks('nodegroup/pool-shared-1/tenant-hooli-critical/0a1b')],
      ['updates the pool\'s shared node group', 'eks:UpdateNodegroupConfig', eks('nodegroup/pool-shared-1/pool-shared-1-shared/0a1b')],
      ['updates its pod identity', 'eks:UpdatePodIdentityAssociation', eks('podidentityassociation/pool-shared-1/a-0a1b'), owned('tenant-hooli')],
      ['updates another tenant\'s pod identity', 'eks:UpdatePodIdentityAssociation', eks('podidentityassociation/pool-shared-1/a-0a1b'), owned('tenant-globex')],
      ['sets its database log\'s retention', 'logs:PutRetentionPolicy', logs('/aws/rds/instance/tenant-hooli/error')],
      ['sets another database log\'s retention', 'logs:PutRetentionPolicy', logs('/aws/rds/instance/tenant-globex/error')],
    ];
    expect(await decide(calls, { owner: 'tenant-hooli', host: 'pool-shared-1' })).toEqual(expected(calls, [
      'adds its node group to its host\'s cluster', 'adds a pod identity on its host\'s cluster', 'updates its critical node group', 'updates its pod identity', 'sets its database log\'s retention',
    ]));
  });
});
