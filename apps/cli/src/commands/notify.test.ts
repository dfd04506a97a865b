import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRolloutRecord, type RolloutRecord } from '@tenancy/lifecycle';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { parseOutbox, SIGNATURE_HEADER, webhookKey, type WebhookBody } from '@tenancy/notifications';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { workspaceDirs } from '../workspace';
import { notifyCommand } from './notify';

interface Mail { readonly to: string; readonly subject: string; readonly text: string; readonly notice: string }

const WEBHOOK_SECRET = 'test-webhook-key';
const SMTP_LOGIN = 'tenancy:smtp-password';

/**
 * A real SMTP server (STARTTLS required, login required) and a real HTTPS webhook receiver, both on
 * loopback with a certificate made for the test; the webhook's public name resolves to loopback
 * only through the lookup given to the sender.
 */
class Receivers {
  readonly mails: Mail[] = [];
  readonly hooks: { body: WebhookBody; signature: string; delivery: string }[] = [];
  /** Recipients the SMTP server refuses, and the status the webhook answers. */
  refuse = new Set<string>();
  webhookStatus = 200;
  /** Called as each mail or webhook arrives, with its notice id: to look at what the sender had written by then. */
  onArrival: (notice: string) => void = () => undefined;
  private smtp!: SMTPServer;
  private https!: Server;
  smtpPort = 0;
  webhookPort = 0;
  ca = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'tenancy-notify-tls-'));

  async start(): Promise<void> {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(this.dir, 'key.pem'), '-out', join(this.dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=hooks.acme.example', '-addext', 'subjectAltName=DNS:hooks.acme.example,DNS:hooks.newco.example,IP:127.0.0.1'], { stdio: 'ignore' });
    const key = readFileSync(join(this.dir, 'key.pem'));
    const cert = readFileSync(join(this.dir, 'cert.pem'));
    this.ca = cert.toString();
    this.smtp = new SMTPServer({
      key, cert, authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: false, logger: false,
      onAuth: (auth, _session, callback) => (`${auth.username}:${auth.password}` === SMTP_LOGIN ? callback(null, { user: auth.username }) : callback(new Error('bad login'))),
      onRcptTo: (address, _session, callback) => (this.refuse.has(address.address) ? callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })) : callback()),
      onData: (stream, session, callback) => {
        simpleParser(stream).then((mail) => {
          this.onArrival(String(mail.headers.get('x-tenancy-notice')));
          for (const to of session.envelope.rcptTo) this.mails.push({ to: to.address, subject: mail.subject ?? '', text: mail.text ?? '', notice: String(mail.headers.get('x-tenancy-notice')) });
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => this.smtp.listen(0, '127.0.0.1', resolve));
    this.smtpPort = ((this.smtp as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    this.https = createServer({ key, cert }, (req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => { raw += chunk.toString(); });
      req.on('end', () => {
        this.onArrival((JSON.parse(raw) as WebhookBody).id);
        if (this.webhookStatus === 200) this.hooks.push({ body: JSON.parse(raw) as WebhookBody, signature: String(req.headers[SIGNATURE_HEADER]), delivery: String(req.headers['x-tenancy-delivery']) });
        // What a receiver does: check the signature of the raw body.
        const expected = `sha256=${createHmac('sha256', webhookKey(WEBHOOK_SECRET, (JSON.parse(raw) as WebhookBody).tenant)).update(raw).digest('hex')}`;
        res.statusCode = req.headers[SIGNATURE_HEADER] === expected ? this.webhookStatus : 401;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.https.listen(0, '127.0.0.1', resolve));
    this.webhookPort = (this.https.address() as AddressInfo).port;
  }

  /** Resolves the webhooks' names to loopback, and nothing else. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    if (!hostname.startsWith('hooks.')) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    return callback(null, '127.0.0.1', 4);
  };

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.smtp.close(resolve));
    await new Promise<void>((resolve) => this.https.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('tenancy notify', () => {
  const receivers = new Receivers();
  let repo: FleetRepo;
  let base: string;
  let head: string;
  let output: string[];

  beforeAll(() => receivers.start());
  afterAll(() => receivers.stop());

  beforeEach(async () => {
    receivers.mails.length = 0;
    receivers.hooks.length = 0;
    receivers.onArrival = () => undefined;
    receivers.refuse.clear();
    receivers.webhookStatus = 200;
    vi.stubEnv('TENANCY_SMTP_CREDENTIALS', SMTP_LOGIN);
    vi.stubEnv('TENANCY_WEBHOOK_SECRET', WEBHOOK_SECRET);
    vi.stubEnv('GITHUB_REPOSITORY', '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    repo = await FleetRepo.create();
    base = await repo.commit('mail through the loopback server', (r) => {
      r.edit('platform.yaml', '    host: smtp.example-saas.com\n    port: 587\n', `    host: 127.0.0.1\n    port: ${receivers.smtpPort}\n`);
    });
    head = await repo.commit('fast moves to 2.16.0, with a migration; newco onboards; wonka offboards', (r) => {
      r.edit('platform.yaml', '  fast:\n    version: 2.15.0\n', '  fast:\n    version: 2.16.0\n');
      r.edit('platform.yaml', 'releases:\n', 'releases:\n  "2.16.0":\n    migration:\n      image: ghcr.io/example-saas/api\n      command: ["/app/migrate", "up"]\n');
      r.write('tenants/newco.yaml', r.read('tenants/acme.yaml').replace('id: acme', 'id: newco').replace('displayName: Acme Corporation', 'displayName: NewCo')
        .replace('platform@acme.example', 'ops@newco.example').replace('https://hooks.acme.example/tenancy', `https://hooks.newco.example:${receivers.webhookPort}/tenancy`));
      r.remove('tenants/wonka.yaml');
    }, '2026-01-08T10:00:00Z');
    output = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { output.push(String(chunk)); return true; });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    repo.dispose();
  });

  /** The record a rollout of base..head leaves: tyrell's migration failed, every other stack applied. */
  function recordRollout(failed: string[] = ['tyrell']): RolloutRecord {
    const stacks: Record<string, RolloutRecord['stacks'][string]> = {};
    const applied = (tenant: string, kind: string, action: 'apply' | 'destroy' = 'apply') => {
      const bad = failed.includes(tenant);
      stacks[`tenant-${tenant}-${kind}`] = { tenant, action, configHash: 'h', status: bad ? 'failed' : 'applied', ...(bad ? { detail: 'migration migrate-2-16-0 failed: the old version keeps serving' } : {}) };
    };
    for (const id of ['hooli', 'oscorp', 'tyrell']) applied(id, 'workload');
    for (const kind of ['data', 'workload']) applied('newco', kind);
    for (const kind of ['workload', 'compute']) applied('wonka', kind, 'destroy');
    const record = { id: head.slice(0, 12), base, head, startedAt: '2026-01-08T10:05:00Z', updatedAt: '2026-01-08T11:00:00Z', stacks };
    writeRolloutRecord(workspaceDirs(repo.root).rollout, record);
    return record;
  }

  const notify = (extra: { dryRun?: boolean; base?: string; head?: string; offline?: boolean } = {}) => notifyCommand({
    root: repo.root, dryRun: false, offline: false, now: () => new Date('2026-01-08T12:00:00Z'), transport: { ca: receivers.ca, lookup: receivers.lookup }, ...extra,
  });
  const events = () => receivers.mails.map((m) => `${m.notice} -> ${m.to}`).sort();

  it('emails each customer what the rollout did to its tenant, posts signed webhooks, and tells only the operators of a failed upgrade', async () => {
    recordRollout();
    expect(await notify()).toBe(0);
    expect(events()).toEqual([
      `offboarded/wonka/${head.slice(0, 12)} -> ops@wonka.example`,
      `onboarded/newco/${head.slice(0, 12)} -> ops@newco.example`,
      `upgrade-failed/tyrell/2.16.0/${head.slice(0, 12)} -> sre@example-saas.com`,
      'upgrade-scheduled/hooli/2.16.0 -> infra@hooli.example',
      'upgrade-scheduled/oscorp/2.16.0 -> it@oscorp.example',
      'upgrade-scheduled/tyrell/2.16.0 -> systems@tyrell.example',
      'upgraded/hooli/2.16.0 -> infra@hooli.example',
      'upgraded/oscorp/2.16.0 -> it@oscorp.example',
    ]);
    const scheduled = receivers.mails.find((m) => m.notice === 'upgrade-scheduled/oscorp/2.16.0')!;
    expect(scheduled.subject).toBe('Oscorp: upgrade to 2.16.0 scheduled');
    expect(scheduled.text).toContain('from version 2.15.0 to 2.16.0');
    expect(scheduled.text).toContain('channel fast, wave canary');
    expect(scheduled.text).toContain('Your data is migrated to the new version first');
    const offboarded = receivers.mails.find((m) => m.to === 'ops@wonka.example')!;
    expect(offboarded.text).toMatch(/kept until 2026-0\d-\d\d/);
    expect(receivers.mails.find((m) => m.to === 'sre@example-saas.com')!.text).toContain('Reason: migration migrate-2-16-0 failed');
    expect(receivers.mails.some((m) => m.to === 'systems@tyrell.example' && m.notice.startsWith('upgrade'))).toBe(true);
    expect(receivers.mails.filter((m) => m.to === 'systems@tyrell.example').map((m) => m.notice)).toEqual(['upgrade-scheduled/tyrell/2.16.0']);

    expect(receivers.hooks).toHaveLength(1);
    const [hook] = receivers.hooks;
    expect(hook!.body).toMatchObject({ id: `onboarded/newco/${head.slice(0, 12)}`, event: 'onboarded', tenant: 'newco', subject: 'NewCo is ready on Example SaaS' });
    expect(hook!.delivery).toBe(hook!.body.id);
    // Signed with newco's own key, which no other tenant's key can forge.
    expect(hook!.signature).toBe(`sha256=${createHmac('sha256', webhookKey(WEBHOOK_SECRET, 'newco')).update(JSON.stringify(hook!.body)).digest('hex')}`);
    expect(hook!.signature).not.toBe(`sha256=${createHmac('sha256', webhookKey(WEBHOOK_SECRET, 'acme')).update(JSON.stringify(hook!.body)).digest('hex')}`);
  });

  it('records every notice before sending, and a rerun sends nothing twice', async () => {
    recordRollout();
    const recordedOnArrival: string[] = [];
    receivers.onArrival = (notice) => {
      const file = workspaceDirs(repo.root).outbox;
      const entry = existsSync(file) ? parseOutbox(readFileSync(file, 'utf8')).entries[notice] : undefined;
      recordedOnArrival.push(`${notice}: ${entry ? entry.deliveries.map((d) => d.status).join(',') : 'not recorded'}`);
    };
    await notify();
    // Each notice was in the outbox, still pending, when it arrived: a crash after sending leaves a trace.
    expect(recordedOnArrival).toHaveLength(9);
    for (const line of recordedOnArrival) expect(line).toMatch(/: pending(,pending)*$/);
    const outbox = parseOutbox(readFileSync(workspaceDirs(repo.root).outbox, 'utf8'));
    expect(Object.values(outbox.entries).flatMap((e) => e.deliveries.map((d) => d.status))).toEqual(Array(9).fill('sent'));
    const sent = receivers.mails.length;
    expect(await notify()).toBe(0);
    expect(receivers.mails).toHaveLength(sent);
    expect(receivers.hooks).toHaveLength(1);
    expect(output.join('')).toContain('0 new notices');
  });

  it('reports a failed delivery without failing, and sends it, and only it, on the next run', async () => {
    recordRollout();
    receivers.refuse.add('it@oscorp.example');
    receivers.webhookStatus = 503;
    expect(await notify()).toBe(0);
    expect(events().filter((e) => e.includes('oscorp'))).toEqual([]);
    expect(output.join('')).toMatch(/6 sent, 3 failed: tried again on the next run/);
    const failed = Object.values(parseOutbox(readFileSync(workspaceDirs(repo.root).outbox, 'utf8')).entries).flatMap((e) => e.deliveries.filter((d) => d.status === 'failed').map((d) => [e.id, d.attempts, d.error]));
    expect(failed).toEqual(expect.arrayContaining([
      ['upgrade-scheduled/oscorp/2.16.0', 1, expect.stringContaining('550')],
      [`onboarded/newco/${head.slice(0, 12)}`, 1, expect.stringContaining('answered 503')],
    ]));

    receivers.refuse.clear();
    receivers.webhookStatus = 200;
    const before = receivers.mails.length;
    expect(await notify()).toBe(0);
    expect(receivers.mails.slice(before).map((m) => m.notice).sort()).toEqual(['upgrade-scheduled/oscorp/2.16.0', 'upgraded/oscorp/2.16.0']);
    expect(receivers.hooks.map((h) => h.body.id)).toEqual([`onboarded/newco/${head.slice(0, 12)}`]);
  });

  it('tells a later run what an earlier one could not: a tenant whose stacks were pending is told once they are applied', async () => {
    recordRollout(['tyrell']);
    await notify();
    recordRollout([]);
    const before = receivers.mails.length;
    await notify();
    expect(receivers.mails.slice(before).map((m) => `${m.notice} -> ${m.to}`)).toEqual(['upgraded/tyrell/2.16.0 -> systems@tyrell.example']);
  });

  it('tells the contact of a purged tenant that its data is gone', async () => {
    const deletedIn = head;
    mkdirSync(workspaceDirs(repo.root).base, { recursive: true });
    writeFileSync(workspaceDirs(repo.root).reaped, JSON.stringify({ purged: [{ id: 'wonka', deletedIn }] }));
    expect(await notify()).toBe(0);
    expect(receivers.mails.map((m) => [m.notice, m.to, m.subject])).toEqual([[`data-deleted/wonka/${head.slice(0, 12)}`, 'ops@wonka.example', 'The data of Wonka Confectionery has been deleted']]);
    expect(receivers.mails[0]!.text).toContain('offboarded on 2026-01-08');
  });

  it('--webhook-key prints the key a tenant\'s receiver checks signatures with, and nothing else', async () => {
    expect(await notifyCommand({ root: repo.root, dryRun: false, offline: false, now: () => new Date(), webhookKeyFor: 'acme' })).toBe(0);
    expect(output.join('')).toBe(`${webhookKey(WEBHOOK_SECRET, 'acme')}\n`);
    await expect(notifyCommand({ root: repo.root, dryRun: false, offline: false, now: () => new Date(), webhookKeyFor: 'ghost' })).rejects.toThrow('no tenant ghost in tenants/');
    vi.stubEnv('TENANCY_WEBHOOK_SECRET', '');
    await expect(notifyCommand({ root: repo.root, dryRun: false, offline: false, now: () => new Date(), webhookKeyFor: 'acme' })).rejects.toThrow('set TENANCY_WEBHOOK_SECRET to the webhook secret in this shell first');
  });

  it('--dry-run prints what a range would send, recording and sending nothing', async () => {
    expect(await notify({ dryRun: true, base, head })).toBe(0);
    const printed = output.join('');
    expect(printed).toContain(`8 notices from ${base.slice(0, 12)}..${head.slice(0, 12)}, every stack taken as applied`);
    expect(printed).toMatch(/newco\s+onboarded\s+ops@newco\.example, webhook https:\/\/hooks\.newco\.example/);
    expect(printed).toMatch(/tyrell\s+upgraded\s+systems@tyrell\.example\s+Tyrell Corporation now runs 2\.16\.0/);
    expect(receivers.mails).toEqual([]);
    expect(() => readFileSync(workspaceDirs(repo.root).outbox)).toThrow();
  });

  it('--offline records the notices and sends none; a missing secret fails the deliveries, not the run', async () => {
    recordRollout();
    expect(await notify({ offline: true })).toBe(0);
    expect(receivers.mails).toEqual([]);
    expect(Object.keys(parseOutbox(readFileSync(workspaceDirs(repo.root).outbox, 'utf8')).entries)).toHaveLength(8);
    vi.stubEnv('TENANCY_SMTP_CREDENTIALS', '');
    expect(await notify()).toBe(0);
    expect(output.join('')).toContain('the environment has no TENANCY_SMTP_CREDENTIALS');
    expect(receivers.mails).toEqual([]);
  });

  it('sends only what the history derives again: an entry added to the outbox, or one readdressed, is refused and dropped', async () => {
    recordRollout();
    expect(await notify({ offline: true })).toBe(0);
    const path = workspaceDirs(repo.root).outbox;
    const outbox = parseOutbox(readFileSync(path, 'utf8'));
    const acmeLike = outbox.entries[`onboarded/newco/${head.slice(0, 12)}`]!;
    const forged = {
      entries: {
        ...outbox.entries,
        // A notice tenancy never derived, to an address of the forger's choosing, signed with a real tenant's key.
        'data-deleted/acme/ffffffffffff': { ...acmeLike, id: 'data-deleted/acme/ffffffffffff', event: 'data-deleted', tenant: 'acme', deliveries: [{ channel: 'email', to: 'attacker@evil.example', status: 'pending', attempts: 0 }] },
        // A real notice readdressed.
        [acmeLike.id]: { ...acmeLike, deliveries: [{ channel: 'webhook', url: `https://hooks.attacker.example:${receivers.webhookPort}/x`, status: 'pending', attempts: 0 }] },
        // A notice with no source to derive it from.
        'upgraded/acme/9.9.9': { id: 'upgraded/acme/9.9.9', event: 'upgraded', tenant: 'acme', audience: 'customer', fields: {}, recordedAt: '2026-01-08T12:00:00Z', deliveries: [{ channel: 'email', to: 'platform@acme.example', status: 'pending', attempts: 0 }] },
      },
    };
    writeFileSync(path, JSON.stringify(forged));
    expect(await notify()).toBe(0);
    const printed = output.join('');
    expect(printed).toContain(`refused: data-deleted/acme/ffffffffffff is not sent: rollout ${base}..${head} gives no notice data-deleted/acme/ffffffffffff`);
    expect(printed).toContain(`refused: ${acmeLike.id} is not sent: it is addressed to https://hooks.attacker.example:${receivers.webhookPort}/x, which the tenant files at its commits do not name`);
    expect(printed).toContain('refused: upgraded/acme/9.9.9 is not sent: it names no source to derive it from');
    expect(receivers.mails.map((m) => m.to)).not.toContain('attacker@evil.example');
    expect(receivers.hooks).toEqual([]);
    // The rollout's own notices are sent, but for the readdressed one, refused as a whole.
    expect(receivers.mails.map((m) => m.notice)).not.toContain(acmeLike.id);
    expect(receivers.mails).toHaveLength(7);
    expect(Object.keys(parseOutbox(readFileSync(path, 'utf8')).entries).sort()).not.toContain('data-deleted/acme/ffffffffffff');
  });
});
