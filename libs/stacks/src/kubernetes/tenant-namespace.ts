import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';

export interface TenantNamespaceProps {
  readonly name: string;
  /** Labels of the namespace and everything in it. */
  readonly labels: Readonly<Record<string, string>>;
  /** Namespace totals (requests and limits alike) and pod count. */
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /** Per-container defaults and maximums. */
  readonly limits: { readonly defaultCpu: string; readonly defaultMemory: string; readonly maxCpu: string; readonly maxMemory: string };
  /** Name of the service account workloads run as; EKS Pod Identity gives its pods the tenant's IAM role. */
  readonly serviceAccount: string;
}

/**
 * The tenant's namespace: enforced restricted Pod Security, a quota of CPU, memory and pods with no
 * load balancers or node ports of its own, container defaults and limits, and the service account
 * whose pods get the tenant's IAM role (its API token is never mounted).
 */
export class TenantNamespace extends Construct {
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    const metadata = { namespace: this.namespace.metadata.name, labels: { ...props.labels } };
    new ResourceQuotaV1(this, 'quota', {
      metadata: { ...metadata, name: 'tenant-quota' },
      spec: {
        hard: {
          'requests.cpu': props.quota.cpu,
          'requests.memory': props.quota.memory,
          'limits.cpu': props.quota.cpu,
          'limits.memory': props.quota.memory,
          pods: String(props.quota.pods),
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    });
    new LimitRangeV1(this, 'limits', {
      metadata: { ...metadata, name: 'container-limits' },
      spec: {
        limit: [{
          type: 'Container',
          default: { cpu: props.limits.defaultCpu, memory: props.limits.defaultMemory },
          defaultRequest: { cpu: props.limits.defaultCpu, memory: props.limits.defaultMemory },
          max: { cpu: props.limits.maxCpu, memory: props.limits.maxMemory },
        }],
      },
    });
    new ServiceAccountV1(this, 'service-account', {
      metadata: { ...metadata, name: props.serviceAccount },
      automountServiceAccountToken: false,
    });
  }
}
