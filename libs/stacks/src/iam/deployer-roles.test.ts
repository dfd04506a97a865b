import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT, creates, decideAsDeployer, expected, SCOPE, type CallContext, type NamedCall, type Session } from '../testing/deployer-calls';
import { deployerBackupPolicy, deployerClusterPolicy, deployerDataPolicy, deployerNetworkPolicy, deployerPolicies, deployerRolesPolicy, deployerRoleUsePolicy } from './deployer-policies';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const boundary = (name: string): CallContext => ({ 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/${name}` });
const clusterTag = (cluster: string): CallContext => ({ 'aws:RequestTag/tenancy-cluster': cluster });
const decide = (calls: readonly NamedCall[], session: Session) => decideAsDeployer([deployerRolesPolicy(SCOPE), deployerRoleUsePolicy(SCOPE)], session, calls);

describe('the deployer\'s role permissions, by IAM simulation, built in the test', () => {
  it('let a tenant make its own roles under their boundaries, attach nothing to them, tag them as its own, and pass each to its service', async () => {
    const calls: NamedCall[] = [
      ['makes its workload role', 'iam:CreateRole', role('tenancy/tenant-acme-workload'), { ...boundary('tenancy-owner-boundary'), ...creates('tenant-acme') }],
      ['makes its workload role under the cluster boundary', 'iam:CreateRole', role('tenancy/tenant-acme-workload'), { ...boundary('tenancy-cluster-boundary'), ...creates('tenant-acme') }],
      ['makes its workload role with a cluster tag', 'iam:CreateRole', role('tenancy/tenant-acme-workload'), { ...boundary('tenancy-owner-boundary'), ...creates('tenant-acme', clusterTag('cell-blue-1')) }],
      ['makes its workload role tagged as another\'s', 'iam:CreateRole', role('tenancy/tenant-acme-workload'), { ...boundary('tenancy-owner-boundary'), ...creates('tenant-globex') }],
      ['makes another tenant\'s workload role', 'iam:CreateRole', role('tenancy/tenant-globex-workload'), { ...boundary('tenancy-owner-boundary'), ...creates('tenant-acme') }],
      ['makes its backup role', 'iam:CreateRole', role('tenant-acme-backup'), { ...boundary('tenancy-owner-boundary'), ...creates('tenant-acme') }],
      ['makes a shared node role of its name', 'iam:CreateRole', role('tenant-acme-shared-nodes'), { ...boundary('tenancy-node-boundary'), ...creates('tenant-acme', clusterTag('tenant-acme')) }],
      ['writes its workload role\'s policy', 'iam:PutRolePolicy', role('tenancy/tenant-acme-workload'), boundary('tenancy-owner-boundary')],
      ['writes it with the boundary gone', 'iam:PutRolePolicy', role('tenancy/tenant-acme-workload')],
      ['clears it with the boundary gone', 'iam:DeleteRolePolicy', role('tenancy/tenant-acme-workload')],
      ['attaches an EKS policy to its workload role put under the cluster boundary', 'iam:AttachRolePolicy', role('tenancy/tenant-acme-workload'),
        { ...boundary('tenancy-cluster-boundary'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }],
      ['clears a role under the legacy boundary', 'iam:DeleteRolePolicy', role('tenancy/tenant-acme-workload'), boundary('tenancy-workload-boundary')],
      ['writes a role under the legacy boundary', 'iam:PutRolePolicy', role('tenancy/tenant-acme-workload'), boundary('tenancy-workload-boundary')],
      ['attaches a policy to its workload role', 'iam:AttachRolePolicy', role('tenancy/tenant-acme-workload'), { ...boundary('tenancy-owner-boundary'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }],
      ['reads its role', 'iam:GetRole', role('tenancy/tenant-acme-workload')],
      ['tags its role', 'iam:TagRole', role('tenancy/tenant-acme-workload'), { 'aws:RequestTag/tenancy-owner': 'tenant-acme', 'aws:TagKeys': ['tenancy-owner'] }],
      ['tags its role as another\'s', 'iam:TagRole', role('tenancy/tenant-acme-workload'), { 'aws:RequestTag/tenancy-owner': 'tenant-globex', 'aws:TagKeys': ['tenancy-owner'] }],
      ['tags its role with a cluster', 'iam:TagRole', role('tenancy/tenant-acme-workload'), { 'aws:RequestTag/tenancy-cluster': 'cell-blue-1', 'aws:TagKeys': ['tenancy-cluster'] }],
      ['untags a name', 'iam:UntagRole', role('tenancy/tenant-acme-workload'), { 'aws:TagKeys': ['Name'] }],
      ['untags its owner', 'iam:UntagRole', role('tenancy/tenant-acme-workload'), { 'aws:TagKeys': ['tenancy-owner'] }],
      ['passes its workload role to EKS Pod Identity', 'iam:PassRole', role('tenancy/tenant-acme-workload'), { 'iam:PassedToService': 'pods.eks.amazonaws.com' }],
      ['passes its workload role to EKS', 'iam:PassRole', role('tenancy/tenant-acme-workload'), { 'iam:PassedToService': 'eks.amazonaws.com' }],
      ['passes its backup role to AWS Backup', 'iam:PassRole', role('tenant-acme-backup'), { 'iam:PassedToService': 'backup.amazonaws.com' }],
      ['passes its flow log role to VPC Flow Logs', 'iam:PassRole', role('tenant-acme-flow-logs'), { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' }],
      ['makes its critical nodes\' role for its host\'s cluster', 'iam:CreateRole', role('tenant-acme-critical-nodes'), { ...boundary('tenancy-node-boundary'), ...creates('tenant-acme', clusterTag('cell-blue-1')) }],
      ['makes it for another cluster', 'iam:CreateRole', role('tenant-acme-critical-nodes'), { ...boundary('tenancy-node-boundary'), ...creates('tenant-acme', clusterTag('cell-blue-2')) }],
      ['makes it for a cluster of its own name', 'iam:CreateRole', role('tenant-acme-critical-nodes'), { ...boundary('tenancy-node-boundary'), ...creates('tenant-acme', clusterTag('tenant-acme')) }],
      ['attaches the worker node policy to its nodes\' role', 'iam:AttachRolePolicy', role('tenant-acme-critical-nodes'), { ...boundary('tenancy-node-boundary'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' }],
      ['attaches administrator access to it', 'iam:AttachRolePolicy', role('tenant-acme-critical-nodes'), { ...boundary('tenancy-node-boundary'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    ];
    expect(await decide(calls, { owner: 'tenant-acme', host: 'cell-blue-1' })).toEqual(expected(calls, [
      'makes its workload role', 'makes its backup role', 'writes its workload role\'s policy', 'clears a role under the legacy boundary', 'reads its role', 'tags its role', 'untags a name',
      'passes its workload role to EKS Pod Identity', 'passes its backup role to AWS Backup', 'passes its flow log role to VPC Flow Logs', 'makes its critical nodes\' role for its host\'s cluster',
      'attaches the worker node policy to its nodes\' role',
    ]));
  });

  it('let a cell make its cluster\'s and shared nodes\' roles for its own cluster, and no tenant\'s', async () => {
    const calls: NamedCall[] = [
      ['makes its cluster role', 'iam:CreateRole', role('cell-blue-1-cluster'), { ...boundary('tenancy-cluster-boundary'), ...creates('cell-blue-1', clusterTag('cell-blue-1')) }],
      ['makes its cluster role without the cluster tag', 'iam:CreateRole', role('cell-blue-1-cluster'), { ...boundary('tenancy-cluster-boundary'), ...creates('cell-blue-1') }],
      ['makes its shared nodes\' role', 'iam:CreateRole', role('cell-blue-1-shared-nodes'), { ...boundary('tenancy-node-boundary'), ...creates('cell-blue-1', clusterTag('cell-blue-1')) }],
      ['makes a workload role of its name', 'iam:CreateRole', role('tenancy/cell-blue-1-workload'), { ...boundary('tenancy-owner-boundary'), ...creates('cell-blue-1') }],
      ['makes its flow log role', 'iam:CreateRole', role('cell-blue-1-flow-logs'), { ...boundary('tenancy-owner-boundary'), ...creates('cell-blue-1') }],
      ['writes its cluster role\'s policy', 'iam:PutRolePolicy', role('cell-blue-1-cluster'), boundary('tenancy-cluster-boundary')],
      ['writes its nodes\' role\'s policy', 'iam:PutRolePolicy', role('cell-blue-1-shared-nodes'), boundary('tenancy-node-boundary')],
      ['attaches the cluster policy to its cluster role', 'iam:AttachRolePolicy', role('cell-blue-1-cluster'), { ...boundary('tenancy-cluster-boundary'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }],
      ['attaches it to its cluster role without a boundary', 'iam:AttachRolePolicy', role('cell-blue-1-cluster'), { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }],
      ['makes its shared nodes\' role under the cluster boundary', 'iam:CreateRole', role('cell-blue-1-shared-nodes'), { ...boundary('tenancy-cluster-boundary'), ...creates('cell-blue-1', clusterTag('cell-blue-1')) }],
      ['names its cluster role', 'iam:TagRole', role('cell-blue-1-cluster'), { 'aws:RequestTag/Name': 'blue-1', 'aws:TagKeys': ['Name'] }],
      ['tags its cluster role with its cluster', 'iam:TagRole', role('cell-blue-1-cluster'), { 'aws:RequestTag/tenancy-cluster': 'cell-blue-1', 'aws:TagKeys': ['tenancy-cluster'] }],
      ['tags its cluster role with another cluster', 'iam:TagRole', role('cell-blue-1-cluster'), { 'aws:RequestTag/tenancy-cluster': 'cell-blue-2', 'aws:TagKeys': ['tenancy-cluster'] }],
      ['passes its cluster role to EKS', 'iam:PassRole', role('cell-blue-1-cluster'), { 'iam:PassedToService': 'eks.amazonaws.com' }],
      ['passes its cluster role to AWS Backup', 'iam:PassRole', role('cell-blue-1-cluster'), { 'iam:PassedToService': 'backup.amazonaws.com' }],
    ];
    expect(await decide(calls, { owner: 'cell-blue-1' })).toEqual(expected(calls, [
      'makes its cluster role', 'makes its shared nodes\' role', 'makes its flow log role', 'writes its cluster role\'s policy', 'writes its nodes\' role\'s policy',
      'attaches the cluster policy to its cluster role', 'names its cluster role', 'tags its cluster role with its cluster', 'passes its cluster role to EKS',
    ]));
  });
});

describe('the deployer role\'s managed policies', () => {
  it('are six, named after the role, each within IAM\'s 6,144 characters', () => {
    const policies = deployerPolicies(SCOPE);
    expect(policies.map((p) => p.name)).toEqual(['network', 'data', 'backups', 'clusters', 'roles', 'role-use'].map((part) => `tenancy-deploy-${part}`));
    expect(policies.map((p) => p.document)).toEqual([deployerNetworkPolicy, deployerDataPolicy, deployerBackupPolicy, deployerClusterPolicy, deployerRolesPolicy, deployerRoleUsePolicy].map((build) => build(SCOPE)));
    // IAM counts a managed policy's characters without whitespace.
    for (const { name, document } of policies) expect(JSON.stringify(document).length, name).toBeLessThanOrEqual(6_144);
  });
});
