import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUserScript } from './database-user-script';

const MASTER = { username: 'tenancy_admin', password: 'p@ss w"or$d;\\1' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-1234-AbCdEf';

const tools = ['initdb', 'pg_ctl', 'psql', 'jq', 'openssl'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (tools.length) console.warn(`\n*** SKIPPING the database user job against a real PostgreSQL: ${tools.join(', ')} not installed (apt-get install postgresql jq openssl) ***\n`);

const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
const postgresGid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The job's script against a real PostgreSQL that, as RDS does, has an `rds_iam` role, demands TLS
 * and the master password: only the AWS CLI is a stand-in, answering with the secret RDS keeps.
 */
describe.skipIf(tools.length > 0)('the database user job\'s script, against a real PostgreSQL over verified TLS', () => {
  let dir: string;
  let port: number;
  // PostgreSQL refuses to run as root: as root, run it as the postgres user.
  const asServer = (command: string, args: string[]) => (process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args]) : execFileSync(command, args));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenancy-pg-'));
    chmodSync(dir, 0o755);
    port = await freePort();
    const data = join(dir, 'data');
    const run = join(dir, 'run');
    mkdirSync(data, { mode: 0o700 });
    mkdirSync(run, { mode: 0o755 });
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    for (const name of ['server', 'stranger']) {
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
        '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`));
    }
    chmodSync(join(dir, 'server.key'), 0o600);
    writeFileSync(join(dir, 'pwfile'), MASTER.password);
    if (process.getuid?.() === 0) for (const file of [data, run, join(dir, 'server.key'), join(dir, 'server.crt'), join(dir, 'pwfile')]) chownSync(file, postgresUid(), postgresGid());
    asServer('initdb', ['-D', data, '-U', MASTER.username, '--pwfile', join(dir, 'pwfile'), '--auth-host=scram-sha-256', '--auth-local=trust']);
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n');
    const conf = [`port = ${port}`, "listen_addresses = 'localhost'", `unix_socket_directories = '${run}'`, 'ssl = on', `ssl_cert_file = '${join(dir, 'server.crt')}'`, `ssl_key_file = '${join(dir, 'server.key')}'`];
    writeFileSync(join(data, 'postgresql.auto.conf'), `${conf.join('\n')}\n`);
    if (process.getuid?.() === 0) for (const file of ['pg_hba.conf', 'postgresql.auto.conf']) chownSync(join(data, file), postgresUid(), postgresGid());
    asServer('pg_ctl', ['-D', data, '-l', join(run, 'server.log'), '-w', 'start']);
    psql('CREATE ROLE rds_iam');

    // The AWS CLI stand-in: answers exactly the call the script makes, with the secret RDS keeps.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\n[ "$*" = "secretsmanager get-secret-value --secret-id ${SECRET_ARN} --query SecretString --output text" ] || { echo "unexpected: aws $*" >&2; exit 2; }\ncat '${join(dir, 'secret.json')}'\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'secret.json'), JSON.stringify(MASTER));
    chmodSync(dir, 0o755);
  });

  afterAll(() => {
    try { asServer('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  function psql(sql: string): string {
    return execFileSync('psql', ['-h', join(dir, 'run'), '-p', String(port), '-U', MASTER.username, '-d', 'postgres', '-tAc', sql], { encoding: 'utf8' }).trim();
  }

  function runJob(env: Record<string, string>): { status: number | null; stderr: string } {
    const run = spawnSync('sh', ['-c', databaseUserScript('postgres')], {
      encoding: 'utf8',
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir,
        MASTER_SECRET_ARN: SECRET_ARN, DATABASE_HOST: 'localhost', DATABASE_PORT: String(port), APP_USER: 'tenant-acme', APP_DATABASE: 'app', RDS_CA_BUNDLE: join(dir, 'server.crt'), ...env,
      },
    });
    return { status: run.status, stderr: run.stderr };
  }

  it('creates the application user for IAM authentication only, acting as the role that owns the database, and can run again', () => {
    for (let run = 1; run <= 2; run++) {
      const job = runJob({});
      expect(job, `run ${run}`).toMatchObject({ status: 0 });
    }
    expect(psql("SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'tenant-acme'")).toBe('t|f|f|f');
    expect(psql("SELECT pg_has_role('tenant-acme', 'rds_iam', 'member')")).toBe('t');
    expect(psql("SELECT pg_has_role('tenant-acme', 'app', 'member')")).toBe('t');
    expect(psql("SELECT array_to_string(rolconfig, ',') FROM pg_roles WHERE rolname = 'tenant-acme'")).toBe('role=app');
    // A database of a fresh instance belongs to a role that never logs in.
    expect(psql("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app'")).toBe('f');
    expect(psql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'app'")).toBe('app');
    // RDS refuses passwords to members of rds_iam; here: the user has none to begin with.
    expect(psql("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'tenant-acme'")).toBe('t');
  });

  it('gives the user of a database made by earlier releases, whose user was app, the objects app made', () => {
    psql("CREATE ROLE legacy LOGIN");
    psql('CREATE DATABASE legacy OWNER legacy');
    execFileSync('psql', ['-h', join(dir, 'run'), '-p', String(port), '-U', 'legacy', '-d', 'legacy', '-tAc', 'CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)']);
    expect(runJob({ APP_USER: 'tenant-globex', APP_DATABASE: 'legacy' })).toMatchObject({ status: 0 });
    // The earlier user keeps logging in (pods of the earlier release drain), and the new one reads and writes what it made, as it.
    expect(psql("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'legacy'")).toBe('t');
    const asUser = (sql: string) => execFileSync('psql', ['-h', join(dir, 'run'), '-p', String(port), '-U', 'tenant-globex', '-d', 'legacy', '-qtAc', sql], { encoding: 'utf8' }).trim();
    expect(asUser('INSERT INTO orders VALUES (2); SELECT count(*) FROM orders')).toBe('2');
    expect(asUser('CREATE TABLE invoices (id int); SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = \'invoices\'')).toBe('legacy');
  });

  it('refuses a server whose certificate its bundle does not vouch for', () => {
    const job = runJob({ APP_USER: 'tenant-other', RDS_CA_BUNDLE: join(dir, 'stranger.crt') });
    expect(job.status).not.toBe(0);
    expect(job.stderr).toMatch(/certificate verify failed/);
    expect(psql("SELECT count(*) FROM pg_roles WHERE rolname = 'tenant-other'")).toBe('0');
  });

  it('refuses a user or database name that is not a plain name, before reading any secret', () => {
    expect(runJob({ APP_USER: 'tenant-acme; DROP DATABASE postgres' })).toMatchObject({ status: 1, stderr: 'APP_USER must be a plain name\n' });
    expect(runJob({ APP_DATABASE: "app'; DROP DATABASE postgres; --" })).toMatchObject({ status: 1, stderr: 'APP_DATABASE must be a plain name\n' });
  });
});
