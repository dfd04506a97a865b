import { z } from 'zod';
import { problem, whenPresent } from '../diagnostics/problem';

/**
 * Longest tenant id. Every AWS name built from an id must stay valid; the tightest is the data
 * bucket, `tenant-<id>-data-<12-digit account>-<region>`, which S3 limits to 63 characters:
 * 7 + 20 + 6 + 12 + 1 + 14 (the longest region name) = 60.
 */
export const TENANT_ID_MAX_LENGTH = 20;

const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** A lower-case DNS label (RFC 1123) of at most `max` characters. */
export function dnsLabel(what: string, max: number) {
  return z
    .string({ error: whenPresent('must be a string', `write a ${what} such as "blue-1"`) })
    .max(max, { error: problem(`is longer than ${max} characters`, `shorten the ${what} to ${max} characters or fewer`) })
    .regex(DNS_LABEL, { error: problem('is not a lower-case DNS label', `write the ${what} with a-z, 0-9 and "-", starting with a letter and not ending with "-"`) });
}

/**
 * Words tenancy appends to a tenant's names that could end another tenant's id: tenant `acme`'s
 * critical node role `tenant-acme-critical-nodes` would be the node role of a tenant
 * `acme-critical`, and its cluster key alias `alias/tenant-acme-cluster` the data key alias of a
 * tenant `acme-cluster`, and with the names their permissions.
 */
export const RESERVED_ID_SUFFIXES = ['critical', 'cluster'] as const;

/** Why a tenant id would take another tenant's resource names, if it would. */
function idCollision(id: string): string | undefined {
  const suffix = RESERVED_ID_SUFFIXES.find((s) => id.endsWith(`-${s}`));
  if (suffix) return `ends with "-${suffix}", which tenancy appends to another tenant's names`;
  if (/-data-\d{12}(-|$)/.test(id)) return 'holds "-data-" and an account id, as data bucket names do';
  return undefined;
}

export const TenantId = dnsLabel('tenant id', TENANT_ID_MAX_LENGTH)
  .refine((v) => !v.includes('--'), { error: problem('has "--" in it', 'use single hyphens; AWS database identifiers forbid two in a row') })
  // Cells' and pools' stacks and shard units are named cell-<name> and pool-<name>.
  .refine((v) => !/^(cell|pool)-/.test(v), { error: problem('is prefixed with "cell-" or "pool-"', 'choose another id: those prefixes name the shared stacks of cells and pools') })
  .superRefine((v, ctx) => {
    const collision = idCollision(v);
    if (collision) ctx.addIssue({ code: 'custom', input: v, message: problem(collision, 'choose another id: some resource names of another tenant would be its own') });
  })
  .meta({ description: `Tenant id: a lower-case DNS label of at most ${TENANT_ID_MAX_LENGTH} characters, equal to the file name.` });

export const Name = dnsLabel('name', 40);

export const AwsAccountId = z
  .string({
    error: (issue) => issue.input === undefined ? undefined
      : typeof issue.input === 'number' && Number.isInteger(issue.input) && issue.input >= 0 && issue.input < 1e12
        ? problem('is written as a number', `quote it, as in "${String(issue.input).padStart(12, '0')}": unquoted, YAML reads a number and drops leading zeros`)
        : problem('must be a string of 12 digits', 'write it in quotes, such as "111122223333"'),
  })
  .regex(/^\d{12}$/, { error: problem('is not a 12-digit AWS account id', 'write the 12 digits in quotes, such as "111122223333"') })
  .meta({ description: 'A 12-digit AWS account id, quoted.', examples: ['111122223333'] });

export const AwsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { error: problem('is not an AWS region', 'write a region code such as us-east-1 or eu-west-1') })
  .meta({ description: 'An AWS region code.', examples: ['us-east-1'] });

export const AvailabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, { error: problem('is not an availability zone name', 'write a zone such as us-east-1a') })
  .meta({ description: 'An availability zone name.', examples: ['us-east-1a'] });

/** An IPv4 CIDR block. */
export function parseCidr(value: string): { address: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return address % size === 0 ? { address, prefix } : undefined;
}

export const VpcCidr = z
  .string()
  .refine((v) => parseCidr(v) !== undefined, { error: problem('is not an IPv4 network in CIDR form', 'write the network address and prefix, such as 10.0.0.0/16'), abort: true })
  .refine((v) => { const c = parseCidr(v); return !c || (c.prefix >= 16 && c.prefix <= 20); }, { error: problem('must have a prefix between /16 and /20', 'use a /16 to /20 network; subnets are carved from it for up to four zones') })
  .meta({ description: 'VPC network in CIDR form, /16 to /20.', examples: ['10.0.0.0/16'] });

export const IngressCidr = z
  .string()
  .refine((v) => parseCidr(v) !== undefined, { error: problem('is not an IPv4 network in CIDR form', 'write the network address and prefix, such as 203.0.113.0/24'), abort: true })
  .refine((v) => parseCidr(v)?.prefix !== 0, { error: problem('is 0.0.0.0/0, which opens the endpoint to the whole internet', 'list the networks your deployers and operators come from') })
  .meta({ description: 'A network allowed to reach cluster API endpoints, in CIDR form. 0.0.0.0/0 is refused.' });

export const SemVer = z
  .string({ error: whenPresent('must be a string', 'quote the version, such as "2.14.1"') })
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { error: problem('is not a semantic version', 'write MAJOR.MINOR.PATCH, such as 2.14.1') })
  .meta({ description: 'Application version, MAJOR.MINOR.PATCH.', examples: ['2.14.1'] });

/** A container image repository without tag or digest: the tag is always the release version. */
export const ImageRepository = z
  .string()
  .refine((v) => !/@sha256:|:[\w][\w.-]*$/.test(v.replace(/^[^/]+:\d+\//, '')), { error: problem('has a tag or digest', 'write the repository only, such as ghcr.io/example/api; the tag is the release version'), abort: true })
  .refine((v) => /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(v), { error: problem('is not a container image repository', 'write a repository such as ghcr.io/example/api') })
  .meta({ description: 'Container image repository, without tag: the tag is the release version.', examples: ['ghcr.io/example-saas/api'] });

/** A container image with its tag or digest: images the platform names outright, not per release. */
export const ImageReference = z
  .string()
  .regex(/^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/, { error: problem('is not a container image with a tag or digest', 'write an image such as ghcr.io/example/database-tools:1.0.0') })
  .refine((v) => !/:latest$/.test(v), { error: problem('uses the tag latest', 'pin a version tag or a digest, so every cluster runs the same image') })
  .meta({ description: 'Container image with its tag or digest.', examples: ['ghcr.io/example-saas/database-tools:1.0.0'] });

/** A GitHub Actions runner label, as `runs-on` takes it. */
export const RunnerLabel = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: problem('is not a runner label', 'write a label such as ubuntu-latest or self-hosted') })
  .meta({ description: 'GitHub Actions runner label.', examples: ['ubuntu-latest', 'self-hosted'] });

export const IamRoleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, { error: problem('is not an IAM role name', 'use up to 64 letters, digits and +=,.@_-') })
  .meta({ description: 'Name of an IAM role (not its ARN).', examples: ['TenancyDeployer'] });

export const GitHubRepository = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, { error: problem('is not a GitHub repository', 'write OWNER/NAME, such as example-saas/tenants') })
  .meta({ description: 'A GitHub repository, OWNER/NAME.', examples: ['example-saas/tenants'] });

/** A version of an EKS add-on, as `aws eks describe-addon-versions` lists it. */
export const AddonVersion = z
  .string()
  .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { error: problem('is not an EKS add-on version', 'write a version such as v1.3.4-eksbuild.1 (aws eks describe-addon-versions lists them)') })
  .meta({ description: 'EKS add-on version.', examples: ['v1.3.4-eksbuild.1'] });

export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: problem('is not an AWS Secrets Manager secret name', 'use letters, digits and /_+=.@-, such as tenancy/acme/external-id') })
  .meta({ description: 'Name of a secret in AWS Secrets Manager of the control plane account. Never the secret value.', examples: ['tenancy/acme/external-id'] });

export const S3BucketName = z
  .string()
  .regex(/^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: problem('is not a valid S3 bucket name', 'use 3 to 63 lower-case letters, digits, dots and hyphens') })
  .meta({ description: 'An S3 bucket name.' });

export const InstanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: problem('is not an EC2 instance type', 'write a type such as m6i.large') })
  .meta({ description: 'EC2 instance type.', examples: ['m6i.large'] });

export const DbInstanceClass = z
  .string()
  .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, { error: problem('is not an RDS instance class', 'write a class such as db.t4g.medium') })
  .meta({ description: 'RDS instance class.', examples: ['db.t4g.medium'] });

export const KubernetesVersion = z
  .string({ error: whenPresent('must be a string', 'quote the version, such as "1.31" (unquoted, 1.30 reads as the number 1.3)') })
  .regex(/^1\.\d{2}$/, { error: problem('is not a Kubernetes minor version', 'write it quoted, such as "1.31"') });

export const Email = z.email({ error: whenPresent('is not an email address', 'write an address such as ops@example.com') });

/** A line of text as a command argument, an alarm name or a sender takes it: no control characters (no newline, tab or NUL). */
export const NO_CONTROL_CHARACTERS = /^[^\x00-\x1f\x7f]*$/;

/** One argument of a command a container runs: any text on one line. */
export const CommandArgument = z.string().min(1).max(1000)
  .regex(NO_CONTROL_CHARACTERS, { error: problem('holds a control character such as a newline or tab', 'write each argument on one line, without control characters') });

/**
 * The sender of emails: one address, bare or with a display name (`Example SaaS <noreply@example-saas.com>`),
 * on one line, since it becomes a header.
 */
export const EmailSender = z.string().min(3).max(200).superRefine((from, ctx) => {
  if (!NO_CONTROL_CHARACTERS.test(from)) {
    ctx.addIssue({ code: 'custom', input: from, message: problem('holds a control character such as a newline', 'write the sender on one line: a line break would add mail headers') });
    return;
  }
  const match = /^(?:(?:"([^"]*)"|([^<>"]*?))\s*<([^<>\s]+)>|([^<>\s"]+))$/.exec(from.trim());
  const address = match?.[3] ?? match?.[4];
  if (!match || !address || !Email.safeParse(address).success || /[,;]/.test(match[2] ?? '')) {
    ctx.addIssue({ code: 'custom', input: from, message: problem('is not one email address', 'write one sender, such as "Example SaaS <noreply@example-saas.com>" or noreply@example-saas.com') });
  }
});

/** Whether an IPv6 address (as URL or DNS writes it, lower case) is inside the runner's network or a route to it. */
function isInternalIpv6(address: string): boolean {
  // Unspecified, loopback, IPv4-compatible and IPv4-mapped (::/96, ::ffff:0:0/96), link-local and
  // site-local (fe80::/9), unique local (fc00::/7), multicast (ff00::/8), NAT64 (64:ff9b::/96) and discard (100::/64).
  return address.startsWith('::') || /^fe[89a-f]/.test(address) || /^f[cd]/.test(address) || address.startsWith('ff') || address.startsWith('64:ff9b:') || address.startsWith('100::');
}

/**
 * Hosts a request from a runner may not name: loopback, private, link-local (the instance
 * metadata service), shared and unspecified addresses, and names inside the runner's network.
 * A name's trailing dots (`localhost.`, `metadata.google.internal.`) are ignored, as DNS ignores them.
 */
export function isInternalHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
  if (name.includes(':')) return isInternalIpv6(name);
  if (name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.internal') || name.endsWith('.local') || !name.includes('.')) return true;
  const octets = name.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o))) return false;
  const [a, b] = octets.map(Number) as [number, number];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

/** `text` as an https URL, or undefined; parsed once here, so every check reads the same URL. */
export function httpsUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'https:' && url.hostname !== '' ? url : undefined;
}

export const HttpsUrl = z.string().refine((text) => httpsUrl(text) !== undefined, { error: whenPresent('is not an https URL', 'write an address such as https://control.example.com') });

/** An https URL on a public name: a runner that holds a cloud role posts to it, so nothing inside its network. */
export function publicHttpsUrl(description: string, example: string) {
  return z.string().superRefine((text, ctx) => {
    const url = httpsUrl(text);
    if (!url) {
      ctx.addIssue({ code: 'custom', input: text, message: problem('is not an https URL', `write an address such as ${example}`) });
    } else if (isInternalHost(url.hostname)) {
      ctx.addIssue({ code: 'custom', input: text, message: problem(`is an address inside the network the runners run in (${url.hostname})`, `give a public https address, such as ${example}`) });
    }
  }).meta({ description, examples: [example] });
}

/** A customer's webhook: https on a public name, since the runner that posts to it holds a cloud role. */
export const WebhookUrl = publicHttpsUrl('https address the notifications of this tenant are posted to, signed with HMAC-SHA256.', 'https://hooks.acme.example/tenancy');

/** The name of a GitHub Actions secret (repository or environment), which the workflow passes to tenancy in an environment variable of the same name. */
export const ActionsSecretName = z
  .string()
  .regex(/^(?!GITHUB_)[A-Z_][A-Z0-9_]{0,99}$/, { error: problem('is not a GitHub Actions secret name', 'use upper-case letters, digits and _, not starting with GITHUB_, such as TENANCY_SMTP_CREDENTIALS') })
  .meta({ description: 'Name of a GitHub Actions secret; the workflows pass it to tenancy as an environment variable of the same name. Never the value.', examples: ['TENANCY_SMTP_CREDENTIALS'] });

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const TimeOfDay = z
  .string({ error: whenPresent('must be a string', 'quote the time, such as "02:00"') })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: problem('is not a time of day', 'write HH:MM in UTC, such as "02:00"') });
