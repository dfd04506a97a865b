import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { Construct } from 'constructs';
import { ALWAYS_PULL, NO_INBOUND_LABEL, RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, SCRATCH_MOUNT, SCRATCH_VOLUME, type PodPlacement } from './pod-security';

export interface MigrationJobProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The release the tenant moves to: names the Job. */
  readonly version: string;
  /** The release's migration image, with its tag (and digest, when the release pins one). */
  readonly image: string;
  readonly command: readonly string[];
  readonly timeoutMinutes: number;
  /** Requests, which are also the limits. */
  readonly cpu: string;
  readonly memory: string;
  /** The tenant's own service account: its IAM role connects to the database as the application's user. */
  readonly serviceAccount: string;
  /** ConfigMap with the tenant's database settings, as its workloads get them. */
  readonly configMap: string;
  readonly placement: PodPlacement;
}

/** The Kubernetes name of a release's migration Job: one per version, so each version's runs once. */
export function migrationJobName(version: string): string {
  return `migrate-${version.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * A release's data migration for one tenant. The Job is named for the version, so Terraform
 * creates it (and Kubernetes runs it) once, when the tenant reaches that version; an apply run
 * again finds it in state and leaves it. The apply waits for it, and what depends on it (the
 * tenant's workloads) changes only after it succeeded. A failed run fails the apply and leaves
 * the Job tainted, so the next apply replaces it, which runs it again.
 */
export class MigrationJob extends Construct {
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const labels = { ...props.labels, 'app.kubernetes.io/name': 'migration', 'app.kubernetes.io/version': props.version, [NO_INBOUND_LABEL.key]: NO_INBOUND_LABEL.value };
    const timeout = `${props.timeoutMinutes}m`;
    this.job = new JobV1(this, 'job', {
      metadata: { name: migrationJobName(props.version), namespace: props.namespace, labels },
      spec: {
        // A half-done migration is not retried blindly: the next apply runs it again, after a look.
        backoffLimit: 0,
        activeDeadlineSeconds: props.timeoutMinutes * 60,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccount,
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: RESTRICTED_POD_SECURITY,
            ...(props.placement.nodeSelector ? { nodeSelector: { ...props.placement.nodeSelector } } : {}),
            ...(props.placement.tolerations ? { toleration: props.placement.tolerations.map((t) => ({ ...t })) } : {}),
            container: [{
              name: 'migration',
              image: props.image,
              imagePullPolicy: ALWAYS_PULL,
              command: [...props.command],
              envFrom: [{ configMapRef: { name: props.configMap } }],
              env: [{ name: 'APP_VERSION', value: props.version }, { name: 'HOME', value: SCRATCH_MOUNT.mountPath }],
              resources: { requests: { cpu: props.cpu, memory: props.memory }, limits: { cpu: props.cpu, memory: props.memory } },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              volumeMount: [SCRATCH_MOUNT],
            }],
            volume: [SCRATCH_VOLUME],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: timeout, update: timeout },
    });
  }
}
