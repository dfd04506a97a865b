import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFleet } from '../fleet/load-fleet';
import { copyExampleFleet, type ExampleFleetCopy } from '../testing/fixtures';

let fleet: ExampleFleetCopy | undefined;
afterEach(() => fleet?.dispose());

/** Edits a file of the copy; throws when `from` is not in it, so no test edits nothing. */
function edit(root: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(root, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(join(root, file), text.replace(from, to));
}

/** The example fleet changed by `change`: its diagnostics of `codes`, each with where, what and the hint. */
async function diagnose(codes: readonly string[], change: (root: string) => void): Promise<string[]> {
  fleet = copyExampleFleet();
  change(fleet.root);
  const { diagnostics } = await loadFleet(fleet.root);
  return diagnostics.filter((d) => codes.includes(d.code)).map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message} | ${d.hint ?? ''}`);
}

/** acme's file under another id, with `change` applied to its text. */
const acmeAs = (root: string, id: string, change: (text: string) => string) =>
  writeFileSync(join(root, `tenants/${id}.yaml`), change(readFileSync(join(root, 'tenants/acme.yaml'), 'utf8').replace('id: acme\n', `id: ${id}\n`)));

describe('checks across tenant files and platform.yaml: each diagnostic whole, with its hint', () => {
  it('a deployment model the tier does not allow names the tiers that do', async () => {
    expect(await diagnose(['deployment-not-in-tier'], (root) => {
      edit(root, 'tenants/acme.yaml', 'tier: standard', 'tier: basic');
      edit(root, 'tenants/acme.yaml', '  model: multi-tenant\n  cell: blue-1', '  model: resource-shared\n  pool: shared-1');
    })).toEqual([
      "tenants/acme.yaml:9:10 error deployment-not-in-tier: tier 'basic' does not allow the resource-shared deployment model | use one the tier allows (multi-tenant), or a tier that allows resource-shared: standard, premium",
    ]);
    // No tier allows dedicated any more: acme's hint says so (and the premium tenants that were dedicated are refused alike).
    expect((await diagnose(['deployment-not-in-tier'], (root) => {
      edit(root, 'platform.yaml', '    deployments: [dedicated, resource-shared, multi-tenant]', '    deployments: [resource-shared, multi-tenant]');
      edit(root, 'tenants/acme.yaml', '  model: multi-tenant\n  cell: blue-1', '  model: dedicated');
    })).filter((line) => line.startsWith('tenants/acme.yaml'))).toEqual([
      "tenants/acme.yaml:9:10 error deployment-not-in-tier: tier 'standard' does not allow the dedicated deployment model | use one the tier allows (multi-tenant, resource-shared), or a tier that allows dedicated: none",
    ]);
  });

  it('a tag key platform.yaml does not list suggests the closest one, or only adding it', async () => {
    expect(await diagnose(['unknown-tag-key'], (root) => edit(root, 'tenants/acme.yaml', 'tags:\n  cost-center: "4410"', 'tags:\n  cost-centre: "4410"\n  owner-team: payments'))).toEqual([
      "tenants/acme.yaml:20:3 error unknown-tag-key: tag key 'cost-centre' is not listed in platform.yaml tagKeys | did you mean 'cost-center'? or add it to tagKeys in platform.yaml, then apply the account stacks again and send customers a new bootstrap",
      "tenants/acme.yaml:21:3 error unknown-tag-key: tag key 'owner-team' is not listed in platform.yaml tagKeys | add it to tagKeys in platform.yaml, then apply the account stacks again and send customers a new bootstrap",
    ]);
  });

  it('a dedicated tenant in a region platform.yaml has no zones for, named where the region comes from', async () => {
    expect(await diagnose(['unknown-region'], (root) => {
      acmeAs(root, 'acme-two', (text) => text.replace('tier: standard', 'tier: premium').replace('  model: multi-tenant\n  cell: blue-1', '  model: dedicated'));
      edit(root, 'tenants/acme.yaml', '  model: multi-tenant\n  cell: blue-1', '  model: dedicated');
      edit(root, 'tenants/acme.yaml', 'tier: standard', 'tier: premium');
      edit(root, 'tenants/acme.yaml', 'hosting:\n  model: provider-account', 'hosting:\n  model: provider-account\n  region: ap-south-1');
      edit(root, 'platform.yaml', 'controlPlane:\n  repository: example-saas/tenants\n  region: us-east-1', 'controlPlane:\n  repository: example-saas/tenants\n  region: us-west-2');
    })).toEqual([
      'tenants/acme-two.yaml:9:10 error unknown-region: region us-west-2 has no availability zones in platform.yaml | add it under "regions" in platform.yaml, or use one of: us-east-1, eu-west-1',
      'tenants/acme.yaml:8:11 error unknown-region: region ap-south-1 has no availability zones in platform.yaml | add it under "regions" in platform.yaml, or use one of: us-east-1, eu-west-1',
    ]);
  });

  it('a customer\'s planner role that goes with two deployer roles of its account', async () => {
    expect(await diagnose(['customer-roles-differ'], (root) => {
      edit(root, 'platform.yaml', '      roleName: TenancyDeployer\n      plannerRoleName: TenancyPlanner\n      externalIdSecret: tenancy/customers/initech/external-id\n    region: us-east-1\n    availabilityZones: [us-east-1a, us-east-1b]\n    vpcCidr: 10.91.0.0/16',
        '      roleName: TenancyDeployer2\n      plannerRoleName: TenancyPlanner\n      externalIdSecret: tenancy/customers/initech/external-id\n    region: us-east-1\n    availabilityZones: [us-east-1a, us-east-1b]\n    vpcCidr: 10.91.0.0/16');
    })).toEqual([
      'platform.yaml:133:24 error customer-roles-differ: planner role TenancyPlanner of account 777788889999 goes with deployer role TenancyDeployer elsewhere, TenancyDeployer2 here | give each deployer role of the account its own planner role, or use roleName: TenancyDeployer',
    ]);
  });

  it('a resource over the tier\'s memory per container, and packed resources over its limit together', async () => {
    expect(await diagnose(['over-container-limit'], (root) => edit(root, 'tenants/acme.yaml', '    cpu: 500m\n    memory: 1Gi', '    cpu: 4\n    memory: 9Gi'))).toEqual([
      "tenants/acme.yaml:25:13 error over-container-limit: memory 9Gi is over the standard tier's limit of 8Gi per container | request at most 8Gi, or move the tenant to a larger tier",
    ]);
    expect(await diagnose(['over-container-limit'], (root) => edit(root, 'tenants/hooli.yaml', '    cpu: 200m\n    memory: 256Mi', '    cpu: 200m\n    memory: 8Gi'))).toEqual([
      "tenants/hooli.yaml:21:5 error over-container-limit: the packed non-critical resources request 0.4 CPU and 8448Mi together, over the standard tier's limit of 4 CPU and 8Gi per container | mark some of them critical, or lower their requests",
    ]);
    expect(await diagnose(['over-container-limit'], (root) => edit(root, 'tenants/hooli.yaml', '    cpu: 200m\n    memory: 256Mi', '    cpu: "3.9"\n    memory: 256Mi'))).toEqual([
      "tenants/hooli.yaml:21:5 error over-container-limit: the packed non-critical resources request 4.1 CPU and 512Mi together, over the standard tier's limit of 4 CPU and 8Gi per container | mark some of them critical, or lower their requests",
    ]);
    expect(await diagnose(['over-container-limit'], (root) => edit(root, 'tenants/hooli.yaml', '    cpu: 200m\n    memory: 256Mi', '    cpu: "3.8"\n    memory: 7936Mi'))).toEqual([]);
  });

  it('a namespace over its tier\'s quota of memory or pods, and not at it', async () => {
    const resources = (api: string, worker: string) => (root: string) => {
      edit(root, 'tenants/acme.yaml', '    cpu: 500m\n    memory: 1Gi\n    replicas: 3', api);
      edit(root, 'tenants/acme.yaml', '    cpu: 250m\n    memory: 512Mi\n    replicas: 2', worker);
    };
    expect(await diagnose(['over-tier-quota'], resources('    cpu: 500m\n    memory: 8Gi\n    replicas: 3', '    cpu: 250m\n    memory: 4Gi\n    replicas: 2'))).toEqual([]);
    expect(await diagnose(['over-tier-quota'], resources('    cpu: 500m\n    memory: 8Gi\n    replicas: 3', '    cpu: 250m\n    memory: 4097Mi\n    replicas: 2'))).toEqual([
      "tenants/acme.yaml:21:1 error over-tier-quota: the resources request 32770Mi memory of 32Gi allowed by the standard tier's quota | lower requests or replicas, or move the tenant to a larger tier",
    ]);
    expect(await diagnose(['over-tier-quota'], resources('    cpu: 100m\n    memory: 256Mi\n    replicas: 58', '    cpu: 250m\n    memory: 512Mi\n    replicas: 2'))).toEqual([]);
    expect(await diagnose(['over-tier-quota'], resources('    cpu: 100m\n    memory: 256Mi\n    replicas: 59', '    cpu: 250m\n    memory: 512Mi\n    replicas: 2'))).toEqual([
      "tenants/acme.yaml:21:1 error over-tier-quota: the resources request 61 pods of 60 allowed by the standard tier's quota | lower requests or replicas, or move the tenant to a larger tier",
    ]);
  });

  it('a cell over capacity names the cells of its account with room, or asks for one', async () => {
    const full = (root: string) => edit(root, 'platform.yaml', "    vpcCidr: 10.64.0.0/16\n    kubernetesVersion: \"1.31\"\n    nodes: { instanceType: m6i.2xlarge, min: 3, max: 12 }\n    capacity: { tenants: 40, cpu: 96, memory: 384Gi }",
      "    vpcCidr: 10.64.0.0/16\n    kubernetesVersion: \"1.31\"\n    nodes: { instanceType: m6i.2xlarge, min: 3, max: 12 }\n    capacity: { tenants: 1, cpu: 96, memory: 384Gi }");
    const found = await diagnose(['over-capacity'], full);
    expect(found.length).toBeGreaterThan(2);
    expect(new Set(found.map((line) => line.replace(/^\S+ /, '')))).toEqual(new Set([
      "error over-capacity: cell 'blue-1' is over capacity: 2 tenants of 1 | move tenants to a cell with room: blue-2 (2/40 tenants); or raise cells.blue-1.capacity in platform.yaml",
    ]));
    // blue-2 is full at 2 of 2: no room, and not over.
    const noRoom = await diagnose(['over-capacity'], (root) => {
      full(root);
      edit(root, 'platform.yaml', "    vpcCidr: 10.65.0.0/16\n    kubernetesVersion: \"1.31\"\n    nodes: { instanceType: m6i.2xlarge, min: 3, max: 12 }\n    capacity: { tenants: 40, cpu: 96, memory: 384Gi }",
        "    vpcCidr: 10.65.0.0/16\n    kubernetesVersion: \"1.31\"\n    nodes: { instanceType: m6i.2xlarge, min: 3, max: 12 }\n    capacity: { tenants: 2, cpu: 96, memory: 384Gi }");
    });
    expect(new Set(noRoom.map((line) => line.replace(/^\S+ /, '')))).toEqual(new Set([
      "error over-capacity: cell 'blue-1' is over capacity: 2 tenants of 1 | add a cell, or raise cells.blue-1.capacity in platform.yaml",
    ]));
  });

  it('a legal hold of an unknown tenant suggests a tenant id', async () => {
    expect(await diagnose(['unknown-legal-hold-tenant'], (root) => edit(root, 'platform.yaml', 'legalHolds:\n  - tenant: umbrella', 'legalHolds:\n  - tenant: umbrela'))).toEqual([
      "platform.yaml:188:13 error unknown-legal-hold-tenant: legal hold names 'umbrela', which is neither a tenant nor a former tenant | did you mean 'umbrella'? use a tenant id such as: acme, cyberdyne, globex, hooli, initech-fin, initech-hr, initech-ops, oscorp, soylent, stark, tyrell, umbrella, ... (2 more)",
    ]);
  });

  it('a wave naming a tenant that follows another channel or is pinned, as warnings', async () => {
    expect(await diagnose(['wave-tenant-not-on-channel', 'unknown-wave-tenant'], (root) => edit(root, 'platform.yaml', '        tenants: [wonka]', '        tenants: [wonka, oscorp, umbrella, nobody]'))).toEqual([
      "platform.yaml:147:26 warning wave-tenant-not-on-channel: wave 'canary' names 'oscorp', which follows channel 'fast' | remove it from channel 'stable's waves",
      "platform.yaml:147:34 warning wave-tenant-not-on-channel: wave 'canary' names 'umbrella', which is pinned to 2.13.4 | remove it from channel 'stable's waves",
      "platform.yaml:147:44 warning unknown-wave-tenant: wave 'canary' of channel 'stable' names 'nobody', which is not a tenant | remove it from the wave",
    ]);
  });

  it('a tenant in a cell of another account names the cells of its own', async () => {
    expect(await diagnose(['placement-account-mismatch'], (root) => edit(root, 'tenants/acme.yaml', '  cell: blue-1', '  cell: hosted-1'))).toEqual([
      "tenants/acme.yaml:10:9 error placement-account-mismatch: cell 'hosted-1' runs in the platform account, but the tenant is hosted in the provider account | use a cell of the same account: blue-1, blue-2",
    ]);
  });

  it('a webhook with no secret to sign it, a customer account that is one of ours, a database without the tools image', async () => {
    expect(await diagnose(['webhook-without-secret', 'customer-account-is-own', 'database-without-tools-image'], (root) => {
      edit(root, 'platform.yaml', '  webhookSecret: TENANCY_WEBHOOK_SECRET\n', '');
      edit(root, 'platform.yaml', '  databaseToolsImage: ghcr.io/example-saas/database-tools:1.0.0', '');
      edit(root, 'tenants/umbrella.yaml', readFileSync(join(root, 'tenants/umbrella.yaml'), 'utf8').match(/accountId: "\d+"/)![0], 'accountId: "444455556666"');
    })).toEqual(expect.arrayContaining([
      "tenants/acme.yaml:18:12 error webhook-without-secret: platform.yaml names no notifications.webhookSecret to sign this webhook with | add notifications.webhookSecret (a GitHub Actions secret name) to platform.yaml: an unsigned webhook cannot be told from a forged one",
      "tenants/umbrella.yaml:8:14 error customer-account-is-own: account 444455556666 is the provider's or the platform's own account | use hosting model provider-account or platform-account, or the customer's account id",
      "tenants/acme.yaml:35:3 error database-without-tools-image: the tenant has a database, but platform.yaml names no controlPlane.databaseToolsImage | add controlPlane.databaseToolsImage (an image with sh, the AWS CLI, jq, psql and mysql): its job creates the IAM-authenticated user the application connects as",
    ]));
  });
});
