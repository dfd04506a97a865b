import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicLookup } from '../net/public-lookup';
import { AwsStandIn } from '../offline/aws-stand-in';
import { expandTemplate, healthChecker } from './health-check';

describe('the health check between waves', () => {
  const standIn = new AwsStandIn();
  let server: Server;
  let base: string;
  const answers = new Map<string, number[]>();
  const seen: string[] = [];

  beforeAll(async () => {
    await standIn.start();
    server = createServer((req, res) => {
      seen.push(req.url!);
      const queue = answers.get(req.url!) ?? [200];
      res.statusCode = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (res.statusCode === 302) res.setHeader('location', '/login');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await standIn.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  const check = (attempts = 3) => healthChecker({ aws: { region: 'us-east-1', url: standIn.url }, attempts, retryDelayMs: 1 });
  const context = { channel: 'stable', version: '2.15.0' };

  it('fills templates with the tenant, its channel and version, and leaves unknown names alone', () => {
    expect(expandTemplate('https://{tenant}.example-saas.com/{channel}/{version}?x={other}', { tenant: 'acme', ...context })).toBe('https://acme.example-saas.com/stable/2.15.0?x={other}');
  });

  it('passes a tenant whose URL answers 2xx, retrying a failed answer', async () => {
    answers.set('/acme/healthz', [503, 200]);
    expect(await check()('acme', { url: `${base}/{tenant}/healthz`, timeoutSeconds: 5, private: true }, context)).toBeUndefined();
    expect(seen.filter((url) => url === '/acme/healthz')).toHaveLength(2);
  });

  it('fails a tenant whose URL keeps failing, redirects, or does not answer', async () => {
    answers.set('/wonka/healthz', [503]);
    answers.set('/stark/healthz', [302]);
    expect(await check()('wonka', { url: `${base}/{tenant}/healthz`, timeoutSeconds: 5, private: true }, context)).toBe(`${base}/wonka/healthz answered 503 (3 attempts)`);
    expect(await check(1)('stark', { url: `${base}/{tenant}/healthz`, timeoutSeconds: 5, private: true }, context)).toBe(`${base}/stark/healthz answered 302 (1 attempt)`);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await check(1)('acme', { url: `http://127.0.0.1:${port}/{tenant}`, timeoutSeconds: 5, private: true }, context)).toBe(`http://127.0.0.1:${port}/acme did not answer: ECONNREFUSED (1 attempt)`);
  });

  it('never requests a public check\'s URL inside the runner\'s network: an internal address, or a name resolving to one', async () => {
    const before = seen.length;
    expect(await check(1)('acme', { url: `${base}/{tenant}/healthz`, timeoutSeconds: 5, private: false }, context))
      .toBe(`${base}/acme/healthz is inside the runner's network: not requested (a check of a private endpoint says private: true)`);
    // A public name whose DNS answer is loopback, as a rebinding attacker would serve it: resolved through the real check.
    const rebound: LookupFunction = (_host, options, callback) => publicLookup('localhost', options, callback);
    const port = new URL(base).port;
    const publicCheck = healthChecker({ aws: { region: 'us-east-1', url: standIn.url }, attempts: 1, retryDelayMs: 1, lookup: rebound });
    expect(await publicCheck('acme', { url: `http://tenants.example-saas.com:${port}/{tenant}/healthz`, timeoutSeconds: 5, private: false }, context))
      .toMatch(new RegExp(`^http://tenants\\.example-saas\\.com:${port}/acme/healthz did not answer: localhost resolves to (127\\.0\\.0\\.1|::1), inside the runner's network: refused \\(1 attempt\\)$`));
    expect(seen.length).toBe(before);
  });

  it('reads every alarm of the tenant from CloudWatch: each must exist and be OK', async () => {
    const alarms = { alarms: ['{tenant}-5xx', '{tenant}-latency'], timeoutSeconds: 5, private: true };
    expect(await check()('acme', alarms, context)).toBeUndefined();
    expect(standIn.requests.filter((r) => r.service === 'cloudwatch').at(-1)!.params).toEqual({ AlarmNames: 'acme-5xx,acme-latency' });
    standIn.alarmStates.set('globex-latency', 'ALARM');
    expect(await check()('globex', alarms, context)).toBe('alarm globex-latency is ALARM');
    standIn.alarmStates.set('stark-5xx', null);
    expect(await check()('stark', alarms, context)).toBe('alarm stark-5xx does not exist');
  });

  it('reports the URL and the alarms together', async () => {
    answers.set('/hooli/healthz', [500]);
    standIn.alarmStates.set('hooli-5xx', 'INSUFFICIENT_DATA');
    expect(await check(1)('hooli', { url: `${base}/{tenant}/healthz`, alarms: ['{tenant}-5xx'], timeoutSeconds: 5, private: true }, context))
      .toBe(`${base}/hooli/healthz answered 500 (1 attempt); alarm hooli-5xx is INSUFFICIENT_DATA`);
  });
});
