import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { FleetStack } from '../stacks/fleet-stack';
import { renderStack } from '../synth/render';
import { LOCAL_STATE, type TerraformJson } from '../testing/example-stacks';
import { allows, type Connection, type Endpoint, type SynthesizedNetworkPolicy } from '../testing/network-policy-evaluator';
import { NetworkPolicies, type NetworkPoliciesProps } from './network-policies';
import { NO_INBOUND_LABEL } from './pod-security';

const NAMESPACE = 'tenant-acme';
const DATABASE = { cidr: '10.64.0.0/16', port: 5432 };

function policiesOf(props: Partial<NetworkPoliciesProps> = {}): SynthesizedNetworkPolicy[] {
  const stack = new FleetStack(new App({ skipValidation: true }), 'policies', 'workload', LOCAL_STATE);
  new NetworkPolicies(stack, 'network', { namespace: NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'tenancy' }, ingressNamespace: 'ingress-nginx', servedPorts: [8080], database: DATABASE, ...props });
  const json = JSON.parse(renderStack(stack)) as TerraformJson;
  return Object.values(json.resource!.kubernetes_network_policy_v1!) as unknown as SynthesizedNetworkPolicy[];
}

const api: Endpoint = { namespace: NAMESPACE, labels: { app: 'api' } };
const worker: Endpoint = { namespace: NAMESPACE, labels: { app: 'worker' } };
const agent: Endpoint = { namespace: NAMESPACE, labels: { app: 'agent', [NO_INBOUND_LABEL.key]: NO_INBOUND_LABEL.value } };
const neighbour: Endpoint = { namespace: 'tenant-globex', labels: { app: 'api' } };
const ingress: Endpoint = { namespace: 'ingress-nginx', labels: { app: 'controller' } };
const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const kubeSystem: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } };
const outside = (ip: string): Endpoint => ({ ip });

/** Each connection as `from -> to:port/protocol: allowed|denied`, so a failure lists every one that changed. */
function decide(policies: readonly SynthesizedNetworkPolicy[], cases: readonly [string, Connection][]): string[] {
  return cases.map(([name, c]) => `${name}: ${allows(policies, c) ? 'allowed' : 'denied'}`);
}

describe('a tenant namespace\'s network policies, as the cluster enforces them', () => {
  it('let in its own pods and the ingress controller to its served ports, and no one else; never into a pod that takes no traffic', () => {
    const cases: [string, Connection][] = [
      ['api -> worker:9000', { from: api, to: worker, port: 9000 }],
      ['ingress -> api:8080', { from: ingress, to: api, port: 8080 }],
      ['ingress -> api:9090', { from: ingress, to: api, port: 9090 }],
      ['ingress -> api:8080/UDP', { from: ingress, to: api, port: 8080, protocol: 'UDP' }],
      ['ingress -> agent:8080', { from: ingress, to: agent, port: 8080 }],
      ['api -> agent:8080', { from: api, to: agent, port: 8080 }],
      ['neighbour -> api:8080', { from: neighbour, to: api, port: 8080 }],
      ['kube-system -> api:8080', { from: kubeSystem, to: api, port: 8080 }],
      ['outside -> api:8080', { from: outside('203.0.113.7'), to: api, port: 8080 }],
    ];
    expect(decide(policiesOf(), cases)).toEqual([
      'api -> worker:9000: allowed', 'ingress -> api:8080: allowed', 'ingress -> api:9090: denied', 'ingress -> api:8080/UDP: denied',
      'ingress -> agent:8080: denied', 'api -> agent:8080: denied', 'neighbour -> api:8080: denied', 'kube-system -> api:8080: denied', 'outside -> api:8080: denied',
    ]);
  });

  it('let out DNS to the cluster\'s resolver, HTTPS anywhere but the instance metadata service, and its own database only', () => {
    const cases: [string, Connection][] = [
      ['api -> dns:53/UDP', { from: api, to: dns, port: 53, protocol: 'UDP' }],
      ['agent -> dns:53/TCP', { from: agent, to: dns, port: 53, protocol: 'TCP' }],
      ['api -> dns:54/UDP', { from: api, to: dns, port: 54, protocol: 'UDP' }],
      ['api -> dns:80/TCP', { from: api, to: dns, port: 80, protocol: 'TCP' }],
      ['api -> kube-system:53/UDP', { from: api, to: kubeSystem, port: 53, protocol: 'UDP' }],
      ['api -> a neighbour labelled kube-dns:53/UDP', { from: api, to: { namespace: 'tenant-globex', labels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP' }],
      ['api -> internet:443', { from: api, to: outside('52.94.76.10'), port: 443 }],
      ['agent -> internet:443', { from: agent, to: outside('52.94.76.10'), port: 443 }],
      ['api -> internet:80', { from: api, to: outside('52.94.76.10'), port: 80 }],
      ['api -> internet:443/UDP', { from: api, to: outside('52.94.76.10'), port: 443, protocol: 'UDP' }],
      ['api -> metadata:443', { from: api, to: outside('169.254.169.254'), port: 443 }],
      ['api -> metadata:80', { from: api, to: outside('169.254.169.254'), port: 80 }],
      ['api -> database:5432', { from: api, to: outside('10.64.3.21'), port: 5432 }],
      ['api -> database:22', { from: api, to: outside('10.64.3.21'), port: 22 }],
      ['api -> another network:5432', { from: api, to: outside('10.65.3.21'), port: 5432 }],
      ['api -> neighbour:8080', { from: api, to: neighbour, port: 8080 }],
    ];
    expect(decide(policiesOf(), cases)).toEqual([
      'api -> dns:53/UDP: allowed', 'agent -> dns:53/TCP: allowed', 'api -> dns:54/UDP: denied', 'api -> dns:80/TCP: denied', 'api -> kube-system:53/UDP: denied',
      'api -> a neighbour labelled kube-dns:53/UDP: denied',
      'api -> internet:443: allowed', 'agent -> internet:443: allowed', 'api -> internet:80: denied', 'api -> internet:443/UDP: denied',
      'api -> metadata:443: denied', 'api -> metadata:80: denied',
      'api -> database:5432: allowed', 'api -> database:22: denied', 'api -> another network:5432: denied', 'api -> neighbour:8080: denied',
    ]);
  });

  it('let nothing in from the ingress controller without served ports, and nothing out to a database without one', () => {
    const policies = policiesOf({ servedPorts: [], database: undefined });
    expect(decide(policies, [
      ['ingress -> api:8080', { from: ingress, to: api, port: 8080 }],
      ['api -> database:5432', { from: api, to: outside('10.64.3.21'), port: 5432 }],
      ['api -> worker:9000', { from: api, to: worker, port: 9000 }],
    ])).toEqual(['ingress -> api:8080: denied', 'api -> database:5432: denied', 'api -> worker:9000: allowed']);
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-https-egress', 'allow-same-namespace', 'default-deny']);
    expect(policiesOf({ servedPorts: undefined }).map((p) => p.metadata.name)).not.toContain('allow-ingress-controller');
  });

  it('serve every port listed, each over TCP', () => {
    const policies = policiesOf({ servedPorts: [8080, 8443] });
    expect(decide(policies, [
      ['ingress -> api:8443', { from: ingress, to: api, port: 8443 }],
      ['ingress -> api:8080', { from: ingress, to: api, port: 8080 }],
    ])).toEqual(['ingress -> api:8443: allowed', 'ingress -> api:8080: allowed']);
  });

  it('are each in the tenant\'s namespace with its labels', () => {
    const policies = policiesOf();
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-database-egress', 'allow-dns', 'allow-https-egress', 'allow-ingress-controller', 'allow-same-namespace', 'default-deny']);
    for (const policy of policies) expect(policy.metadata, policy.metadata.name).toEqual({ name: policy.metadata.name, namespace: NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'tenancy' } });
  });
});
