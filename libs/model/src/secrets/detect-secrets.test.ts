import { describe, expect, it } from 'vitest';
import { flagValueReason, looksRandom, secretReason } from './detect-secrets';

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
