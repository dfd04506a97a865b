import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { ALWAYS_PULL, RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, SCRATCH_MOUNT, SCRATCH_VOLUME, type PodPlacement } from './pod-security';

export interface ServedPort {
  /** Name of the port and of its Service. */
  readonly name: string;
  readonly port: number;
}

export interface RestrictedDeploymentProps {
  readonly namespace: string;
  /** Name of the deployment and its pods' `app.kubernetes.io/name`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Image with its tag. */
  readonly image: string;
  /** @default the image's entrypoint */
  readonly command?: readonly string[];
  /** Requests, which are also the limits (guaranteed quality of service, as the quota counts them). */
  readonly cpu: string;
  readonly memory: string;
  readonly replicas: number;
  /** Ports served, each with a ClusterIP Service and a readiness probe. @default none */
  readonly ports?: readonly ServedPort[];
  /** Service account with the tenant's IAM role. @default none (the namespace's default) */
  readonly serviceAccount?: string;
  /** ConfigMap whose keys become environment variables. @default none */
  readonly configMap?: string;
  /** Plain environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** ConfigMaps mounted read-only, by mount path. @default none */
  readonly configMounts?: readonly { readonly configMap: string; readonly path: string }[];
  /** A command whose failure means the container must be restarted. @default no liveness probe */
  readonly liveness?: readonly string[];
  readonly placement: PodPlacement;
}

/** A Deployment of one container under the restricted Pod Security Standard, and its Services. */
export class RestrictedDeployment extends Construct {
  readonly deployment: DeploymentV1;
  /** Labels that select this deployment's pods. */
  readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RestrictedDeploymentProps) {
    super(scope, id);
    const selector = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': props.namespace };
    this.selector = selector;
    const labels = { ...props.labels, ...selector };
    const ports = props.ports ?? [];
    const configVolumes = (props.configMounts ?? []).map((mount, i) => ({ name: `config-${i}`, ...mount }));
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        replicas: String(props.replicas),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            ...(props.serviceAccount ? { serviceAccountName: props.serviceAccount } : {}),
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD_SECURITY,
            ...(props.placement.nodeSelector ? { nodeSelector: { ...props.placement.nodeSelector } } : {}),
            ...(props.placement.tolerations ? { toleration: props.placement.tolerations.map((t) => ({ ...t })) } : {}),
            container: [{
              name: props.name,
              image: props.image,
              imagePullPolicy: ALWAYS_PULL,
              ...(props.command ? { command: [...props.command] } : {}),
              port: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
              ...(props.configMap ? { envFrom: [{ configMapRef: { name: props.configMap } }] } : {}),
              env: Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
              resources: { requests: { cpu: props.cpu, memory: props.memory }, limits: { cpu: props.cpu, memory: props.memory } },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              volumeMount: [SCRATCH_MOUNT, ...configVolumes.map((v) => ({ name: v.name, mountPath: v.path, readOnly: true }))],
              ...(ports[0] ? { readinessProbe: { tcpSocket: [{ port: String(ports[0].port) }], periodSeconds: 10 } } : {}),
              ...(props.liveness ? { livenessProbe: { exec: { command: [...props.liveness] }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 } } : {}),
            }],
            volume: [SCRATCH_VOLUME, ...configVolumes.map((v) => ({ name: v.name, configMap: { name: v.configMap } }))],
          },
        },
      },
    });
    for (const port of ports) {
      new ServiceV1(this, `service-${port.name}`, {
        metadata: { name: port.name, namespace: props.namespace, labels },
        spec: { type: 'ClusterIP', selector, port: [{ name: port.name, port: port.port, targetPort: String(port.port), protocol: 'TCP' }] },
      });
    }
  }
}
