import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { networkNames, partitionOf } from '../naming';
import { MINIMUM_LOG_DAYS } from './log-retention';

export interface FlowLogsProps {
  /** The network's name, which names its log group and the role that writes to it. */
  readonly name: string;
  readonly vpcId: string;
  readonly region: string;
  readonly accountId: string;
  /** Encrypts the log group: a key whose policy lets CloudWatch Logs use it for this group. */
  readonly keyArn: string;
  /** The owner boundary, which the role carries. */
  readonly permissionsBoundary: string;
  /**
   * Days flow records are kept; 0 keeps them forever.
   * @default 365
   */
  readonly retentionDays?: number;
}

/**
 * Flow logs of a VPC: every accepted and rejected connection, sent each minute to an encrypted log
 * group by a role that only VPC Flow Logs of this account can assume and that writes to that group
 * only.
 */
export class FlowLogs extends Construct {
  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: networkNames.flowLogGroup(props.name),
      retentionInDays: props.retentionDays ?? MINIMUM_LOG_DAYS,
      kmsKeyId: props.keyArn,
    });
    const role = new IamRole(this, 'role', {
      name: networkNames.flowLogRole(props.name),
      permissionsBoundary: props.permissionsBoundary,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*` },
          },
        }],
      }),
    });
    const write = new IamRolePolicy(this, 'role-write-logs', {
      role: role.id,
      name: 'write-flow-logs',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logs.arn, `${logs.arn}:*`],
        }],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logs.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      dependsOn: [write],
    });
  }
}
