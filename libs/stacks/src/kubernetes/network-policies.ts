import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import { NO_INBOUND_LABEL } from './pod-security';

export interface NetworkPoliciesProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Namespace of the cluster's ingress controller, the only way in from outside the namespace. */
  readonly ingressNamespace: string;
  /** Ports the tenant's pods serve on. @default none: no ingress allowed */
  readonly servedPorts?: readonly number[];
  /** The tenant's database, reached inside the VPC. @default no database egress */
  readonly database?: { readonly cidr: string; readonly port: number };
}

/**
 * Default deny in both directions, then the least the tenant needs: DNS, traffic inside its own
 * namespace, the ingress controller to its served ports, HTTPS out (AWS APIs, never the instance
 * metadata service), and its database. Pods labelled `tenancy.io/inbound: none` get no ingress.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...props.labels } });
    const everyPod = { matchLabels: {} };
    const podsTakingTraffic = { matchExpressions: [{ key: NO_INBOUND_LABEL.key, operator: 'DoesNotExist' }] };
    new NetworkPolicyV1(this, 'default-deny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'] },
    });
    new NetworkPolicyV1(this, 'allow-dns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }],
        }],
      },
    });
    new NetworkPolicyV1(this, 'allow-same-namespace', {
      metadata: metadata('allow-same-namespace'),
      spec: {
        podSelector: podsTakingTraffic,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: everyPod }] }],
        egress: [{ to: [{ podSelector: podsTakingTraffic }] }],
      },
    });
    if (props.servedPorts?.length) {
      new NetworkPolicyV1(this, 'allow-ingress-controller', {
        metadata: metadata('allow-ingress-controller'),
        spec: {
          podSelector: podsTakingTraffic,
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.ingressNamespace } } }],
            ports: props.servedPorts.map((port) => ({ port: String(port), protocol: 'TCP' })),
          }],
        },
      });
    }
    new NetworkPolicyV1(this, 'allow-https-egress', {
      metadata: metadata('allow-https-egress'),
      spec: {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: '443', protocol: 'TCP' }] }],
      },
    });
    if (props.database) {
      new NetworkPolicyV1(this, 'allow-database-egress', {
        metadata: metadata('allow-database-egress'),
        spec: {
          podSelector: everyPod,
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: props.database.cidr } }], ports: [{ port: String(props.database.port), protocol: 'TCP' }] }],
        },
      });
    }
  }
}
