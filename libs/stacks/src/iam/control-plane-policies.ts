import { dnsSuffixOf } from '../naming';
import { policy, type PolicyDocument, type Statement } from './policy-document';
import { ROLE_KIND_TAG } from './trust-policies';

/** GitHub Actions' OIDC issuer and the audience configure-aws-credentials asks for. */
export const GITHUB_OIDC = { host: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com' } as const;

/** The branch scheduled workflows (drift, reap) and applies run on. */
export const DEFAULT_BRANCH = 'main';

/** The environments whose jobs become the deployer and the purger: each needs its own reviewers. */
export const ENVIRONMENTS = { deployer: 'production', purger: 'purge' } as const;

/** The workflow files the trusts name. */
export const WORKFLOWS = { plan: 'plan.yml', drift: 'drift.yml', apply: 'apply.yml', reap: 'reap.yml' } as const;

export interface ControlPlaneScope {
  readonly partition: string;
  /** The provider account, where the control plane lives. */
  readonly accountId: string;
  readonly region: string;
  /** OWNER/NAME of the repository whose workflows may assume the roles. */
  readonly repository: string;
  readonly stateBucket: string;
  readonly keyPrefix: string;
  /** The KMS key that encrypts the state bucket. */
  readonly stateKeyArn: string;
  readonly externalIdSecretPrefix: string;
  /**
   * The DynamoDB table of the state locks, where platform.yaml keeps them there.
   * @default locks are S3 lock files beside the states
   */
  readonly lockTable?: string;
}

/** What a GitHub Actions job must be to become a principal: its OIDC subject (GitHub's default template) and the workflow file and ref it runs. */
export interface GitHubJobs {
  /** `repo:ORG/REPO:environment:NAME`, `repo:ORG/REPO:ref:refs/heads/main`, `repo:ORG/REPO:pull_request`. */
  readonly subjects: readonly string[];
  /** `ORG/REPO/.github/workflows/FILE@REF`, as the job_workflow_ref claim gives it. */
  readonly workflows: readonly string[];
  /** The environment the job runs in, as the environment claim gives it. @default any, or none */
  readonly environment?: string;
}

/**
 * Which jobs may become each principal. STS matches GitHub's `job_workflow_ref` claim as a
 * condition key of its own (token.actions.githubusercontent.com:job_workflow_ref), beside the
 * subject: a job of another workflow file, or of the right file on another branch, is refused even
 * in the right environment. The subjects are those of GitHub's default subject template.
 */
export function githubJobs(repository: string): { planner: GitHubJobs; deployer: GitHubJobs; purger: GitHubJobs } {
  const main = `refs/heads/${DEFAULT_BRANCH}`;
  const workflow = (file: string, ref: string) => `${repository}/.github/workflows/${file}@${ref}`;
  return {
    planner: {
      subjects: [`repo:${repository}:pull_request`, `repo:${repository}:ref:${main}`],
      workflows: [workflow(WORKFLOWS.plan, 'refs/pull/*/merge'), ...[WORKFLOWS.drift, WORKFLOWS.apply, WORKFLOWS.reap].map((file) => workflow(file, main))],
    },
    deployer: { subjects: [`repo:${repository}:environment:${ENVIRONMENTS.deployer}`], workflows: [workflow(WORKFLOWS.apply, main)], environment: ENVIRONMENTS.deployer },
    purger: { subjects: [`repo:${repository}:environment:${ENVIRONMENTS.purger}`], workflows: [workflow(WORKFLOWS.reap, main)], environment: ENVIRONMENTS.purger },
  };
}

/** Trust of a control-plane role: GitHub's OIDC provider, for these jobs of this repository only. */
export function githubTrust(scope: ControlPlaneScope, jobs: GitHubJobs): PolicyDocument {
  const claim = (name: string) => `${GITHUB_OIDC.host}:${name}`;
  const claims = {
    [claim('sub')]: [...jobs.subjects], [claim('job_workflow_ref')]: [...jobs.workflows], ...(jobs.environment ? { [claim('environment')]: jobs.environment } : {}),
  };
  // A pull request's workflow ref holds its number; every other claim is matched exactly.
  const wildcard = [...jobs.subjects, ...jobs.workflows].some((value) => value.includes('*'));
  return policy([{
    Sid: 'GitHubWorkflowsOfTheRepository', Effect: 'Allow',
    Principal: { Federated: `arn:${scope.partition}:iam::${scope.accountId}:oidc-provider/${GITHUB_OIDC.host}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: wildcard
      ? { StringEquals: { [claim('aud')]: GITHUB_OIDC.audience }, StringLike: claims }
      : { StringEquals: { [claim('aud')]: GITHUB_OIDC.audience, ...claims } },
  }]);
}

/** Whose state a principal reads and writes, by stack-name pattern. */
type StateReach = { readonly reads: readonly string[]; readonly writes: readonly string[] };

/**
 * A principal's share of the state bucket: the fleet's stacks only (never the control plane's or
 * the account stacks', which only an administrator applies), reads and writes as its job needs;
 * writers take their stack's lock, the planner takes none (plans and drift read without locking).
 */
function stateStatements(scope: ControlPlaneScope, reach: StateReach): Statement[] {
  const bucket = `arn:${scope.partition}:s3:::${scope.stateBucket}`;
  const key = (name: string) => `${bucket}/${scope.keyPrefix}/${name}`;
  const offboardings = key('offboardings/*');
  const viaS3 = { 'kms:ViaService': `s3.${scope.region}.${dnsSuffixOf(scope.region)}` };
  const writes = reach.writes.length > 0;
  const lockItems = (names: readonly string[]) => names.flatMap((name) => [`${scope.stateBucket}/${scope.keyPrefix}/${name}.tfstate`, `${scope.stateBucket}/${scope.keyPrefix}/${name}.tfstate-md5`]);
  return [
    { Sid: 'StateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { StringLike: { 's3:prefix': `${scope.keyPrefix}/*` } } },
    { Sid: 'StateRead', Effect: 'Allow', Action: 's3:GetObject', Resource: [...reach.reads.map((name) => key(`${name}.tfstate`)), offboardings] },
    ...(writes ? [{
      Sid: 'StateWrite', Effect: 'Allow' as const, Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: reach.writes.flatMap((name) => [key(`${name}.tfstate`), key(`${name}.tfstate.tflock`)]),
    }] : []),
    // The clock of offboardings: written once by the apply that destroys a workload, never changed.
    ...(reach.writes.includes('tenant-*') ? [{ Sid: 'OffboardingClock', Effect: 'Allow' as const, Action: 's3:PutObject', Resource: offboardings }] : []),
    ...(writes ? [{ Sid: 'StateLockReads', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: reach.writes.map((name) => key(`${name}.tfstate.tflock`)) }] : []),
    // The key is used through S3 only, so what it encrypts and decrypts is what the S3 statements above allow.
    { Sid: 'StateKeyThroughS3', Effect: 'Allow', Action: writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : 'kms:Decrypt', Resource: scope.stateKeyArn, Condition: { StringEquals: viaS3 } },
    ...(scope.lockTable ? [{
      Sid: 'StateLockTable', Effect: 'Allow' as const, Action: writes ? ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] : 'dynamodb:GetItem',
      Resource: `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${scope.lockTable}`,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': lockItems(writes ? reach.writes : reach.reads) } },
    }] : []),
  ];
}

/** The fleet's stacks, by name: every tenant's, cell's and pool's. */
const FLEET_STACKS = ['tenant-*', 'cell-*', 'pool-*'];
/** A tenant's data stack: the one stack a purge changes. */
const DATA_STACKS = ['tenant-*-data'];

function accountRoles(kind: 'planner' | 'deployer'): Statement {
  return {
    Sid: kind === 'planner' ? 'AssumePlannerRoles' : 'AssumeDeployerRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'],
    Resource: 'arn:*:iam::*:role/*', Condition: { StringEquals: { [`aws:ResourceTag/${ROLE_KIND_TAG}`]: kind } },
  };
}

function externalIds(scope: ControlPlaneScope, actions: string[]): Statement {
  return {
    Sid: 'ExternalIds', Effect: 'Allow', Action: actions,
    Resource: `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${scope.externalIdSecretPrefix}*`,
  };
}

/** The health gates between waves read CloudWatch alarms of the control plane's account and region, and nothing else of CloudWatch. */
function healthAlarms(scope: ControlPlaneScope): Statement {
  return { Sid: 'HealthGateAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.accountId}:alarm:*` };
}

/**
 * The control plane's planner, which pull requests, the drift schedule, the rollout gates and
 * reap's listing run as: read the fleet's states (never taking a lock) and the offboarding clock,
 * read customers' external ids and the health gates' alarms, and assume every account's planner
 * role (and no other). It writes nothing.
 */
export function controlPlanePlannerPolicy(scope: ControlPlaneScope): PolicyDocument {
  return policy([
    ...stateStatements(scope, { reads: FLEET_STACKS, writes: [] }), externalIds(scope, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']), healthAlarms(scope), accountRoles('planner'),
  ]);
}

/**
 * The control plane's deployer, which the apply workflow's jobs run as after the production
 * approval: read and write the fleet's states and record offboardings, read external ids and
 * schedule their deletion when a customer leaves, read the alarms of the health gates between
 * waves, and assume every account's deployer role (whose trust refuses it the purge tag).
 */
export function controlPlaneDeployerPolicy(scope: ControlPlaneScope): PolicyDocument {
  return policy([
    ...stateStatements(scope, { reads: FLEET_STACKS, writes: FLEET_STACKS }),
    externalIds(scope, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret']), healthAlarms(scope), accountRoles('deployer'),
  ]);
}

/**
 * The control plane's purger, which only the reap workflow's purge job runs as, after the purge
 * environment's approval: read the fleet's states and the offboarding clock, write the state of
 * tenants' data stacks only, read external ids, and assume every account's deployer role, whose
 * trust lets this principal alone tag its session as a purge.
 */
export function controlPlanePurgerPolicy(scope: ControlPlaneScope): PolicyDocument {
  return policy([
    ...stateStatements(scope, { reads: FLEET_STACKS, writes: DATA_STACKS }),
    externalIds(scope, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']), accountRoles('deployer'),
  ]);
}
