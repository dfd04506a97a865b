/**
 * Kubernetes NetworkPolicy semantics over synthesized `kubernetes_network_policy_v1` resources, to
 * ask "is this connection allowed?" the way the cluster's enforcement (the VPC CNI) answers it,
 * instead of comparing the policies' text.
 */

/** A `kubernetes_network_policy_v1` as synthesized (snake_case, as Terraform reads it). */
export interface SynthesizedNetworkPolicy {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly pod_selector: Selector;
    readonly policy_types: readonly ('Ingress' | 'Egress')[];
    readonly ingress?: readonly Rule[];
    readonly egress?: readonly Rule[];
  };
}

interface Selector {
  readonly match_labels?: Readonly<Record<string, string>>;
  readonly match_expressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

interface Peer {
  readonly pod_selector?: Selector;
  readonly namespace_selector?: Selector;
  readonly ip_block?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: readonly { readonly port?: string; readonly protocol?: string }[];
}

/** A pod (its namespace and labels) or an address outside the cluster's pods. */
export type Endpoint = { readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly ip?: never } | { readonly ip: string; readonly namespace?: never };

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  const byLabel = Object.entries(selector.match_labels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.match_expressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    return operator === 'In' ? values.includes(labels[key]!) : !values.includes(labels[key]!);
  });
  return byLabel && byExpression;
}

const toNumber = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size);
}

/** Whether `peer`, written in a policy of `namespace`, matches `endpoint`. */
function matches(peer: Peer, namespace: string, endpoint: Endpoint): boolean {
  if (peer.ip_block) return endpoint.ip !== undefined && inCidr(endpoint.ip, peer.ip_block.cidr) && !(peer.ip_block.except ?? []).some((cidr) => inCidr(endpoint.ip!, cidr));
  if (endpoint.ip !== undefined) return false;
  const namespaceMatches = peer.namespace_selector
    ? selects(peer.namespace_selector, { 'kubernetes.io/metadata.name': endpoint.namespace })
    : endpoint.namespace === namespace;
  return namespaceMatches && (peer.pod_selector === undefined || selects(peer.pod_selector, endpoint.labels));
}

function allowedBy(rule: Rule, peers: readonly Peer[] | undefined, namespace: string, other: Endpoint, port: number, protocol: string): boolean {
  const portMatches = rule.ports === undefined || rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || Number(p.port) === port));
  return portMatches && (peers === undefined || peers.some((peer) => matches(peer, namespace, other)));
}

/** Whether one direction of a connection is allowed at `self`: no policy isolates it that way, or one allows it. */
function side(policies: readonly SynthesizedNetworkPolicy[], direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if (self.ip !== undefined) return true;
  const isolating = policies.filter((p) => p.metadata.namespace === self.namespace && p.spec.policy_types.includes(direction) && selects(p.spec.pod_selector, self.labels));
  if (isolating.length === 0) return true;
  return isolating.some((p) => (direction === 'Ingress' ? p.spec.ingress : p.spec.egress)?.some((rule) =>
    allowedBy(rule, direction === 'Ingress' ? rule.from : rule.to, p.metadata.namespace, other, port, protocol)));
}

/** What the Kubernetes API refuses in a policy, which the cluster would never enforce: thrown. */
function check(policy: SynthesizedNetworkPolicy): void {
  const where = `NetworkPolicy ${policy.metadata.name || '(no name)'}`;
  if (!policy.metadata.name) throw new Error(`${where}: metadata.name is required`);
  for (const type of policy.spec.policy_types) if (type !== 'Ingress' && type !== 'Egress') throw new Error(`${where}: policy type '${type}' is neither Ingress nor Egress`);
  for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
    for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
      if (!peer.pod_selector && !peer.namespace_selector && !peer.ip_block) throw new Error(`${where}: a peer must name pods, namespaces or an IP block`);
    }
    for (const port of rule.ports ?? []) if (!['TCP', 'UDP', 'SCTP', undefined].includes(port.protocol)) throw new Error(`${where}: protocol '${port.protocol}' is not TCP, UDP or SCTP`);
  }
}

/** Whether the policies let the connection through: out of its source and into its destination. */
export function allows(policies: readonly SynthesizedNetworkPolicy[], connection: Connection): boolean {
  policies.forEach(check);
  const protocol = connection.protocol ?? 'TCP';
  return side(policies, 'Egress', connection.from, connection.to, connection.port, protocol)
    && side(policies, 'Ingress', connection.to, connection.from, connection.port, protocol);
}
