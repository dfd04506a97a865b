import type { TerraformJson } from './example-stacks';
import { asTerraformReads } from './terraform-text';

/** A Kubernetes API object, as `kubectl apply` would send it. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** The Kubernetes provider's resource types the stacks use, by the object each one is. */
const OBJECTS: Readonly<Record<string, { readonly apiVersion: string; readonly kind: string }>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota' },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
};

/** Arguments of the provider's resources that configure Terraform, not the object. */
const TERRAFORM_ONLY = new Set(['depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'timeouts', 'wait_for_completion', 'wait_for_rollout', 'wait_for_load_balancer']);

/** Blocks the provider names in the singular where the API has a list. */
const LIST_BLOCKS: Readonly<Record<string, string>> = {
  container: 'containers', init_container: 'initContainers', port: 'ports', volume_mount: 'volumeMounts', volume: 'volumes', toleration: 'tolerations', limit: 'limits',
};

/** Blocks the provider writes as a one-element list where the API has an object. */
const SINGLE_BLOCKS = new Set(['tcp_socket', 'http_get', 'exec', 'grpc']);

/** Maps whose keys are data (labels, resource names, config keys), never field names. */
const MAPS = new Set(['labels', 'annotations', 'data', 'binary_data', 'hard', 'match_labels', 'node_selector', 'requests', 'limits', 'default', 'default_request', 'max', 'min', 'selector']);

/** Fields the provider takes as strings that the API holds as integers, or as int-or-string (a number when numeric). */
const INTEGERS = new Set(['replicas', 'run_as_user', 'run_as_group', 'fs_group']);
const INT_OR_STRING = new Set(['port', 'target_port']);

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const REFERENCE_TO_NAME = /^\$\{(kubernetes_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata\[0\]\.name\}$/;

/**
 * The Kubernetes objects a synthesized stack declares, as the Kubernetes provider (hashicorp/
 * kubernetes) expands its resources into API requests: blocks to lists and objects, snake_case to
 * camelCase, numeric strings to numbers, literal text as Terraform reads it. A reference to another object's name is followed to it; a
 * value known only after apply (an AWS id) stays its Terraform expression.
 */
export function manifestsOf(stack: TerraformJson): { address: string; manifest: Manifest }[] {
  const names = new Map<string, string>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    if (!OBJECTS[type]) continue;
    for (const [name, config] of Object.entries(byName)) names.set(`${type}.${name}`, String((config.metadata as { name: string }).name));
  }
  const resolve = (value: string) => {
    const match = REFERENCE_TO_NAME.exec(value);
    if (!match) return asTerraformReads(value);
    const name = names.get(`${match[1]}.${match[2]}`);
    if (name === undefined) throw new Error(`${value} names no object of the stack`);
    return name;
  };
  const convert = (key: string, value: unknown): unknown => {
    if (typeof value === 'string') {
      if (INTEGERS.has(key)) {
        if (!/^\d+$/.test(value)) throw new Error(`${key} is not a whole number: ${value}`);
        return Number(value);
      }
      if (INT_OR_STRING.has(key) && /^\d+$/.test(value)) return Number(value);
      return resolve(value);
    }
    if (Array.isArray(value)) {
      if (SINGLE_BLOCKS.has(key)) {
        if (value.length !== 1) throw new Error(`${key} holds ${value.length} blocks, not 1`);
        return convert(key, value[0]);
      }
      return value.map((item) => convert(key, item));
    }
    if (value && typeof value === 'object') {
      if (MAPS.has(key) && Object.values(value).every((v) => typeof v === 'string')) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v as string)]));
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [Array.isArray(v) && LIST_BLOCKS[k] ? LIST_BLOCKS[k] : camel(k), convert(k, v)]));
    }
    return value;
  };

  const manifests: { address: string; manifest: Manifest }[] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    if (!type.startsWith('kubernetes_')) continue;
    for (const [name, config] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      if (type === 'kubernetes_manifest') {
        manifests.push({ address, manifest: convertManifest(config.manifest as Manifest, resolve) });
        continue;
      }
      const object = OBJECTS[type];
      if (!object) throw new Error(`${address}: no Kubernetes object is known for ${type}`);
      const fields = Object.fromEntries(Object.entries(config).filter(([k]) => !TERRAFORM_ONLY.has(k)));
      manifests.push({ address, manifest: { ...object, ...(convert('', fields) as Pick<Manifest, 'metadata'>) } });
    }
  }
  return manifests;
}

/** A `kubernetes_manifest` is the object already: only references to names are followed. */
function convertManifest(manifest: Manifest, resolve: (value: string) => string): Manifest {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(manifest) as Manifest;
}
