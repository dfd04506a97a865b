import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../yaml/source-file';
import { detectSecrets, flagValueReason, looksRandom, secretReason } from './detect-secrets';

describe('secretReason', () => {
  it.each([
    ['tags', 'AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['note', '-----BEGIN OPENSSH PRIVATE KEY-----', 'private key'],
    ['command', 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'GitHub token'],
    ['webhook', 'xoxb-123456789012-abcdefghij', 'Slack token'],
    ['url', 'postgres://admin:s3cret@db.example.com/app', 'password inside a URL'],
    ['session', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'JSON Web Token'],
  ])('finds a credential by its shape anywhere (%s: %s)', (key, value, kind) => {
    expect(secretReason(key, value)).toContain(kind);
  });

  it.each([['password', 'hunter2'], ['dbPassword', 'x'], ['admin_pwd', 'letmein']])('refuses any value under a password key (%s)', (key, value) => {
    expect(secretReason(key, value)).toContain('holds a password');
  });

  it.each([
    ['externalIdSecret', '3f2c9a1e-7b4d-4e8f-9a6b-2c1d0e9f8a7b'],
    ['api-token', 'Zx9Kq2Lm7Pw4Rt8Vb3Nc6Yd1Hf5Gj0Se'],
    ['secret', 'a3f9c2e81b7d4f60a3f9c2e81b7d4f60'],
  ])('refuses a random-looking value under a secret-ish key (%s)', (key, value) => {
    expect(secretReason(key, value)).toContain('looks like a secret value');
  });

  it.each([
    ['externalIdSecret', 'tenancy/customers/initech/external-id'],
    ['externalIdSecret', 'prod/tenancy/umbrella-pharmaceuticals/external_id'],
    ['displayName', 'Umbrella Pharmaceuticals International'],
    ['image', 'ghcr.io/example-saas/api'],
    ['email', 'platform@acme.example'],
    ['token', ''],
  ])('leaves names and ordinary values alone (%s: %s)', (key, value) => {
    expect(secretReason(key, value)).toBeUndefined();
  });
});

describe('secrets written inside a value: options and environment assignments', () => {
  it.each([
    ['command', '--password=hunter2', "'password' holds a password, written as password=… in the value"],
    ['command', '--db-password=correct-horse', "'db-password' holds a password, written as db-password=… in the value"],
    ['command', 'DB_PASSWORD=hunter2 exec /app/worker', "'DB_PASSWORD' holds a password, written as DB_PASSWORD=… in the value"],
    ['command', "sh -c 'API_TOKEN=\"Zx9Kq2Lm7Pw4Rt8Vb3Nc6Yd1Hf5Gj0Se\" /app/run'", "'API_TOKEN' holds what looks like a secret value"],
    ['command', '--api-key=a3f9c2e81b7d4f60a3f9c2e81b7d4f60', "'api-key' holds what looks like a secret value"],
  ])('finds %s: %s', (key, value, reason) => {
    expect(secretReason(key, value)).toContain(reason);
  });

  it.each([
    ['--password=$DB_PASSWORD'], ['PGPASSWORD="$master_password"'], ['--password-file=/run/secrets/db'], ['--queue=default'],
    ['TOKEN_URL=https://auth.example.com/token'], ['--password='],
  ])('leaves references, files and ordinary options alone (%s)', (value) => {
    expect(secretReason('command', value)).toBeUndefined();
  });

  it('finds the argument after a secret-named flag, and leaves other flags and references alone', () => {
    expect(flagValueReason('--password', 'hunter2')).toBe("'password' holds a password: the argument after --password");
    expect(flagValueReason('-token', 'Zx9Kq2Lm7Pw4Rt8Vb3Nc6Yd1Hf5Gj0Se')).toContain('looks like a secret value');
    expect(flagValueReason('--password', '$DB_PASSWORD')).toBeUndefined();
    expect(flagValueReason('--password', '--verbose')).toBeUndefined();
    expect(flagValueReason('--queue', 'default')).toBeUndefined();
    expect(flagValueReason('/app/worker', 'hunter2')).toBeUndefined();
  });
});

describe('looksRandom', () => {
  it('tells generated strings from names', () => {
    expect(looksRandom('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(true);
    expect(looksRandom('tenancy/customers/initech/external-id')).toBe(false);
    expect(looksRandom('short')).toBe(false);
  });
});

describe('looksRandom, at its limits', () => {
  it('takes a segment of 16 characters or more with three kinds of characters, and no fewer of either', () => {
    expect(looksRandom('aB3dE5fG7hJ9kL1m')).toBe(true);
    expect(looksRandom('x/aB3dE5fG7hJ9kL1m')).toBe(true);
    expect(looksRandom('abcdefgh1234567+')).toBe(true);
    expect(looksRandom('aB3dE5fG7hJ9kL1-x')).toBe(false);
    for (const twoKinds of ['ABCDEFGH12345678', 'abcdefgh12345678', 'abcdEFGHijklMNOP', 'abcdefgh++++====']) expect(looksRandom(twoKinds), twoKinds).toBe(false);
  });

  it('never takes text with spaces, nor anything under 16 characters', () => {
    expect(looksRandom('aB3dE5fG7hJ9kL1m nP')).toBe(false);
    expect(looksRandom('aB3dE5fG7hJ9kL1')).toBe(false);
  });

  it('takes a UUID or a long hex run, not a shorter one', () => {
    expect(looksRandom('3f2c9a1e-7b4d-4e8f-9a6b-2c1d0e9f8a7b')).toBe(true);
    expect(looksRandom('a3f9c2e81b7d4f60a3f9c2e81b7d4f60')).toBe(true);
    expect(looksRandom('a3f9c2e81b7d4f60a3f9c2e81b7d4f6')).toBe(false);
  });

  it('takes 24 characters or more of high entropy and three kinds of characters, in short segments', () => {
    expect(looksRandom('aB3dE5fG7hJ-9kL1mN2pQ4rS')).toBe(true);
    expect(looksRandom('aB3dE5fG7hJ-9kL1mN2pQ4r')).toBe(false);
    expect(looksRandom('aaaaaaaaaa-BBBBBBBBBB-1111')).toBe(false);
    expect(looksRandom('abcdefghijk-lmnopqrstuvwxyz')).toBe(false);
  });
});

/** Each diagnostic as `line:column message`. */
const detect = (text: string) => detectSecrets(parse(text), new SourceFile('tenants/acme.yaml', text)).map((d) => `${d.line}:${d.column} ${d.message}`);

describe('detectSecrets over a document', () => {
  it('reports each secret at its own place, numbers as well as strings, and nothing for empty, null or boolean values', () => {
    expect(detect('a:\n  password: hunter2\nb:\n  password: 48151623\nc:\n  password: ""\nd: ~\ne:\n  password: true\n')).toEqual([
      "2:13 'password' holds a password",
      "4:13 'password' holds a password",
    ]);
  });

  it('reads the argument after a secret-named flag in a list, a number too', () => {
    expect(detect('command: ["/app/worker", "--password", 48151623, "--queue", 7]\n')).toEqual(["1:40 'password' holds a password: the argument after --password"]);
    expect(detect('command: [48151623, "--password"]\n')).toEqual([]);
  });

  it('takes a quoted assignment\'s value whole, spaces and all: a command that reads the secret is not one', () => {
    expect(secretReason('command', 'sh -c \'DB_PASSWORD="$(cat /run/secrets/db)" exec app\'')).toBeUndefined();
  });
});

describe('detectSecrets, what it reports', () => {
  it('names a value by its own shape before the flag before it, and a list item at its own place', () => {
    expect(detect('command: ["--password", "hunter2"]\n')).toEqual(["1:25 'password' holds a password: the argument after --password"]);
    expect(detect('command: ["--password", "AKIAIOSFODNN7EXAMPLE"]\n')).toEqual(['1:25 value looks like an AWS access key id']);
    expect(detect('tags: ["ok", "AKIAIOSFODNN7EXAMPLE"]\n')).toEqual(['1:14 value looks like an AWS access key id']);
    expect(detect('command: ["--password", { file: /run/secrets/db }]\n')).toEqual([]);
  });

  it('is an error with its code, the file, and what to do', () => {
    const text = 'password: hunter2\n';
    expect(detectSecrets(parse(text), new SourceFile('tenants/acme.yaml', text))).toEqual([{
      file: 'tenants/acme.yaml', line: 1, column: 11, severity: 'error', code: 'inline-secret', message: "'password' holds a password",
      hint: 'remove it and rotate it (it is in Git history now); store it in AWS Secrets Manager and pass its name, or read it from the environment ($NAME)',
    }]);
  });
});
