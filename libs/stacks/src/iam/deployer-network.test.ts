import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT, creates, decideAsDeployer, expected, owned, SCOPE, type NamedCall } from '../testing/deployer-calls';
import { deployerNetworkPolicy } from './deployer-policies';

// The simulator loads AWS's service catalog on its first call: seconds.
vi.setConfig({ testTimeout: 120_000 });

const ec2 = (resource: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${resource}`;

const calls: NamedCall[] = [
  ['reads the network', 'ec2:DescribeVpcs', '*'],
  ['creates its VPC', 'ec2:CreateVpc', ec2('vpc/*'), creates('tenant-acme')],
  ['creates a VPC tagged as another\'s', 'ec2:CreateVpc', ec2('vpc/*'), creates('tenant-globex')],
  ['creates a VPC untagged', 'ec2:CreateVpc', ec2('vpc/*')],
  ['creates a subnet, the subnet', 'ec2:CreateSubnet', ec2('subnet/*'), creates('tenant-acme')],
  ['creates a subnet in its VPC', 'ec2:CreateSubnet', ec2('vpc/vpc-0acme'), { ...owned('tenant-acme'), ...creates('tenant-acme') }],
  ['creates a subnet in another\'s VPC', 'ec2:CreateSubnet', ec2('vpc/vpc-0globex'), { ...owned('tenant-globex'), ...creates('tenant-acme') }],
  ['creates a subnet in a VPC of no one\'s', 'ec2:CreateSubnet', ec2('vpc/vpc-0customer'), creates('tenant-acme')],
  ['creates a NAT gateway', 'ec2:CreateNatGateway', ec2('natgateway/*'), creates('tenant-acme')],
  ['opens its security group', 'ec2:AuthorizeSecurityGroupIngress', ec2('security-group/sg-0acme'), owned('tenant-acme')],
  ['opens another\'s security group', 'ec2:AuthorizeSecurityGroupIngress', ec2('security-group/sg-0globex'), owned('tenant-globex')],
  ['tags what it creates', 'ec2:CreateTags', ec2('vpc/vpc-0new'), creates('tenant-acme', { 'ec2:CreateAction': 'CreateVpc' })],
  ['tags while creating what the groups do not create', 'ec2:CreateTags', ec2('vpc/vpc-0new'), creates('tenant-acme', { 'ec2:CreateAction': 'RunInstances' })],
  ['tags a new subnet', 'ec2:CreateTags', ec2('subnet/subnet-0new'), creates('tenant-acme', { 'ec2:CreateAction': 'CreateSubnet' })],
  ['retags its VPC', 'ec2:CreateTags', ec2('vpc/vpc-0acme'), owned('tenant-acme', { 'aws:RequestTag/Name': 'acme', 'aws:TagKeys': ['Name'] })],
  ['retags its VPC as another\'s', 'ec2:CreateTags', ec2('vpc/vpc-0acme'), owned('tenant-acme', { 'aws:RequestTag/tenancy-owner': 'tenant-globex', 'aws:TagKeys': ['tenancy-owner'] })],
  ['tags a customer\'s VPC as its own', 'ec2:CreateTags', ec2('vpc/vpc-0customer'), { 'aws:RequestTag/tenancy-owner': 'tenant-acme', 'aws:TagKeys': ['tenancy-owner'] }],
  ['untags a name of its VPC', 'ec2:DeleteTags', ec2('vpc/vpc-0acme'), owned('tenant-acme', { 'aws:TagKeys': ['Name'] })],
  ['untags its VPC\'s owner', 'ec2:DeleteTags', ec2('vpc/vpc-0acme'), owned('tenant-acme', { 'aws:TagKeys': ['tenancy-owner'] })],
  ['untags another\'s VPC', 'ec2:DeleteTags', ec2('vpc/vpc-0globex'), owned('tenant-globex', { 'aws:TagKeys': ['Name'] })],
  ['deletes its VPC', 'ec2:DeleteVpc', ec2('vpc/vpc-0acme'), owned('tenant-acme')],
  ['deletes another\'s VPC', 'ec2:DeleteVpc', ec2('vpc/vpc-0globex'), owned('tenant-globex')],
  ['adds its security group to its host\'s VPC', 'ec2:CreateSecurityGroup', ec2('vpc/vpc-0blue1'), { ...owned('cell-blue-1'), ...creates('tenant-acme') }],
  ['adds a security group to another cell\'s VPC', 'ec2:CreateSecurityGroup', ec2('vpc/vpc-0blue2'), { ...owned('cell-blue-2'), ...creates('tenant-acme') }],
  ['adds a subnet to its host\'s VPC', 'ec2:CreateSubnet', ec2('vpc/vpc-0blue1'), { ...owned('cell-blue-1'), ...creates('tenant-acme') }],
];

describe('the deployer\'s network permissions, by IAM simulation, built in the test', () => {
  it('create by request tag, manage by the owner\'s tag, never retag into reach, and reach the host\'s VPC only for a security group', async () => {
    expect(await decideAsDeployer([deployerNetworkPolicy(SCOPE)], { owner: 'tenant-acme', host: 'cell-blue-1' }, calls)).toEqual(expected(calls, [
      'reads the network', 'creates its VPC', 'creates a subnet, the subnet', 'creates a subnet in its VPC', 'creates a NAT gateway', 'opens its security group',
      'tags what it creates', 'tags a new subnet', 'retags its VPC', 'untags a name of its VPC', 'deletes its VPC', 'adds its security group to its host\'s VPC',
    ]));
  });
});
