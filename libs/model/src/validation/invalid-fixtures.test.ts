import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic';
import { loadFleet } from '../fleet/load-fleet';
import { copyExampleFleet, REPO_ROOT } from '../testing/fixtures';

const REPO = REPO_ROOT;
const FIXTURES = resolve(__dirname, '../../fixtures/invalid');

interface Expectation {
  /** Fixture file under fixtures/invalid (tenant files) or fixtures/invalid/platform (platform.yaml). */
  readonly fixture: string;
  readonly at: `${number}:${number}`;
  readonly code: string;
  /** Fragment the message must contain. */
  readonly message: string;
  readonly severity?: 'warning';
  /** The file the diagnostic is in when it is not the fixture: a tenant's over-full cell is reported in platform.yaml too. */
  readonly in?: string;
}

const TENANT_CASES: readonly Expectation[] = [
  { fixture: 'unknown-key.yaml', at: '5:1', code: 'unknown-key', message: "unknown key 'replica'" },
  { fixture: 'nested-typo.yaml', at: '8:3', code: 'unknown-key', message: "unknown key 'regoin' in hosting" },
  { fixture: 'missing-contact.yaml', at: '2:1', code: 'missing-key', message: "missing required key 'contact'" },
  { fixture: 'missing-account.yaml', at: '6:1', code: 'missing-key', message: "missing required key 'accountId' in hosting" },
  { fixture: 'missing-model.yaml', at: '8:1', code: 'missing-key', message: "missing required key 'model' in deployment" },
  { fixture: 'wrong-type.yaml', at: '19:15', code: 'invalid-type', message: 'resources[0].replicas must be a number' },
  { fixture: 'account-number.yaml', at: '8:14', code: 'invalid-type', message: 'hosting.accountId is written as a number' },
  { fixture: 'account-short.yaml', at: '8:14', code: 'invalid-format', message: 'is not a 12-digit AWS account id' },
  { fixture: 'bad-region.yaml', at: '9:11', code: 'invalid-format', message: 'hosting.region is not an AWS region' },
  { fixture: 'bad-hosting-model.yaml', at: '7:10', code: 'invalid-value', message: "hosting.model 'provider' is not one of" },
  { fixture: 'bad-cpu.yaml', at: '16:10', code: 'invalid-value', message: 'resources[0].cpu is not a CPU amount' },
  { fixture: 'bad-memory.yaml', at: '17:13', code: 'invalid-value', message: 'resources[0].memory is not a memory amount' },
  { fixture: 'low-port.yaml', at: '18:11', code: 'too-small', message: 'resources[0].port is below 1024' },
  { fixture: 'image-tag.yaml', at: '15:12', code: 'invalid-value', message: 'resources[0].image has a tag or digest' },
  { fixture: 'dup-resource.yaml', at: '19:11', code: 'invalid-value', message: "resource name 'api' is used twice" },
  { fixture: 'channel-and-version.yaml', at: '6:10', code: 'invalid-value', message: 'both a channel and a pinned version' },
  { fixture: 'no-release.yaml', at: '2:1', code: 'invalid-value', message: 'neither a channel nor a version' },
  { fixture: 'critical-missing.yaml', at: '14:5', code: 'invalid-value', message: "resource 'api' is not marked critical or not" },
  { fixture: 'packed-no-command.yaml', at: '20:5', code: 'invalid-value', message: "non-critical resource 'mailer' has no command" },
  { fixture: 'packed-two-images.yaml', at: '27:12', code: 'invalid-value', message: "non-critical resource 'reports' uses image ghcr.io/example-saas/reports" },
  { fixture: 'packed-port-clash.yaml', at: '33:11', code: 'invalid-value', message: "port 9000 is also used by packed resource 'mailer'" },
  { fixture: 'reserved-tag.yaml', at: '13:3', code: 'invalid-key', message: 'tags.tenant is set by tenancy itself' },
  { fixture: 'bad-email.yaml', at: '12:10', code: 'invalid-format', message: 'contact.email is not an email address' },
  { fixture: 'webhook-not-url.yaml', at: '18:12', code: 'invalid-value', message: 'contact.webhook is not an https URL' },
  { fixture: 'webhook-internal.yaml', at: '18:12', code: 'invalid-value', message: 'contact.webhook is an address inside the network the runners run in' },
  { fixture: 'bad-vpc-cidr.yaml', at: '10:12', code: 'invalid-value', message: 'deployment.vpcCidr must have a prefix between /16 and /20' },
  { fixture: 'bad-window-time.yaml', at: '13:10', code: 'invalid-format', message: 'maintenanceWindow.start is not a time of day' },
  { fixture: 'root-is-list.yaml', at: '1:1', code: 'invalid-type', message: 'must be a mapping of keys, not a list' },
  { fixture: 'id-mismatch.yaml', at: '2:5', code: 'id-mismatch', message: "id 'acme' differs from the file name 'id-mismatch'" },
  { fixture: 'Bad_Name.yaml', at: '1:1', code: 'invalid-file-name', message: "file name 'Bad_Name' is not a valid tenant id" },
  { fixture: 'id-far-too-long-for-aws.yaml', at: '1:1', code: 'invalid-file-name', message: "file name 'id-far-too-long-for-aws' is not a valid tenant id" },
  { fixture: 'id-far-too-long-for-aws.yaml', at: '2:5', code: 'too-big', message: 'id is longer than 20 characters' },
  { fixture: 'double--dash.yaml', at: '2:5', code: 'invalid-value', message: 'id has "--" in it' },
  { fixture: 'double--dash.yaml', at: '1:1', code: 'invalid-file-name', message: "file name 'double--dash' is not a valid tenant id" },
  { fixture: 'cell-eu.yaml', at: '2:5', code: 'invalid-value', message: 'id is prefixed with "cell-" or "pool-"' },
  { fixture: 'cell-eu.yaml', at: '1:1', code: 'invalid-file-name', message: "file name 'cell-eu' is not a valid tenant id" },
  { fixture: 'acme-critical.yaml', at: '2:5', code: 'invalid-value', message: 'id ends with "-critical", which tenancy appends to another tenant\'s names' },
  { fixture: 'acme-critical.yaml', at: '1:1', code: 'invalid-file-name', message: "file name 'acme-critical' is not a valid tenant id" },
  { fixture: 'empty.yaml', at: '1:1', code: 'empty-file', message: 'file is empty' },
  { fixture: 'comments-only.yaml', at: '1:1', code: 'empty-file', message: 'file is empty' },
  { fixture: 'two-documents.yaml', at: '19:1', code: 'multiple-documents', message: 'file holds 2 YAML documents' },
  { fixture: 'duplicate-key.yaml', at: '5:1', code: 'duplicate-key', message: 'key is written twice' },
  { fixture: 'tab-indent.yaml', at: '10:1', code: 'tab-indentation', message: 'a tab is used for indentation' },
  { fixture: 'latin1.yaml', at: '3:17', code: 'not-utf8', message: 'byte 0xe9 at offset 97 is not valid UTF-8' },
  { fixture: 'utf16.yaml', at: '1:1', code: 'not-utf8', message: 'file is encoded as UTF-16' },
  { fixture: 'alias-bomb.yaml', at: '3:9', code: 'alias-limit', message: 'aliases expand beyond the limit' },
  { fixture: 'deep-nesting.yaml', at: '3:46', code: 'too-deep', message: 'nested more than 32 levels deep' },
  { fixture: 'yaml-tag.yaml', at: '3:14', code: 'yaml-tag', message: 'python/object:os.system is not supported' },
  { fixture: 'syntax-error.yaml', at: '17:5', code: 'yaml-syntax', message: 'Flow sequence in block collection' },
  { fixture: 'aws-key-in-tag.yaml', at: '12:15', code: 'inline-secret', message: 'looks like an AWS access key id' },
  { fixture: 'private-key.yaml', at: '12:9', code: 'inline-secret', message: 'looks like a private key' },
  { fixture: 'password-key.yaml', at: '13:13', code: 'inline-secret', message: "'password' holds a password" },
  { fixture: 'password-key.yaml', at: '13:3', code: 'unknown-key', message: "unknown key 'password' in contact" },
  { fixture: 'token-in-tag.yaml', at: '12:14', code: 'inline-secret', message: "'api-token' holds what looks like a secret value" },
  { fixture: 'external-id-value.yaml', at: '11:21', code: 'inline-secret', message: "'externalIdSecret' holds what looks like a secret value" },
  { fixture: 'command-password.yaml', at: '21:52', code: 'inline-secret', message: "'password' holds a password, written as password=… in the value" },
  { fixture: 'flag-password.yaml', at: '21:95', code: 'inline-secret', message: "'db-password' holds a password: the argument after --db-password" },
  { fixture: 'cdktf-marker.yaml', at: '21:41', code: 'reserved-text', message: 'holds "${TfToken[", which the stack synthesizer (cdktf) reads as a reference' },
  { fixture: 'cdktf-number.yaml', at: '21:41', code: 'reserved-text', message: 'holds the number -8.109562212591383e+298, which the stack synthesizer (cdktf) reads as an encoded reference' },
  { fixture: 'github-token.yaml', at: '21:39', code: 'inline-secret', message: 'looks like a GitHub token' },
  // A schema error and a cross-file error in one file: both in one run.
  { fixture: 'merge-key.yaml', at: '20:5', code: 'merge-key', message: "a YAML merge key ('<<') in resources[1] is not supported: one file must read the same to every tool" },
  // What the merge key would have brought is missing: the file reads as it would without it.
  { fixture: 'merge-key.yaml', at: '20:5', code: 'missing-key', message: "missing required key 'image' in resources[1]" },
  { fixture: 'merge-key.yaml', at: '20:5', code: 'missing-key', message: "missing required key 'cpu' in resources[1]" },
  { fixture: 'merge-key.yaml', at: '20:5', code: 'missing-key', message: "missing required key 'memory' in resources[1]" },
  { fixture: 'two-problems.yaml', at: '17:10', code: 'invalid-value', message: 'resources[0].cpu is not a CPU amount' },
  { fixture: 'two-problems.yaml', at: '11:9', code: 'unknown-cell', message: "cell 'blue-9' is not defined" },
  { fixture: 'two-problems.yaml', at: '6:1', code: 'unknown-key', message: "unknown key 'replica'" },
  { fixture: 'image-registry.yaml', at: '15:12', code: 'image-registry', message: 'image 999988887777.dkr.ecr.us-east-1.amazonaws.com/api is from none of controlPlane.imageRegistries' },
  { fixture: 'unknown-tier.yaml', at: '4:7', code: 'unknown-tier', message: "tier 'standrad' is not defined" },
  { fixture: 'unknown-channel.yaml', at: '5:10', code: 'unknown-channel', message: "channel 'beta' is not defined" },
  { fixture: 'unknown-cell.yaml', at: '10:9', code: 'unknown-cell', message: "cell 'blue-3' is not defined" },
  { fixture: 'unknown-pool.yaml', at: '10:9', code: 'unknown-pool', message: "pool 'shared-9' is not defined" },
  { fixture: 'tier-no-dedicated.yaml', at: '9:10', code: 'deployment-not-in-tier', message: "tier 'basic' does not allow the dedicated deployment model" },
  { fixture: 'wrong-account-cell.yaml', at: '14:9', code: 'placement-account-mismatch', message: "cell 'blue-2' runs in the provider account, but the tenant is hosted in customer account 777788889999" },
  { fixture: 'region-mismatch.yaml', at: '8:11', code: 'region-mismatch', message: "region eu-west-1 differs from cell 'blue-2' in us-east-1" },
  { fixture: 'own-account.yaml', at: '8:14', code: 'customer-account-is-own', message: "account 111122223333 is the provider's or the platform's own account" },
  { fixture: 'own-account.yaml', at: '14:9', code: 'placement-account-mismatch', message: "cell 'initech' runs in customer account 777788889999, but the tenant is hosted in customer account 111122223333" },
  { fixture: 'over-cpu-limit.yaml', at: '16:10', code: 'over-container-limit', message: "cpu 16 is over the standard tier's limit of 4 per container" },
  { fixture: 'over-quota.yaml', at: '13:1', code: 'over-tier-quota', message: '20 CPU of 16, 40Gi memory of 32Gi' },
  { fixture: 'over-capacity.yaml', at: '14:9', code: 'over-capacity', message: "cell 'initech' is over capacity: 14.25 CPU of 8" },
  { fixture: 'over-capacity.yaml', in: 'platform.yaml', at: '109:5', code: 'over-capacity', message: "cell 'initech' is over capacity: 14.25 CPU of 8" },
  { fixture: 'unknown-region.yaml', at: '8:11', code: 'unknown-region', message: 'region ap-south-1 has no availability zones' },
  { fixture: 'secret-outside.yaml', at: '11:21', code: 'external-id-outside-prefix', message: 'secret initech/external-id is not under controlPlane.externalIdSecretPrefix tenancy/customers/' },
  { fixture: 'planner-same.yaml', at: '11:20', code: 'planner-is-deployer', message: "the planner's role is the deployer's role TenancyDeployer" },
  { fixture: 'old-postgres.yaml', at: '36:20', code: 'invalid-value', message: 'postgres 12.19 is not a supported version' },
  { fixture: 'planner-differs.yaml', at: '11:20', code: 'customer-roles-differ', message: 'deployer role TenancyDeployer of account 777788889999 goes with planner role TenancyPlanner elsewhere, InitechReadOnly here' },
];

const PLATFORM_CASES: readonly Expectation[] = [
  { fixture: 'platform/unknown-key.yaml', at: '5:3', code: 'unknown-key', message: "unknown key 'regoin' in controlPlane" },
  { fixture: 'platform/unknown-key.yaml', at: '3:1', code: 'missing-key', message: "missing required key 'region' in controlPlane" },
  { fixture: 'platform/zone-not-in-region.yaml', at: '64:37', code: 'invalid-value', message: 'zone eu-west-1b is not in region us-east-1' },
  { fixture: 'platform/last-wave-not-rest.yaml', at: '136:9', code: 'invalid-value', message: "the last wave 'early' does not take the remaining tenants" },
  { fixture: 'platform/rest-wave-not-last.yaml', at: '136:9', code: 'invalid-value', message: "wave 'rest' takes the rest of the tenants but is not the last wave" },
  { fixture: 'platform/rest-wave-not-last.yaml', at: '138:9', code: 'invalid-value', message: "the last wave 'early' does not take the remaining tenants" },
  { fixture: 'platform/health-placeholder.yaml', at: '137:16', code: 'invalid-value', message: '{region} is not a placeholder' },
  { fixture: 'platform/wave-tenant-twice.yaml', at: '134:33', code: 'invalid-value', message: "tenant 'wonka' is listed twice in wave 'canary'" },
  { fixture: 'platform/legal-hold-unknown.yaml', at: '150:13', code: 'unknown-legal-hold-tenant', message: "legal hold names 'umbrela'" },
  { fixture: 'platform/open-api-cidr.yaml', at: '15:7', code: 'invalid-value', message: 'is 0.0.0.0/0, which opens the endpoint to the whole internet' },
  { fixture: 'platform/same-accounts.yaml', at: '25:9', code: 'invalid-value', message: 'the platform account is the provider account' },
  { fixture: 'platform/customer-cell-own.yaml', at: '89:18', code: 'invalid-value', message: "account 444455556666 is the provider's or the platform's own" },
  { fixture: 'platform/nodes-min-over-max.yaml', at: '67:46', code: 'invalid-value', message: 'min 13 is above max 12' },
  { fixture: 'platform/k8s-version-number.yaml', at: '38:24', code: 'invalid-type', message: 'tiers.basic.kubernetesVersion must be a string' },
  { fixture: 'platform/bad-state-bucket.yaml', at: '8:13', code: 'invalid-format', message: 'is not a valid S3 bucket name' },
  { fixture: 'platform/cell-over-capacity.yaml', at: '68:5', code: 'over-capacity', message: "cell 'blue-1' is over capacity: 2 tenants of 1" },
  { fixture: 'platform/unknown-deployment.yaml', at: '36:19', code: 'invalid-value', message: 'tiers.basic.deployments[0] is the text "serverless"' },
  { fixture: 'platform/missing-channels.yaml', at: '3:1', code: 'missing-key', message: "missing required key 'channels'" },
  { fixture: 'platform/missing-channels.yaml', at: '129:1', code: 'unknown-key', message: "unknown key 'channelz'" },
  { fixture: 'platform/wave-pinned-tenant.yaml', at: '145:27', code: 'wave-tenant-not-on-channel', message: "wave 'canary' names 'umbrella', which is pinned to 2.13.4", severity: 'warning' },
  { fixture: 'platform/k8s-no-addons.yaml', at: '46:24', code: 'invalid-value', message: 'Kubernetes 1.32 has no entry under "kubernetes" with its add-on versions' },
  { fixture: 'platform/burstable-cell-nodes.yaml', at: '77:28', code: 'invalid-value', message: 't3.2xlarge cannot give pods security groups of their own' },
  { fixture: 'platform/migration-over-limit.yaml', at: '168:12', code: 'invalid-value', message: "2 is above tier basic's limits.maxCpu 1" },
  { fixture: 'platform/health-metadata-address.yaml', at: '156:12', code: 'invalid-value', message: 'channels.fast.health.url is an address inside the network the runners run in (169.254.169.254)' },
  { fixture: 'platform/alarm-name-too-long.yaml', at: '156:16', code: 'invalid-value', message: "channels.fast.health.alarms[0]: can be longer than CloudWatch's 255 characters once filled" },
  { fixture: 'platform/migration-newline.yaml', at: '167:33', code: 'invalid-format', message: 'releases.2.15.0.migration.command[1] holds a control character such as a newline' },
  { fixture: 'platform/sender-header-injection.yaml', at: '175:11', code: 'invalid-value', message: 'notifications.email.from holds a control character such as a newline' },
  { fixture: 'platform/image-outside-registries.yaml', at: '18:15', code: 'invalid-value', message: 'image docker.io/example/agent is from none of controlPlane.imageRegistries' },
  { fixture: 'platform/ecr-registry-unlisted.yaml', at: '18:23', code: 'invalid-value', message: 'is in ECR registry 111122223333.dkr.ecr.us-east-1.amazonaws.com, which nodes may not read' },
  { fixture: 'platform/github-runners-private-api.yaml', at: '17:13', code: 'invalid-value', message: 'ubuntu-latest is a GitHub-hosted runner, which cannot reach private cluster API endpoints' },
  { fixture: 'platform/bad-image-digest.yaml', at: '172:33', code: 'invalid-format', message: 'is not an image digest' },
  { fixture: 'platform/wave-unknown-tenant.yaml', at: '145:27', code: 'unknown-wave-tenant', message: "names 'ghost', which is not a tenant", severity: 'warning' },
];

function expectDiagnostic(diagnostics: readonly Diagnostic[], file: string, expected: Expectation): void {
  const [line, column] = expected.at.split(':').map(Number);
  const found = diagnostics.find((d) => d.file === file && d.line === line && d.column === column && d.code === expected.code && d.message.includes(expected.message));
  expect(found, `no ${expected.code} at ${file}:${expected.at} saying ${expected.message}; got:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`).toBeDefined();
  expect(found!.severity).toBe(expected.severity ?? 'error');
  expect(found!.hint, 'every diagnostic says how to fix it').toMatch(/\w/);
}

/** A copy of the example fleet, with `platform` (a file's text) as its platform.yaml when given, for `run`. */
async function withFleet(run: (root: string) => Promise<void>, platform?: string): Promise<void> {
  const fleet = copyExampleFleet(platform === undefined ? {} : { platform });
  try {
    await run(fleet.root);
  } finally {
    fleet.dispose();
  }
}

/** The cases of each fixture, grouped: a fixture's run must report these and nothing else. */
function byFixture(cases: readonly Expectation[]): [string, Expectation[]][] {
  const groups = new Map<string, Expectation[]>();
  for (const c of cases) groups.set(c.fixture, [...(groups.get(c.fixture) ?? []), c]);
  return [...groups];
}

const where = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code}`;

/** Every diagnostic of the run is one of the expected ones: a fixture proves one rule, not several by accident. */
function expectNothingElse(diagnostics: readonly Diagnostic[], file: string, expected: readonly Expectation[], alsoElsewhere: (d: Diagnostic) => boolean = () => false): void {
  const wanted = new Set(expected.map((e) => `${e.in ?? file}:${e.at} ${e.code}`));
  expect(diagnostics.filter((d) => !wanted.has(where(d)) && !alsoElsewhere(d)).map((d) => `${where(d)} ${d.message}`)).toEqual([]);
}

describe('invalid tenant fixtures', () => {
  it.each(byFixture(TENANT_CASES))('%s', async (fixtureName, expectations) => {
    const fixture = join(FIXTURES, fixtureName);
    const fleet = await loadFleet(REPO, { files: [fixture] });
    expect(hasErrors(fleet.diagnostics)).toBe(true);
    const file = `libs/model/fixtures/invalid/${fixtureName}`;
    for (const expected of expectations) expectDiagnostic(fleet.diagnostics, expected.in ?? file, expected);
    expectNothingElse(fleet.diagnostics, file, expectations);
  });
});

describe('invalid platform fixtures', () => {
  it.each(byFixture(PLATFORM_CASES))('%s', async (fixtureName, expectations) => {
    await withFleet(async (root) => {
      const fleet = await loadFleet(root);
      expect(hasErrors(fleet.diagnostics)).toBe(expectations.some((e) => e.severity !== 'warning'));
      for (const expected of expectations) expectDiagnostic(fleet.diagnostics, 'platform.yaml', expected);
      // An over-full cell is reported at each of its tenants' files too, with the same message.
      const atItsTenants = (d: Diagnostic) => d.file.startsWith('tenants/') && expectations.some((e) => e.code === d.code && d.code === 'over-capacity');
      expectNothingElse(fleet.diagnostics, 'platform.yaml', expectations, atItsTenants);
    }, readFileSync(join(FIXTURES, fixtureName), 'utf8'));
  });
});

describe('the fixture table', () => {
  it('lists every fixture file, and there are at least 40 invalid ones', () => {
    const onDisk = [
      ...readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')),
      ...readdirSync(join(FIXTURES, 'platform')).map((f) => `platform/${f}`),
    ].sort();
    const listed = [...new Set([...TENANT_CASES, ...PLATFORM_CASES].map((c) => c.fixture))].sort();
    expect(listed).toEqual(onDisk);
    expect([...TENANT_CASES, ...PLATFORM_CASES].filter((c) => c.severity !== 'warning').length).toBeGreaterThanOrEqual(40);
  });
});

describe('requirements across files', () => {
  it('refuses a tenant database when platform.yaml names no database tools image', async () => {
    await withFleet(async (root) => {
      const fleet = await loadFleet(root);
      expectDiagnostic(fleet.diagnostics, 'tenants/acme.yaml', { fixture: 'acme', at: '35:3', code: 'database-without-tools-image', message: 'names no controlPlane.databaseToolsImage' });
    }, readFileSync(join(REPO, 'platform.yaml'), 'utf8').replace(/^ {2}databaseToolsImage:.*\n/m, ''));
  });

  it('refuses a tenant webhook when platform.yaml names no secret to sign it with', async () => {
    await withFleet(async (root) => {
      const fleet = await loadFleet(root);
      expectDiagnostic(fleet.diagnostics, 'tenants/acme.yaml', { fixture: 'acme', at: '18:12', code: 'webhook-without-secret', message: 'names no notifications.webhookSecret' });
    }, readFileSync(join(REPO, 'platform.yaml'), 'utf8').replace(/^ {2}webhookSecret:.*\n/m, ''));
  });
});

describe('hostile files made on the fly', () => {
  it('refuses a tenant file over 64 KiB without parsing it', async () => {
    await withFleet(async (root) => {
      writeFileSync(join(root, 'tenants', 'huge.yaml'), `id: huge\ndisplayName: "${'x'.repeat(70_000)}"\n`);
      const fleet = await loadFleet(root);
      expectDiagnostic(fleet.diagnostics, 'tenants/huge.yaml', { fixture: 'huge', at: '1:1', code: 'file-too-large', message: 'file is 70025 bytes, over the limit of 65536 bytes' });
    });
  });

  it('refuses a .yml tenant file that would otherwise be ignored', async () => {
    await withFleet(async (root) => {
      cpSync(join(REPO, 'tenants', 'acme.yaml'), join(root, 'tenants', 'acme-eu.yml'));
      const fleet = await loadFleet(root);
      expectDiagnostic(fleet.diagnostics, 'tenants/acme-eu.yml', { fixture: 'acme-eu.yml', at: '1:1', code: 'wrong-extension', message: "'acme-eu.yml' is not named <id>.yaml" });
    });
  });

  it('reports a missing platform.yaml instead of failing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tenancy-noplatform-'));
    try {
      const fleet = await loadFleet(root);
      expect(fleet.diagnostics.map((d) => d.code)).toEqual(['missing-platform']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
