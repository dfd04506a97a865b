import { beforeAll, describe, expect, it } from 'vitest';
import { keyPolicy } from './key-policy';
import type { PolicyDocument, Statement } from './policy-document';
import { CLUSTER_TAG, SESSION_TAG } from './session-scope';
import { sessionArn, type Call, type SimulatedCase, type SimulatedRole } from '../testing/iam-simulator';
import type { ShippedRoles } from '../testing/shipped-roles';
import { shippedWorld, STATE_KEY, type ShippedWorld } from '../testing/shipped-world';
import { principalTags } from '../testing/stack-requests';

const SIMULATION_TIMEOUT = 180_000;
const REGION = 'us-east-1';

/**
 * What a customer's security team tries inside one account, and what the issue's review found open:
 * each case a call IAM evaluates with the roles tenancy ships (@cloud-copilot/iam-simulate). Every
 * denied case names its guard, the statement or condition that denies it; the guard is removed and
 * the same call must then be allowed, so that no case is denied by accident.
 */
interface Case extends SimulatedCase {
  /** Which finding of the review the case is about: 1 reach, 2 tags, 3 purge, 4 state, 5 trust. */
  readonly why: 1 | 2 | 3 | 4 | 5;
  /** What denies it: removed, the call must be allowed. */
  readonly guard?: Guard;
}

interface Guard {
  readonly name: string;
  readonly remove: (c: Case) => Case;
}

type Change = (statement: Statement) => Statement | undefined;

function edit(document: PolicyDocument, sid: string, change: Change): PolicyDocument {
  if (!document.Statement.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid} to remove a guard from`);
  return { ...document, Statement: document.Statement.flatMap((s) => (s.Sid === sid ? [change(s)].filter((x): x is Statement => x !== undefined) : [s])) };
}

const withoutCondition: Change = ({ Condition: _, ...statement }) => statement;
const dropped: Change = () => undefined;
const onAnyResource: Change = (statement) => ({ ...statement, Resource: '*' });

const ANYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Guards, by where they are: the role's boundary, its own policies, the resource's policy. */
const guard = {
  boundary: (sid: string, change: Change): Guard => ({ name: `boundary ${sid}`, remove: (c) => ({ ...c, role: { ...c.role, boundary: edit(c.role.boundary!, sid, change) } }) }),
  policies: (sid: string, change: Change): Guard => ({
    name: `policy ${sid}`,
    remove: (c) => {
      if (!c.role.policies.some((p) => p.Statement.some((s) => s.Sid === sid))) throw new Error(`no policy statement ${sid}`);
      return { ...c, role: { ...c.role, policies: c.role.policies.map((p) => (p.Statement.some((s) => s.Sid === sid) ? edit(p, sid, change) : p)) } };
    },
  }),
  resource: (sid: string, change: Change): Guard => ({ name: `resource policy ${sid}`, remove: (c) => ({ ...c, call: { ...c.call, resourcePolicy: edit(c.call.resourcePolicy!, sid, change) } }) }),
  /** What earlier releases shipped: the single workload boundary. */
  legacyBoundary: (legacy: PolicyDocument): Guard => ({ name: 'the workload boundary of earlier releases', remove: (c) => ({ ...c, role: { ...c.role, boundary: legacy } }) }),
  /** A permission the role's own policies no longer give, given back (with nothing else removed). */
  granted: (name: string): Guard => ({ name, remove: (c) => ({ ...c, role: { ...c.role, policies: [...c.role.policies, ANYTHING] } }) }),
  all: (...guards: Guard[]): Guard => ({ name: guards.map((g) => g.name).join(' + '), remove: (c) => guards.reduce((acc, g) => g.remove(acc), c) }),
};

async function decide(w: ShippedWorld, c: Case): Promise<'allowed' | 'denied'> {
  const tags = c.tags ?? c.role.tags;
  const decision = await w.simulator.evaluate(c.role, c.principal ?? sessionArn(c.role.arn, 'case'), { ...c.call, context: { ...c.call.context, ...principalTags(tags) } });
  return decision === 'Allowed' ? 'allowed' : 'denied';
}

/** Runs cases and their guards; returns lines to compare, so a failure shows every case that went wrong. */
async function run(w: ShippedWorld, cases: readonly Case[]): Promise<{ actual: string[]; expected: string[] }> {
  const actual: string[] = [];
  const expected: string[] = [];
  for (const c of cases) {
    actual.push(`${c.why} ${c.name}: ${await decide(w, c)}`);
    expected.push(`${c.why} ${c.name}: ${c.expected}`);
    if (c.guard) {
      actual.push(`${c.why} ${c.name}, without ${c.guard.name}: ${await decide(w, c.guard.remove(c))}`);
      expected.push(`${c.why} ${c.name}, without ${c.guard.name}: allowed`);
    }
  }
  return { actual, expected };
}

/** Counted over every describe of the file, for the closing note. */
const tally = { allowed: 0, denied: 0, guards: 0 };
function count(cases: readonly Case[]): void {
  for (const c of cases) {
    tally[c.expected]++;
    if (c.guard) tally.guards++;
  }
}

interface Account {
  readonly label: string;
  readonly accountId: string;
  readonly roles: (w: ShippedWorld) => ShippedRoles;
  /** A tenant of the account in a cell, and another tenant of the same cell. */
  readonly tenant: string;
  readonly neighbour: string;
}

const ACCOUNTS: readonly Account[] = [
  { label: 'the provider account (account stack)', accountId: '111122223333', roles: (w) => w.accounts.get('111122223333')!, tenant: 'acme', neighbour: 'stark' },
  { label: 'the platform account (account stack)', accountId: '444455556666', roles: (w) => w.accounts.get('444455556666')!, tenant: 'oscorp', neighbour: 'cyberdyne' },
  { label: 'a customer account (CloudFormation bootstrap)', accountId: '777788889999', roles: (w) => w.accounts.get('777788889999')!, tenant: 'initech-hr', neighbour: 'initech-fin' },
  { label: 'a customer account (Terraform bootstrap)', accountId: '777788889999', roles: (w) => w.terraformBootstraps.get('777788889999')!, tenant: 'initech-hr', neighbour: 'initech-fin' },
];

/** The cases of Why 1 to 3 inside one account, against the roles tenancy ships there. */
function accountCases(w: ShippedWorld, account: Account): Case[] {
  const { accountId } = account;
  const roles = account.roles(w);
  const tenant = `tenant-${account.tenant}`;
  const neighbour = `tenant-${account.neighbour}`;
  const host = hostOf(w, account.tenant);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${accountId}:${resource}`;
  const role = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  const boundary = (name: string) => `arn:aws:iam::${accountId}:policy/${name}`;
  const resourceTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  const requestTags = (tags: Record<string, string>) => ({ ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags) });
  const call = (action: string, resource: string, context: Call['context'] = {}, resourcePolicy?: PolicyDocument): Call => ({ action, resource, resourceAccount: accountId, context, ...(resourcePolicy ? { resourcePolicy } : {}) });

  // Roles the stacks make, each with * on * of its own: only its boundary caps it.
  const owned = (name: string, kind: 'owner' | 'cluster' | 'nodes', tags: Record<string, string>): SimulatedRole => ({ arn: role(name), policies: [ANYTHING], boundary: roles.boundaries[kind], tags });
  const workload = owned(`tenancy/${tenant}-workload`, 'owner', { [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' });
  const nodes = owned(`${host}-shared-nodes`, 'nodes', { [SESSION_TAG.owner]: host, [CLUSTER_TAG]: host, 'managed-by': 'tenancy' });
  const cluster = owned(`${host}-cluster`, 'cluster', { [SESSION_TAG.owner]: host, [CLUSTER_TAG]: host, 'managed-by': 'tenancy' });
  const session = { [SESSION_TAG.owner]: tenant, [SESSION_TAG.host]: host };
  const purge = { ...session, [SESSION_TAG.purge]: 'true' };
  const legacy = guard.legacyBoundary(roles.boundaries.legacy);

  const customerDb = arn('rds', 'db:customer-prod');
  const masterSecret = (db: string) => call('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:rds!db-0a1b2c-AbCdEf'), { 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': db });
  const customerKey: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Default', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }] };
  const tenancyKey = (owner: string) => keyPolicy({
    partition: 'aws', region: REGION, accountId, deployerRoleArn: roles.deployer.arn, plannerRoleArn: roles.planner.arn, owner, holdsData: owner.startsWith('tenant-'),
  });
  const key = (policy: PolicyDocument, aliases: string[], action = 'kms:Decrypt', context: Call['context'] = {}) => call(action, arn('kms', 'key/1234abcd-0000'), { 'kms:ResourceAliases': aliases, ...context }, policy);
  const eni = (tags: Record<string, string>) => call('ec2:AssignPrivateIpAddresses', arn('ec2', 'network-interface/eni-0a1b'), resourceTags(tags));
  const bucketObject = (owner: string) => `arn:aws:s3:::${owner}-data-${accountId}-${REGION}/report.csv`;
  const customerResources = [
    ['modifies a customer\'s instance', 'ec2:ModifyInstanceAttribute', arn('ec2', 'instance/i-0customer')],
    ['opens a customer\'s security group', 'ec2:AuthorizeSecurityGroupIngress', arn('ec2', 'security-group/sg-0customer')],
    ['adds a route to a customer\'s route table', 'ec2:CreateRoute', arn('ec2', 'route-table/rtb-0customer')],
    ['deletes a customer\'s volume', 'ec2:DeleteVolume', arn('ec2', 'volume/vol-0customer')],
    ['deletes a customer\'s load balancer', 'elasticloadbalancing:DeleteLoadBalancer', arn('elasticloadbalancing', 'loadbalancer/app/customer/0a1b')],
    ['scales a customer\'s Auto Scaling group', 'autoscaling:UpdateAutoScalingGroup', arn('autoscaling', 'autoScalingGroup:0a1b:autoScalingGroupName/customer')],
  ] as const;
  const ownedBy = (r: SimulatedRole, name: string, c: Call, expected: Case['expected'], why: Case['why'] = 1, g?: Guard): Case => ({ why, name: `${r.arn.split('/').pop()} ${name}`, role: r, call: c, expected, ...(g ? { guard: g } : {}) });
  const deployer = (name: string, c: Call, expected: Case['expected'], why: Case['why'], g?: Guard, tags: Record<string, string> = session): Case => ({ why, name: `the deployer ${name}`, role: roles.deployer, tags, call: c, expected, ...(g ? { guard: g } : {}) });
  const bucketPolicyForSession: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'GrantsTheSession', Effect: 'Allow', Principal: { AWS: sessionArn(roles.deployer.arn, 'case') }, Action: ['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention'], Resource: `arn:aws:s3:::${tenant}-data-${accountId}-${REGION}/*` }],
  };
  const vault = arn('backup', `backup-vault:${tenant}`);
  const plan = arn('backup', 'backup-plan:0a1b2c3d');

  return [
    // 1. A role made for one tenant reaches only that tenant.
    ownedBy(workload, 'reads its own database\'s master password', masterSecret(arn('rds', `db:${tenant}`)), 'allowed'),
    ownedBy(workload, 'reads the master password of a customer\'s database', masterSecret(customerDb), 'denied', 1, guard.boundary('OwnDatabaseMasterSecret', withoutCondition)),
    ownedBy(workload, 'reads the master password of another tenant\'s database', masterSecret(arn('rds', `db:${neighbour}`)), 'denied', 1, guard.boundary('OwnDatabaseMasterSecret', withoutCondition)),
    ownedBy(workload, 'decrypts with its own key', key(tenancyKey(tenant), [`alias/${tenant}`]), 'allowed'),
    ownedBy(workload, 'decrypts with a customer\'s key', key(customerKey, ['alias/customer-payroll']), 'denied', 1, guard.boundary('OwnKey', withoutCondition)),
    ownedBy(workload, 'decrypts with another tenant\'s key', key(tenancyKey(neighbour), [`alias/${neighbour}`]), 'denied', 1, guard.boundary('OwnKey', withoutCondition)),
    ownedBy(workload, 'grants its own key to another account', key(tenancyKey(tenant), [`alias/${tenant}`], 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' }), 'denied', 1, guard.boundary('OwnKeyGrantsToAwsServices', withoutCondition)),
    ownedBy(workload, 'connects to a database as its own user', call('rds-db:connect', arn('rds-db', `dbuser:db-ABCDEFGHIJ/${tenant}`)), 'allowed'),
    ownedBy(workload, 'connects as the master user', call('rds-db:connect', arn('rds-db', 'dbuser:db-ABCDEFGHIJ/tenancy_admin')), 'denied', 1, guard.boundary('OwnDatabaseUser', onAnyResource)),
    ownedBy(workload, 'connects as another tenant\'s user', call('rds-db:connect', arn('rds-db', `dbuser:db-KLMNOPQRST/${neighbour}`)), 'denied', 1, guard.boundary('OwnDatabaseUser', onAnyResource)),
    ownedBy(workload, 'connects as the user of earlier releases', call('rds-db:connect', arn('rds-db', 'dbuser:db-KLMNOPQRST/app')), 'denied', 1, guard.boundary('OwnDatabaseUser', onAnyResource)),
    ownedBy(workload, 'reads its own bucket\'s objects', call('s3:GetObject', bucketObject(tenant)), 'allowed'),
    ownedBy(workload, 'reads another tenant\'s objects', call('s3:GetObject', bucketObject(neighbour)), 'denied', 1, guard.boundary('OwnObjects', onAnyResource)),
    ownedBy(workload, 'snapshots a customer\'s database', call('rds:CreateDBSnapshot', customerDb), 'denied', 1, guard.boundary('OwnDatabaseBackups', onAnyResource)),
    ...customerResources.map(([name, action, resource]) => ownedBy(workload, name, call(action, resource), 'denied', 1, legacy)),

    ownedBy(nodes, 'assigns addresses to an interface of its cluster', eni({ [CLUSTER_TAG]: host }), 'allowed'),
    ownedBy(nodes, 'assigns addresses to a customer\'s interface', eni({}), 'denied', 1, guard.boundary('ClusterInterfaces', withoutCondition)),
    ownedBy(nodes, 'assigns addresses to an interface of another cluster', eni({ [CLUSTER_TAG]: 'cell-other' }), 'denied', 1, guard.boundary('ClusterInterfaces', withoutCondition)),
    ownedBy(nodes, 'attaches an interface to a customer\'s instance', call('ec2:AttachNetworkInterface', arn('ec2', 'instance/i-0customer')), 'denied', 1, guard.boundary('ClusterInstances', withoutCondition)),
    ownedBy(nodes, 'makes an interface in a customer\'s subnet', call('ec2:CreateNetworkInterface', arn('ec2', 'subnet/subnet-0customer')), 'denied', 1, guard.boundary('InterfacesInClusterSubnets', withoutCondition)),
    ownedBy(nodes, 'makes an interface in a subnet of its cluster', call('ec2:CreateNetworkInterface', arn('ec2', 'subnet/subnet-0a1b'), resourceTags({ [SESSION_TAG.owner]: host })), 'allowed'),
    ownedBy(nodes, 'pulls an EKS add-on image', call('ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:602401143452:repository/amazon-k8s-cni', { 'aws:ResourceAccount': '602401143452' }), 'allowed'),
    ownedBy(nodes, 'pulls an image from a registry platform.yaml does not list', call('ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:999988887777:repository/tools', { 'aws:ResourceAccount': '999988887777' }), 'denied', 1, guard.boundary('ListedImages', withoutCondition)),
    ownedBy(nodes, 'gets pod credentials on another cluster', call('eks-auth:AssumeRoleForPodIdentity', arn('eks', 'cluster/cell-other')), 'denied', 1, guard.boundary('OwnCluster', onAnyResource)),
    ...customerResources.map(([name, action, resource]) => ownedBy(nodes, name, call(action, resource), 'denied', 1, legacy)),

    ownedBy(cluster, 'opens the security group EKS made for its cluster', call('ec2:AuthorizeSecurityGroupIngress', arn('ec2', 'security-group/sg-0eks'), { 'aws:ResourceTag/aws:eks:cluster-name': host }), 'allowed'),
    ownedBy(cluster, 'opens a customer\'s security group', call('ec2:AuthorizeSecurityGroupIngress', arn('ec2', 'security-group/sg-0customer')), 'denied', 1, guard.boundary('ClusterSecurityGroups', withoutCondition)),
    ownedBy(cluster, 'deletes a customer\'s load balancer', call('elasticloadbalancing:DeleteLoadBalancer', arn('elasticloadbalancing', 'loadbalancer/app/customer/0a1b')), 'denied', 1, guard.boundary('ClusterLoadBalancers', withoutCondition)),
    ownedBy(cluster, 'scales a customer\'s Auto Scaling group', call('autoscaling:UpdateAutoScalingGroup', arn('autoscaling', 'autoScalingGroup:0a1b:autoScalingGroupName/customer')), 'denied', 1, guard.boundary('ClusterNodeGroups', withoutCondition)),
    ownedBy(cluster, 'modifies a customer\'s instance', call('ec2:ModifyInstanceAttribute', arn('ec2', 'instance/i-0customer')), 'denied', 1, guard.boundary('ClusterInstances', withoutCondition)),
    ownedBy(cluster, 'decrypts with its cluster\'s key', key(tenancyKey(host), [`alias/${host}-cluster`]), 'allowed'),
    ownedBy(cluster, 'decrypts with a customer\'s key', key(customerKey, ['alias/customer-payroll']), 'denied', 1, guard.boundary('ClusterKey', withoutCondition)),
    ownedBy(cluster, 'adds a route to a customer\'s route table', call('ec2:CreateRoute', arn('ec2', 'route-table/rtb-0customer')), 'denied', 1, legacy),
    ownedBy(cluster, 'deletes a customer\'s volume', call('ec2:DeleteVolume', arn('ec2', 'volume/vol-0customer')), 'denied', 1, legacy),

    deployer('changes the trust of its workload role', call('iam:UpdateAssumeRolePolicy', role(`tenancy/${tenant}-workload`), { 'iam:PermissionsBoundary': boundary('tenancy-owner-boundary') }), 'denied', 1,
      guard.all(guard.boundary('TrustsAreWrittenOnce', dropped), guard.granted('UpdateAssumeRolePolicy'))),
    deployer('makes its workload role under the owner boundary, tagged as its own', call('iam:CreateRole', role(`tenancy/${tenant}-workload`), {
      'iam:PermissionsBoundary': boundary('tenancy-owner-boundary'), ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' }),
    }), 'allowed', 1),
    deployer('makes its workload role under the boundary of earlier releases', call('iam:CreateRole', role(`tenancy/${tenant}-workload`), {
      'iam:PermissionsBoundary': boundary('tenancy-workload-boundary'), ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' }),
    }), 'denied', 1, guard.policies('RolesCreateOwner', withoutCondition)),
    deployer('makes its node role under the owner boundary', call('iam:CreateRole', role(`${tenant}-nodes`), {
      'iam:PermissionsBoundary': boundary('tenancy-owner-boundary'), ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy', [CLUSTER_TAG]: tenant }),
    }), 'denied', 1, guard.policies('RolesCreateNodes', withoutCondition)),
    deployer('makes its node role for another cluster', call('iam:CreateRole', role(`${tenant}-nodes`), {
      'iam:PermissionsBoundary': boundary('tenancy-node-boundary'), ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy', [CLUSTER_TAG]: 'cell-other' }),
    }), 'denied', 1, guard.policies('RolesCreateNodes', withoutCondition)),
    // The rollout of this release moves each role to its own boundary, or deletes it; nothing else is done to a role under the old one.
    deployer('moves its workload role from the boundary of earlier releases to its own', call('iam:PutRolePermissionsBoundary', role(`tenancy/${tenant}-workload`), { 'iam:PermissionsBoundary': boundary('tenancy-owner-boundary') }), 'allowed', 1),
    deployer('deletes a role still under the boundary of earlier releases', call('iam:DeleteRole', role(`tenancy/${tenant}-workload`), { 'iam:PermissionsBoundary': boundary('tenancy-workload-boundary') }), 'allowed', 1),
    deployer('puts a policy in a role still under the boundary of earlier releases', call('iam:PutRolePolicy', role(`tenancy/${tenant}-workload`), { 'iam:PermissionsBoundary': boundary('tenancy-workload-boundary') }), 'denied', 1,
      guard.policies('RolesBoundedOwner', withoutCondition)),

    // 2. A tag action needs the resource tagged for the same owner already, or is the request that creates it.
    deployer('retags its own backup plan', call('backup:TagResource', plan, { ...resourceTags({ [SESSION_TAG.owner]: tenant }), ...requestTags({ tier: 'premium' }) }), 'allowed', 2),
    deployer('tags a customer\'s backup plan as its own', call('backup:TagResource', plan, requestTags({ [SESSION_TAG.owner]: tenant })), 'denied', 2, guard.policies('BackupsRetag', withoutCondition)),
    deployer('tags a customer\'s key with the platform\'s tag keys', key(customerKey, ['alias/customer-payroll'], 'kms:TagResource', requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' })), 'denied', 2,
      guard.all(guard.boundary('AtMostTheStacksServices', (s) => ({ ...s, Action: [...(s.Action as string[]), 'kms:TagResource'] })), guard.granted('kms:TagResource, as earlier releases gave it'))),
    deployer('lets RDS tag the master secret of its own new database', call('secretsmanager:TagResource', arn('secretsmanager', 'secret:rds!db-0a1b2c-AbCdEf'), {
      'aws:CalledVia': ['rds.amazonaws.com'], ...requestTags({ 'aws:rds:primaryDBInstanceArn': arn('rds', `db:${tenant}`) }),
    }), 'allowed', 2),
    deployer('tags the master secret of a customer\'s database through RDS', call('secretsmanager:TagResource', arn('secretsmanager', 'secret:rds!db-0a1b2c-AbCdEf'), {
      'aws:CalledVia': ['rds.amazonaws.com'], 'aws:ResourceTag/aws:rds:primaryDBInstanceArn': customerDb, ...requestTags({ 'data-classification': 'public' }),
    }), 'denied', 2, guard.policies('DatabaseMasterSecretByRds', withoutCondition)),
    deployer('tags the master secret of its own database itself', call('secretsmanager:TagResource', arn('secretsmanager', 'secret:rds!db-0a1b2c-AbCdEf'), {
      'aws:ResourceTag/aws:rds:primaryDBInstanceArn': arn('rds', `db:${tenant}`), ...requestTags({ 'data-classification': 'public' }),
    }), 'denied', 2, guard.policies('DatabaseMasterSecretByRds', withoutCondition)),
    deployer('writes a platform tag key on a customer\'s VPC', call('ec2:CreateTags', arn('ec2', 'vpc/vpc-0customer'), requestTags({ 'data-classification': 'public' })), 'denied', 2, guard.policies('Ec2Retag', withoutCondition)),
    ownedBy(nodes, 'tags a new interface with its cluster', call('ec2:CreateTags', arn('ec2', 'network-interface/eni-0new'), { 'ec2:CreateAction': 'CreateNetworkInterface', ...requestTags({ [CLUSTER_TAG]: host }) }), 'allowed', 2),
    ownedBy(nodes, 'gives an interface of its cluster to another cluster', call('ec2:CreateTags', arn('ec2', 'network-interface/eni-0a1b'), { ...resourceTags({ [CLUSTER_TAG]: host }), ...requestTags({ [CLUSTER_TAG]: 'cell-other' }) }), 'denied', 2,
      guard.all(guard.boundary('OwnershipOnlyWhileCreating', dropped), guard.boundary('OnlyItsOwnCluster', dropped))),
    ownedBy(nodes, 'tags an interface of its cluster as a tenant\'s', call('ec2:CreateTags', arn('ec2', 'network-interface/eni-0a1b'), { ...resourceTags({ [CLUSTER_TAG]: host }), ...requestTags({ [SESSION_TAG.owner]: tenant }) }), 'denied', 2,
      guard.all(guard.boundary('OwnershipOnlyWhileCreating', dropped), guard.boundary('NeverAnOwnerTag', dropped))),
    ownedBy(nodes, 'tags a new interface for another cluster', call('ec2:CreateTags', arn('ec2', 'network-interface/eni-0new'), { 'ec2:CreateAction': 'CreateNetworkInterface', ...requestTags({ [CLUSTER_TAG]: 'cell-other' }) }), 'denied', 2,
      guard.boundary('OnlyItsOwnCluster', dropped)),

    // 3. Only the purge destroys data or lifts what protects it, whatever a resource policy says.
    purgeSession(w, 'deployer', roles, session, 'denied'),
    purgeSession(w, 'purger', roles, session, 'allowed'),
    deployer('deletes an object version its bucket\'s policy lets its session delete', call('s3:DeleteObjectVersion', bucketObject(tenant), {}, bucketPolicyForSession), 'denied', 3,
      guard.boundary('DestroysDataOnlyInPurge', dropped)),
    deployer('bypasses the Object Lock its bucket\'s policy lets its session bypass', call('s3:BypassGovernanceRetention', bucketObject(tenant), {}, bucketPolicyForSession), 'denied', 3,
      guard.boundary('DestroysDataOnlyInPurge', dropped)),
    deployer('lifts its vault\'s lock', call('backup:DeleteBackupVaultLockConfiguration', vault), 'denied', 3,
      guard.all(guard.boundary('DestroysDataOnlyInPurge', dropped), guard.policies('BackupVaultsPurge', withoutCondition))),
    deployer('lifts its vault\'s lock in a purge', call('backup:DeleteBackupVaultLockConfiguration', vault), 'allowed', 3, undefined, purge),
    deployer('deletes a backup of its database', call('backup:DeleteRecoveryPoint', arn('rds', 'snapshot:awsbackup:job-0a1b'), resourceTags({ [SESSION_TAG.owner]: tenant })), 'denied', 3,
      guard.all(guard.boundary('DestroysDataOnlyInPurge', dropped), guard.policies('BackupsPurge', withoutCondition))),
    deployer('deletes its database', call('rds:DeleteDBInstance', arn('rds', `db:${tenant}`)), 'denied', 3,
      guard.all(guard.boundary('DestroysDataOnlyInPurge', dropped), guard.policies('DatabasesPurge', withoutCondition))),
    deployer('creates its database open to the internet', call('rds:CreateDBInstance', arn('rds', `db:${tenant}`), { 'rds:PubliclyAccessible': 'true', ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' }) }), 'denied', 3,
      guard.boundary('DatabasesStayPrivate', dropped)),
    deployer('creates its database inside its network', call('rds:CreateDBInstance', arn('rds', `db:${tenant}`), { 'rds:PubliclyAccessible': 'false', ...requestTags({ [SESSION_TAG.owner]: tenant, 'managed-by': 'tenancy' }) }), 'allowed', 3),
    deployer('locks its vault in compliance mode', call('backup:PutBackupVaultLockConfiguration', vault, { 'backup:ChangeableForDays': '3' }), 'denied', 3, guard.policies('BackupVaultLocksAreGovernance', dropped)),
    deployer('caps how long its vault keeps backups', call('backup:PutBackupVaultLockConfiguration', vault, { 'backup:MaxRetentionDays': '1' }), 'denied', 3, guard.policies('BackupVaultLocksHaveNoMaximum', dropped)),
  ];
}

/**
 * A control-plane principal tags its session in the account as a purge: the account deployer
 * role's trust, as the resource policy, lets only the purger.
 */
function purgeSession(w: ShippedWorld, principal: 'deployer' | 'purger', roles: ShippedRoles, session: Record<string, string>, expected: Case['expected']): Case {
  const caller = w.controlPlane[principal];
  const tags = { ...session, [SESSION_TAG.purge]: 'true' };
  const { accountId } = { accountId: roles.deployer.arn.split(':')[4]! };
  return {
    why: 3, name: `the control plane's ${principal} tags its session in the account as a purge`, role: caller, principal: sessionArn(caller.arn, 'GitHubActions'), tags: {}, expected,
    call: {
      action: 'sts:TagSession', resource: roles.deployer.arn, resourceAccount: accountId, resourcePolicy: roles.deployer.trust!,
      context: { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags), 'aws:ResourceTag/tenancy-role': 'deployer' },
    },
    ...(expected === 'denied' ? { guard: guard.resource('PurgeSessionTags', (s) => ({ ...s, Principal: { AWS: [w.controlPlane.deployer.arn, w.controlPlane.purger.arn] } })) } : {}),
  };
}

/** The cell or pool hosting a tenant, as its owner name. */
function hostOf(w: ShippedWorld, id: string): string {
  const data = w.walked.get(`tenant-${id}-data`);
  const host = data?.session.tags[SESSION_TAG.host];
  if (!host) throw new Error(`tenant ${id} has no host in the example fleet`);
  return host;
}

describe('the tenant boundary inside an account, by IAM simulation of the roles tenancy ships (both bootstrap formats, every account kind)', () => {
  let w: ShippedWorld;
  beforeAll(async () => { w = await shippedWorld(); }, SIMULATION_TIMEOUT);

  it.each(ACCOUNTS.map((a) => [a.label, a] as const))('in %s', { timeout: SIMULATION_TIMEOUT }, async (_label, account) => {
    const cases = accountCases(w, account);
    expect(cases.length).toBeGreaterThan(60);
    count(cases);
    const { actual, expected } = await run(w, cases);
    expect(actual).toEqual(expected);
  });
});

const STATE_BUCKET = 'arn:aws:s3:::example-saas-tenancy-state';
const PROVIDER = '111122223333';
const OIDC_PROVIDER = `arn:aws:iam::${PROVIDER}:oidc-provider/token.actions.githubusercontent.com`;
const REPOSITORY = 'example-saas/tenants';

/** A change to a control-plane role, whose boundary is its own policy: both are changed alike. */
function controlPlaneGuard(sid: string, change: Change): Guard {
  return {
    name: `control-plane policy ${sid}`,
    remove: (c) => ({ ...c, role: { ...c.role, policies: c.role.policies.map((p) => edit(p, sid, change)), boundary: edit(c.role.boundary!, sid, change) } }),
  };
}

/** A condition of a trust without one of its keys. */
const withoutKey = (key: string): Change => (statement) => ({
  ...statement,
  Condition: Object.fromEntries(Object.entries(statement.Condition!).map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).filter(([k]) => k !== key))])),
});

/**
 * The simulator knows STS's GitHub claim keys (job_workflow_ref, environment, ...) but not the
 * provider-wide aud and sub, which it would count missing: the trust is simulated without them, and
 * they are asserted as text.
 */
function simulable(trust: PolicyDocument): PolicyDocument {
  return ['aud', 'sub'].reduce((doc, claim) => edit(doc, 'GitHubWorkflowsOfTheRepository', withoutKey(`token.actions.githubusercontent.com:${claim}`)), trust);
}

describe('the control plane: state by principal, and trust bound to the workflow, by IAM simulation', () => {
  let w: ShippedWorld;
  beforeAll(async () => { w = await shippedWorld(); }, SIMULATION_TIMEOUT);

  it('gives each principal the state keys it must reach and no other, and the planner no lock', { timeout: SIMULATION_TIMEOUT }, async () => {
    const { planner, deployer, purger } = w.controlPlane;
    const object = (key: string) => `${STATE_BUCKET}/tenancy/${key}`;
    const state = (name: string, role: SimulatedRole, action: string, key: string, expected: Case['expected'], g?: Guard): Case => ({
      why: 4, name: `the ${name} ${action.split(':')[1]} ${key}`, role, principal: sessionArn(role.arn, 'GitHubActions'), tags: {},
      call: { action, resource: object(key), resourceAccount: PROVIDER, context: {} }, expected, ...(g ? { guard: g } : {}),
    });
    const stateKey = (name: string, role: SimulatedRole, action: string, viaS3: boolean, expected: Case['expected'], g?: Guard): Case => ({
      why: 4, name: `the ${name} ${action} with the state key${viaS3 ? ' through S3' : ' outside S3'}`, role, principal: sessionArn(role.arn, 'GitHubActions'), tags: {},
      call: { action, resource: STATE_KEY, resourceAccount: PROVIDER, context: viaS3 ? { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } : {}, resourcePolicy: w.stateKeyPolicy }, expected, ...(g ? { guard: g } : {}),
    });
    const earlierStateAccess = (sid: string) => controlPlaneGuard(sid, (s) => ({ ...s, Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${STATE_BUCKET}/tenancy/*` }));
    const cases: Case[] = [
      state('planner', planner, 's3:GetObject', 'tenant-acme-data.tfstate', 'allowed'),
      state('planner', planner, 's3:GetObject', 'offboardings/wayne/0123abcd.json', 'allowed'),
      state('planner', planner, 's3:PutObject', 'tenant-acme-data.tfstate.tflock', 'denied', earlierStateAccess('StateRead')),
      state('planner', planner, 's3:DeleteObject', 'tenant-acme-data.tfstate.tflock', 'denied', earlierStateAccess('StateRead')),
      state('planner', planner, 's3:PutObject', 'tenant-acme-data.tfstate', 'denied', earlierStateAccess('StateRead')),
      state('planner', planner, 's3:GetObject', 'control-plane.tfstate', 'denied', controlPlaneGuard('StateRead', onAnyResource)),
      stateKey('planner', planner, 'kms:Decrypt', true, 'allowed'),
      stateKey('planner', planner, 'kms:GenerateDataKey', true, 'denied', controlPlaneGuard('StateKeyThroughS3', (s) => ({ ...s, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }))),
      stateKey('planner', planner, 'kms:Decrypt', false, 'denied', controlPlaneGuard('StateKeyThroughS3', withoutCondition)),
      state('deployer', deployer, 's3:PutObject', 'tenant-acme-data.tfstate', 'allowed'),
      state('deployer', deployer, 's3:PutObject', 'tenant-acme-data.tfstate.tflock', 'allowed'),
      state('deployer', deployer, 's3:PutObject', 'cell-blue-1.tfstate', 'allowed'),
      state('deployer', deployer, 's3:PutObject', 'offboardings/wayne/0123abcd.json', 'allowed'),
      state('deployer', deployer, 's3:PutObject', 'control-plane.tfstate', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
      state('deployer', deployer, 's3:DeleteObject', 'account-provider.tfstate', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
      state('deployer', deployer, 's3:PutObject', 'elsewhere.txt', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
      stateKey('deployer', deployer, 'kms:GenerateDataKey', true, 'allowed'),
      stateKey('deployer', deployer, 'kms:Decrypt', false, 'denied', controlPlaneGuard('StateKeyThroughS3', withoutCondition)),
      state('purger', purger, 's3:PutObject', 'tenant-wayne-data.tfstate', 'allowed'),
      state('purger', purger, 's3:PutObject', 'tenant-wayne-compute.tfstate', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
      state('purger', purger, 's3:PutObject', 'cell-blue-1.tfstate', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
      state('purger', purger, 's3:PutObject', 'offboardings/wayne/0123abcd.json', 'denied', controlPlaneGuard('StateWrite', onAnyResource)),
    ];
    const secret = (name: string, role: SimulatedRole, action: string, expected: Case['expected'], resource = 'tenancy/customers/initech/external-id-AbCdEf', g?: Guard): Case => ({
      why: 4, name: `the ${name} ${action.split(':')[1]} ${resource}`, role, principal: sessionArn(role.arn, 'GitHubActions'), tags: {}, expected, ...(g ? { guard: g } : {}),
      call: { action, resource: `arn:aws:secretsmanager:us-east-1:${PROVIDER}:secret:${resource}`, resourceAccount: PROVIDER, context: {} },
    });
    cases.push(
      secret('planner', planner, 'secretsmanager:GetSecretValue', 'allowed'),
      secret('planner', planner, 'secretsmanager:DeleteSecret', 'denied', undefined, controlPlaneGuard('ExternalIds', (s) => ({ ...s, Action: 'secretsmanager:*' }))),
      secret('deployer', deployer, 'secretsmanager:DeleteSecret', 'allowed'),
      secret('deployer', deployer, 'secretsmanager:GetSecretValue', 'denied', 'prod/payments-AbCdEf', controlPlaneGuard('ExternalIds', onAnyResource)),
      secret('purger', purger, 'secretsmanager:DeleteSecret', 'denied', undefined, controlPlaneGuard('ExternalIds', (s) => ({ ...s, Action: 'secretsmanager:*' }))),
    );
    count(cases);
    const { actual, expected } = await run(w, cases);
    expect(actual).toEqual(expected);
  });

  it('lets each principal be assumed only by its own workflow on main, in its own environment', { timeout: SIMULATION_TIMEOUT }, async () => {
    const { planner, deployer, purger } = w.controlPlane;
    const github: SimulatedRole = { arn: OIDC_PROVIDER, policies: [], tags: {} };
    const job = (name: string, target: SimulatedRole, workflow: string, environment: string | undefined, expected: Case['expected'], g?: Guard): Case => ({
      why: 5, name: `${workflow}${environment ? ` in ${environment}` : ''} becomes the ${name}`, role: github, principal: OIDC_PROVIDER, tags: {}, expected, ...(g ? { guard: g } : {}),
      call: {
        action: 'sts:AssumeRoleWithWebIdentity', resource: target.arn, resourceAccount: PROVIDER, resourcePolicy: simulable(target.trust!),
        context: { 'token.actions.githubusercontent.com:job_workflow_ref': `${REPOSITORY}/.github/workflows/${workflow}`, ...(environment ? { 'token.actions.githubusercontent.com:environment': environment } : {}) },
      },
    });
    const workflowBound = guard.resource('GitHubWorkflowsOfTheRepository', withoutKey('token.actions.githubusercontent.com:job_workflow_ref'));
    const environmentBound = guard.resource('GitHubWorkflowsOfTheRepository', withoutKey('token.actions.githubusercontent.com:environment'));
    const cases: Case[] = [
      job('deployer', deployer, 'apply.yml@refs/heads/main', 'production', 'allowed'),
      job('deployer', deployer, 'plan.yml@refs/heads/main', 'production', 'denied', workflowBound),
      job('deployer', deployer, 'reap.yml@refs/heads/main', 'production', 'denied', workflowBound),
      job('deployer', deployer, 'apply.yml@refs/heads/feature', 'production', 'denied', workflowBound),
      job('deployer', deployer, 'apply.yml@refs/heads/main', 'purge', 'denied', environmentBound),
      job('purger', purger, 'reap.yml@refs/heads/main', 'purge', 'allowed'),
      job('purger', purger, 'reap.yml@refs/heads/main', 'production', 'denied', environmentBound),
      job('purger', purger, 'apply.yml@refs/heads/main', 'purge', 'denied', workflowBound),
      job('purger', purger, 'reap.yml@refs/pull/42/merge', 'purge', 'denied', workflowBound),
      job('planner', planner, 'plan.yml@refs/pull/42/merge', undefined, 'allowed'),
      job('planner', planner, 'drift.yml@refs/heads/main', undefined, 'allowed'),
      job('planner', planner, 'reap.yml@refs/heads/main', undefined, 'allowed'),
      job('planner', planner, 'apply.yml@refs/pull/42/merge', undefined, 'denied', workflowBound),
      job('planner', planner, 'drift.yml@refs/heads/feature', undefined, 'denied', workflowBound),
    ];
    count(cases);
    const { actual, expected } = await run(w, cases);
    expect(actual).toEqual(expected);
    // What the simulation leaves out, as text: the audience, and the subjects GitHub's default template gives.
    const condition = (role: SimulatedRole) => role.trust!.Statement[0]!.Condition!;
    expect(condition(deployer).StringEquals).toMatchObject({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': [`repo:${REPOSITORY}:environment:production`],
    });
    expect(condition(purger).StringEquals).toMatchObject({ 'token.actions.githubusercontent.com:sub': [`repo:${REPOSITORY}:environment:purge`] });
    expect(condition(planner).StringLike).toMatchObject({ 'token.actions.githubusercontent.com:sub': [`repo:${REPOSITORY}:pull_request`, `repo:${REPOSITORY}:ref:refs/heads/main`] });
  });

  it('reports how many cases it simulated', () => {
    expect(tally.allowed + tally.denied).toBeGreaterThan(250);
    console.info(`tenant boundary cases: ${tally.allowed} allowed, ${tally.denied} denied, ${tally.guards} guards removed and shown load-bearing`);
  });
});
