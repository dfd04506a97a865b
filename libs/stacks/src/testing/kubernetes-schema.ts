import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Manifest } from './kubernetes-manifests';

/** A validator of `kubernetes-models`: the Kubernetes OpenAPI schema of one object, compiled. */
type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: object }[] | null };

/** The schema of each kind the stacks declare, in `kubernetes-models` (the Kubernetes 1.36 OpenAPI description). */
const SCHEMAS: Readonly<Record<string, () => Promise<{ validate: Validate }>>> = {
  'v1/Namespace': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1Namespace'),
  'v1/ResourceQuota': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1ResourceQuota'),
  'v1/LimitRange': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1LimitRange'),
  'v1/ServiceAccount': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount'),
  'v1/ConfigMap': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap'),
  'v1/Service': () => import('kubernetes-models/_schemas/IoK8sApiCoreV1Service'),
  'apps/v1/Deployment': () => import('kubernetes-models/_schemas/IoK8sApiAppsV1Deployment'),
  'batch/v1/Job': () => import('kubernetes-models/_schemas/IoK8sApiBatchV1Job'),
  'networking.k8s.io/v1/NetworkPolicy': () => import('kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy'),
};

/**
 * The Kubernetes minor version from which each API the stacks use is served, and the version after
 * which it is no longer (none of them is deprecated): the schema is 1.36's, the clusters run older
 * versions, and an object of an API their version does not serve must fail here.
 */
export const SERVED: Readonly<Record<string, { readonly since: string; readonly until?: string }>> = {
  v1: { since: '1.0' },
  'apps/v1': { since: '1.9' },
  'batch/v1': { since: '1.2' },
  'networking.k8s.io/v1': { since: '1.8' },
  // A custom resource: served wherever EKS installs the VPC resource controller's CRD (every cluster).
  'vpcresources.k8s.aws/v1beta1': { since: '1.0' },
};

/** The SecurityGroupPolicy CRD's schema, as the VPC resource controller ships it. */
const CRDS: Readonly<Record<string, { group: string; version: string; kind: string; schema: object }>> = {
  'vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy': JSON.parse(readFileSync(join(__dirname, '../../fixtures/crds/securitygrouppolicy.json'), 'utf8')),
};

/**
 * A copy of `value` that records every field a validator reads: a field of the object that the
 * schema never reads is one the API server's strict field validation rejects as unknown.
 */
function watched(value: unknown, path: string, present: Set<string>, read: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => watched(item, `${path}/${i}`, present, read));
  const target = Object.fromEntries(Object.entries(value).map(([k, v]) => {
    present.add(`${path}/${k}`);
    return [k, watched(v, `${path}/${k}`, present, read)];
  }));
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string') read.add(`${path}/${key}`);
      return Reflect.get(object, key, receiver);
    },
    ownKeys(object) {
      for (const key of Object.keys(object)) read.add(`${path}/${key}`);
      return Reflect.ownKeys(object);
    },
  });
}

/** Problems of one object against its schema: wrong types and formats, missing fields, unknown fields. */
export async function schemaProblems(manifest: Manifest): Promise<string[]> {
  const id = `${manifest.apiVersion}/${manifest.kind}`;
  const crd = CRDS[id];
  if (crd) {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(strictSchema(crd.schema));
    return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
  }
  const load = SCHEMAS[id];
  if (!load) return [`no Kubernetes schema is known for ${id}`];
  const { validate } = await load();
  const present = new Set<string>();
  const read = new Set<string>();
  const valid = validate(watched(manifest, '', present, read));
  return [
    // The compiled validators carry no messages: the failed keyword and its parameters say it.
    ...(valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword} ${JSON.stringify(e.params)}`)),
    ...[...present].filter((field) => !read.has(field)).map((field) => `${field}: unknown field`),
  ];
}

/** A CRD's schema with unknown fields refused, as strict field validation does. */
function strictSchema(schema: object): object {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, walk(s)])) : walk(v)]));
    return 'properties' in copy && !('additionalProperties' in copy) ? { ...copy, additionalProperties: false } : copy;
  };
  return walk(schema) as object;
}
