import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import { NO_INBOUND_LABEL, type PodPlacement } from './pod-security';
import { RestrictedDeployment } from './restricted-deployment';

export interface DataPlaneAgentProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Agent image with its tag. */
  readonly image: string;
  /** The control plane's https address. */
  readonly controlPlaneUrl: string;
  readonly tenantId: string;
  readonly cpu: string;
  readonly memory: string;
  readonly placement: PodPlacement;
}

/**
 * The data-plane agent of a customer-account tenant. It dials out to the control plane over TLS
 * and serves nothing: no port, no Service, and a policy that lets it reach port 443 only.
 */
export class DataPlaneAgent extends Construct {
  constructor(scope: Construct, id: string, props: DataPlaneAgentProps) {
    super(scope, id);
    if (!props.controlPlaneUrl.startsWith('https://')) throw new Error(`controlPlaneUrl must be an https address, got ${props.controlPlaneUrl}`);
    const agent = new RestrictedDeployment(this, 'agent', {
      namespace: props.namespace,
      name: 'data-plane-agent',
      labels: { ...props.labels, [NO_INBOUND_LABEL.key]: NO_INBOUND_LABEL.value },
      image: props.image,
      cpu: props.cpu,
      memory: props.memory,
      replicas: 1,
      env: { CONTROL_PLANE_URL: props.controlPlaneUrl, TENANT_ID: props.tenantId },
      placement: props.placement,
    });
    new NetworkPolicyV1(this, 'outbound-only', {
      metadata: { name: 'data-plane-agent-outbound-only', namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: { ...agent.selector } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: '443', protocol: 'TCP' }] }],
      },
    });
  }
}
