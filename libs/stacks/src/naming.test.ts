import { TENANT_ID_MAX_LENGTH } from '@tenancy/model';
import { describe, expect, it } from 'vitest';
import { stackNames, tenantNames } from './naming';

/** AWS and Kubernetes limits on the names built from a tenant id. */
const LIMITS: [string, (id: string) => string, number, RegExp][] = [
  ['S3 bucket', (id) => tenantNames.bucket(id, '123456789012', 'ap-southeast-4'), 63, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/],
  ['RDS instance', tenantNames.database, 63, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/],
  ['RDS final snapshot', tenantNames.finalSnapshot, 255, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/],
  ['EKS cluster', tenantNames.cluster, 100, /^[0-9A-Za-z][A-Za-z0-9\-_]*$/],
  ['EKS node group', tenantNames.criticalNodeGroup, 63, /^[0-9A-Za-z][A-Za-z0-9\-_]*$/],
  ['IAM workload role', tenantNames.workloadRole, 64, /^[\w+=,.@-]+$/],
  ['IAM node role', (id) => `${tenantNames.criticalNodeGroup(id)}-nodes`, 64, /^[\w+=,.@-]+$/],
  ['IAM cluster role', (id) => `${tenantNames.cluster(id)}-cluster`, 64, /^[\w+=,.@-]+$/],
  ['Kubernetes namespace', tenantNames.namespace, 63, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/],
  ['STS session name', (id) => `tenancy-${stackNames.workload(id)}`, 64, /^[\w+=,.@-]+$/],
];

describe('names built from a tenant id of the longest allowed length', () => {
  const id = `a${'b-'.repeat(10)}`.slice(0, TENANT_ID_MAX_LENGTH);
  it.each(LIMITS)('%s stays valid', (_what, build, max, pattern) => {
    expect(id).toHaveLength(TENANT_ID_MAX_LENGTH);
    const name = build(id);
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name).toMatch(pattern);
  });
});
