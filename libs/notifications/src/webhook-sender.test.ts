import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signature, webhookKey, webhookSender } from './webhook-sender';

const openssl = spawnSync('openssl', ['version']).status === 0;
if (!openssl) console.warn('\n*** SKIPPING the webhook exchange tests: openssl is not installed (it makes their certificate) ***\n');

const notice = { id: 'upgraded/acme/2.16.0', event: 'upgraded' as const, tenant: 'acme', fields: { version: '2.16.0' }, rendered: { subject: 'Upgraded', text: 'acme runs 2.16.0' } };

describe('the webhook sender', () => {
  it('signs the raw body with HMAC-SHA256, as sha256=<hex>', () => {
    expect(signature('key', '{"a":1}')).toBe(`sha256=${createHmac('sha256', 'key').update('{"a":1}').digest('hex')}`);
  });

  it('gives each tenant a key of its own, derived from the secret', () => {
    expect(webhookKey('secret', 'acme')).toBe(createHmac('sha256', 'secret').update('tenancy-webhook:acme').digest('hex'));
    expect(webhookKey('secret', 'acme')).not.toBe(webhookKey('secret', 'globex'));
    expect(webhookKey('secret', 'acme')).not.toBe(webhookKey('other', 'acme'));
  });

  it('refuses a name that resolves inside the runner\'s network, before connecting', async () => {
    const send = webhookSender({ secret: 'key' });
    await expect(send('https://localhost:9/hook', notice)).rejects.toThrow(/resolves to (127\.0\.0\.1|::1), inside the runner's network: refused/);
  });
});

/** A receiver on loopback with a certificate for hooks.acme.example, answering each path's status. */
describe.skipIf(!openssl)('the webhook sender against a receiver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenancy-webhook-'));
  const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let server: Server;
  let port = 0;
  let ca = '';
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    return callback(null, '127.0.0.1', 4);
  };
  const url = (path: string) => `https://hooks.acme.example:${port}${path}`;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=hooks.acme.example', '-addext', 'subjectAltName=DNS:hooks.acme.example'], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/silent') return;
        res.statusCode = Number(req.url!.slice(1));
        if (res.statusCode === 301) res.setHeader('location', url('/200'));
        res.end('ignored');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the notice as JSON, signed with the tenant\'s key, naming the event and the delivery', async () => {
    received.length = 0;
    await webhookSender({ secret: 'secret', ca, lookup })(url('/204'), notice);
    const body = '{"id":"upgraded/acme/2.16.0","event":"upgraded","tenant":"acme","fields":{"version":"2.16.0"},"subject":"Upgraded","text":"acme runs 2.16.0"}';
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/204', body });
    expect(received[0]!.headers).toMatchObject({
      'content-type': 'application/json', 'user-agent': 'tenancy-notifications', 'content-length': String(Buffer.byteLength(body)),
      'x-tenancy-event': 'upgraded', 'x-tenancy-delivery': 'upgraded/acme/2.16.0', 'x-tenancy-signature-256': signature(webhookKey('secret', 'acme'), body),
    });
  });

  it('takes any 2xx as delivered, and nothing else: a redirect is not followed', async () => {
    const send = webhookSender({ secret: 'secret', ca, lookup });
    await expect(send(url('/200'), notice)).resolves.toBeUndefined();
    await expect(send(url('/299'), notice)).resolves.toBeUndefined();
    received.length = 0;
    await expect(send(url('/301'), notice)).rejects.toThrow(`${url('/301')} answered 301`);
    expect(received.map((r) => r.url)).toEqual(['/301']);
    await expect(send(url('/300'), notice)).rejects.toThrow(`${url('/300')} answered 300`);
    await expect(send(url('/503'), notice)).rejects.toThrow(`${url('/503')} answered 503`);
  });

  it('gives up on a receiver that does not answer in time, saying how long it waited', async () => {
    const started = performance.now();
    await expect(webhookSender({ secret: 'secret', ca, lookup, timeoutMs: 300 })(url('/silent'), notice)).rejects.toThrow(`${url('/silent')} did not answer within 0.3 s`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('trusts only the system\'s certificates unless given more', async () => {
    await expect(webhookSender({ secret: 'secret', lookup })(url('/200'), notice)).rejects.toThrow(/self[- ]signed certificate/);
  });
});
