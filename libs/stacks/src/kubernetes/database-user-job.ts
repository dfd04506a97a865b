import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import { databaseUserScript } from './database-user-script';
import { ALWAYS_PULL, RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, SCRATCH_MOUNT, SCRATCH_VOLUME, type PodPlacement } from './pod-security';

export interface DatabaseUserJobProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The service account whose pods get the role that reads the master password. */
  readonly serviceAccount: string;
  /** An image with sh, the AWS CLI v2, jq, psql, the mysql client and the RDS certificates. */
  readonly image: string;
  readonly engine: 'postgres' | 'mysql';
  readonly host: string;
  readonly port: number;
  /** The secret RDS keeps the master user's credentials in. */
  readonly masterSecretArn: string;
  /** The user the application connects as, with IAM authentication: its tenant's name. */
  readonly appUser: string;
  /** The application's database. */
  readonly database: string;
  readonly placement: PodPlacement;
}

/**
 * The job that gives the tenant's database the user its application connects as: created with IAM
 * authentication only, with every right on the application's database. Only this job, under its own service
 * account, reads the master password; it runs again, harmlessly, whenever its spec changes, and
 * the apply waits for it.
 */
export class DatabaseUserJob extends Construct {
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: DatabaseUserJobProps) {
    super(scope, id);
    const account = new ServiceAccountV1(this, 'service-account', {
      metadata: { name: props.serviceAccount, namespace: props.namespace, labels: { ...props.labels } },
      automountServiceAccountToken: false,
    });
    const labels = { ...props.labels, 'app.kubernetes.io/name': 'database-user' };
    this.job = new JobV1(this, 'job', {
      metadata: { name: `database-user-${props.engine}`, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 600,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: account.metadata.name,
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: RESTRICTED_POD_SECURITY,
            ...(props.placement.nodeSelector ? { nodeSelector: { ...props.placement.nodeSelector } } : {}),
            container: [{
              name: 'database-user',
              image: props.image,
              imagePullPolicy: ALWAYS_PULL,
              command: ['sh', '-c', databaseUserScript(props.engine)],
              env: [
                { name: 'MASTER_SECRET_ARN', value: props.masterSecretArn },
                { name: 'DATABASE_HOST', value: props.host },
                { name: 'DATABASE_PORT', value: String(props.port) },
                { name: 'APP_USER', value: props.appUser },
                { name: 'APP_DATABASE', value: props.database },
                { name: 'HOME', value: SCRATCH_MOUNT.mountPath },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              volumeMount: [SCRATCH_MOUNT],
            }],
            volume: [SCRATCH_VOLUME],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '10m', update: '10m' },
    });
  }
}
