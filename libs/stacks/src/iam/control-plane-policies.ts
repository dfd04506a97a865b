import { dnsSuffixOf } from '../naming';
import { policy, type PolicyDocument, type Statement } from './policy-document';
import { ROLE_KIND_TAG } from './trust-policies';

/** GitHub Actions' OIDC issuer and the audience configure-aws-credentials asks for. */
export const GITHUB_OIDC = { host: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com' } as const;

/** The branch scheduled workflows (drift) run on. */
export const DEFAULT_BRANCH = 'main';

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
}

/** Which workflow runs may become the planner and the deployer, as GitHub's OIDC `sub` claim names them. */
export function githubSubjects(repository: string): { planner: string[]; deployer: string[] } {
  return {
    planner: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${DEFAULT_BRANCH}`],
    deployer: [`repo:${repository}:environment:production`],
  };
}

/** Trust of a control-plane role: GitHub's OIDC provider, for this repository and these subjects only. */
export function githubTrust(scope: ControlPlaneScope, subjects: readonly string[]): PolicyDocument {
  return policy([{
    Sid: 'GitHubWorkflowsOfTheRepository', Effect: 'Allow',
    Principal: { Federated: `arn:${scope.partition}:iam::${scope.accountId}:oidc-provider/${GITHUB_OIDC.host}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience, [`${GITHUB_OIDC.host}:sub`]: [...subjects] } },
  }]);
}

function stateStatements(scope: ControlPlaneScope, write: boolean): Statement[] {
  const bucket = `arn:${scope.partition}:s3:::${scope.stateBucket}`;
  const states = `${bucket}/${scope.keyPrefix}/*`;
  const locks = `${bucket}/${scope.keyPrefix}/*.tflock`;
  const viaS3 = { 'kms:ViaService': `s3.${scope.region}.${dnsSuffixOf(scope.region)}` };
  return [
    { Sid: 'StateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
    { Sid: write ? 'StateReadWrite' : 'StateRead', Effect: 'Allow', Action: write ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : 's3:GetObject', Resource: states },
    ...(write ? [] : [{ Sid: 'OwnLockFiles', Effect: 'Allow' as const, Action: ['s3:PutObject', 's3:DeleteObject'], Resource: locks }]),
    // The key is used through S3 only, so what it encrypts and decrypts is what the S3 statements above allow.
    { Sid: 'StateKeyThroughS3', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: scope.stateKeyArn, Condition: { StringEquals: viaS3 } },
  ];
}

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
 * The control plane's planner, which pull requests, the drift schedule and the rollout gates run
 * as: read state and take its own locks, read customers' external ids and the health gates'
 * alarms, and assume every account's planner role (and no other). It can write nothing but its
 * lock files.
 */
export function controlPlanePlannerPolicy(scope: ControlPlaneScope): PolicyDocument {
  return policy([...stateStatements(scope, false), externalIds(scope, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']), healthAlarms(scope), accountRoles('planner')]);
}

/**
 * The control plane's deployer, which merges to main run as after the production approval: read
 * and write state, read external ids and schedule their deletion when a customer leaves, read the
 * alarms of the health gates between waves, and assume every account's deployer role.
 */
export function controlPlaneDeployerPolicy(scope: ControlPlaneScope): PolicyDocument {
  return policy([
    ...stateStatements(scope, true), externalIds(scope, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret']), healthAlarms(scope), accountRoles('deployer'),
  ]);
}
