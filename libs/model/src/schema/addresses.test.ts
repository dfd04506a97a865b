import { describe, expect, it } from 'vitest';
import { EmailSender, isInternalHost, WebhookUrl } from './primitives';

describe('addresses a runner may be sent to', () => {
  it('refuses loopback, private, link-local, shared, multicast and unqualified hosts, however they are spelt', () => {
    for (const host of ['localhost', 'localhost.', 'api.localhost', 'metadata.google.internal', 'metadata.google.internal.', 'printer.local', 'intranet',
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1']) {
      expect(isInternalHost(host), host).toBe(true);
    }
  });

  it('refuses IPv6 loopback, unspecified, mapped and compatible IPv4, link-local, unique local, multicast and NAT64, and takes public IPv6', () => {
    for (const host of ['[::1]', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::7f00:1', 'fe80::1', 'feb0::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '64:ff9b::a9fe:a9fe']) {
      expect(isInternalHost(host), host).toBe(true);
    }
    for (const host of ['2606:4700:4700::1111', '[2a00:1450:4001:82b::200e]', 'hooks.acme.example', '203.0.113.10']) expect(isInternalHost(host), host).toBe(false);
  });

  it('checks a webhook as the URL parser reads it: forms of an internal address and trailing dots are refused, garbage is not a URL', () => {
    const refused = (url: string) => WebhookUrl.safeParse(url).error?.issues[0]?.message;
    expect(refused('not a url')).toMatch(/^is not an https URL/);
    expect(refused('http://hooks.acme.example/x')).toMatch(/^is not an https URL/);
    expect(refused('https://localhost./x')).toMatch(/inside the network the runners run in \(localhost\.\)/);
    expect(refused('https://metadata.google.internal./x')).toMatch(/inside the network/);
    expect(refused('https://2130706433/x')).toMatch(/inside the network the runners run in \(127\.0\.0\.1\)/);
    expect(refused('https://[::ffff:a9fe:a9fe]/x')).toMatch(/inside the network/);
    expect(refused('https://[fd00::1]/x')).toMatch(/inside the network/);
    expect(refused('https://[2606:4700:4700::1111]/hook')).toBeUndefined();
    expect(refused('https://hooks.acme.example/tenancy')).toBeUndefined();
  });

  it('takes one sender on one line: no header injection, no second address', () => {
    for (const from of ['noreply@example-saas.com', 'Example SaaS <noreply@example-saas.com>', '"Example SaaS" <noreply@example-saas.com>']) expect(EmailSender.safeParse(from).success, from).toBe(true);
    for (const from of ['Example <noreply@example-saas.com>\r\nBcc: victim@example.com', 'a@example.com, b@example.com', 'Example <a@example.com> <b@example.com>', 'not an address']) {
      expect(EmailSender.safeParse(from).success, from).toBe(false);
    }
  });
});
