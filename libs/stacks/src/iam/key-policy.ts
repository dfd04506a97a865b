import { dnsSuffixOf } from '../naming';
import { policy, type PolicyDocument, type Statement } from './policy-document';
import { SESSION_TAG } from './session-scope';

export interface KeyPolicyProps {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The account's deployer and planner roles. */
  readonly deployerRoleArn: string;
  readonly plannerRoleArn: string;
  /** The owner (`tenant-<id>`, `cell-<name>`, `pool-<name>`) of the stack that made the key: only its sessions manage it. */
  readonly owner: string;
  /** The key encrypts tenant data: only a purge session may schedule its deletion. */
  readonly holdsData: boolean;
  /** Log groups, by ARN pattern, whose logs CloudWatch Logs may encrypt with the key. @default none */
  readonly logGroups?: readonly string[];
  /** Let EC2 Auto Scaling of this account encrypt the root volumes of the nodes it launches. */
  readonly allowAutoScalingVolumes?: boolean;
}

/** The role EC2 Auto Scaling launches node group instances, and creates their volumes, with. */
export function autoScalingServiceRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/** What the deployer does to a key: manage it and let AWS services use it for the resources it creates. */
const MANAGE = [
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:EnableKeyRotation', 'kms:PutKeyPolicy',
  'kms:UpdateKeyDescription', 'kms:TagResource', 'kms:UntagResource', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias',
];
const READ = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'];

/**
 * The policy of a key the stacks create. The account administers it through IAM, as AWS's default
 * policy does; the deployer manages it directly, and only from a session of the stack that owns
 * it, so that no IAM permission on keys is needed (or could be used on a customer's own keys). The
 * deployer never encrypts or decrypts: AWS services it creates resources with get grants, and
 * nothing else. The planner reads the key's configuration.
 */
export function keyPolicy(props: KeyPolicyProps): PolicyDocument {
  const ownSession = { StringEquals: { [`aws:PrincipalTag/${SESSION_TAG.owner}`]: props.owner } };
  const statements: Statement[] = [
    { Sid: 'AccountAdministersKeyThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'OwningStackManagesKey', Effect: 'Allow', Principal: { AWS: props.deployerRoleArn }, Action: MANAGE, Resource: '*', Condition: ownSession },
    {
      Sid: 'OwningStackGrantsToAwsServices', Effect: 'Allow', Principal: { AWS: props.deployerRoleArn }, Action: 'kms:CreateGrant', Resource: '*',
      Condition: { ...ownSession, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    {
      Sid: props.holdsData ? 'OnlyThePurgeDeletesKey' : 'OwningStackDeletesKey', Effect: 'Allow', Principal: { AWS: props.deployerRoleArn },
      Action: 'kms:ScheduleKeyDeletion', Resource: '*',
      Condition: props.holdsData ? { StringEquals: { ...ownSession.StringEquals, [`aws:PrincipalTag/${SESSION_TAG.purge}`]: 'true' } } : ownSession,
    },
    { Sid: 'PlannerReadsConfiguration', Effect: 'Allow', Principal: { AWS: props.plannerRoleArn }, Action: READ, Resource: '*' },
  ];
  if (props.logGroups?.length) {
    statements.push({
      Sid: 'CloudWatchLogsOfItsLogGroups', Effect: 'Allow', Principal: { Service: `logs.${props.region}.${dnsSuffixOf(props.region)}` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [...props.logGroups] } },
    });
  }
  if (props.allowAutoScalingVolumes) {
    // Named by condition rather than as the principal: a key policy may not name a role that does
    // not exist yet, and an account's Auto Scaling role appears with its first node group.
    const autoScaling = {
      StringEquals: { 'aws:PrincipalArn': autoScalingServiceRoleArn(props.partition, props.accountId), 'kms:CallerAccount': props.accountId },
    };
    statements.push(
      {
        Sid: 'AutoScalingEncryptsNodeVolumes', Effect: 'Allow', Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*', Condition: autoScaling,
      },
      {
        Sid: 'AutoScalingGrantsToEbs', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*',
        Condition: { ...autoScaling, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    );
  }
  return policy(statements);
}
