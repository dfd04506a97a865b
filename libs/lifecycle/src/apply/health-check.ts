import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isInternalHost, type HealthCheck } from '@tenancy/model';
import { clientConfig, type AwsEndpoint } from '../aws/aws-endpoint';
import { publicLookup } from '../net/public-lookup';
import type { HealthChecker } from './apply-run';

export interface HealthCheckerOptions {
  /** Where alarms are read: the control plane's region, or the offline stand-in. */
  readonly aws: AwsEndpoint;
  /** Requests to the health URL before the tenant is unhealthy. @default 3 */
  readonly attempts?: number;
  /** Wait between those requests. @default 5000 */
  readonly retryDelayMs?: number;
  /** Name resolution of a public check's URL. @default DNS, refusing names that resolve inside the runner's network */
  readonly lookup?: LookupFunction;
}

/** A template with each `{name}` replaced by its value, URL-encoded where it goes into a URL. */
export function expandTemplate(template: string, values: Readonly<Record<string, string>>, encode: (value: string) => string = (v) => v): string {
  return template.replace(/\{([^}]+)\}/g, (whole, name: string) => (name in values ? encode(values[name]!) : whole));
}

/** The status a URL answers with (redirects are not followed), or why it gave none. */
function status(url: URL, timeoutSeconds: number, lookup: LookupFunction | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', timeout: timeoutSeconds * 1000, ...(lookup ? { lookup } : {}) }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer in ${timeoutSeconds} s`), { code: 'TIMEOUT' })));
    request.on('error', reject);
    request.end();
  });
}

/**
 * Why the URL is unhealthy after every attempt, or undefined once it answers 2xx. A public check
 * (not `private: true`) refuses a name that resolves inside the runner's network when it is requested.
 */
async function checkUrl(url: string, check: HealthCheck, options: HealthCheckerOptions): Promise<string | undefined> {
  const attempts = options.attempts ?? 3;
  const lookup = check.private ? undefined : options.lookup ?? publicLookup;
  if (!check.private && isInternalHost(new URL(url).hostname)) return `${url} is inside the runner's network: not requested (a check of a private endpoint says private: true)`;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const answered = await status(new URL(url), check.timeoutSeconds, lookup);
      if (answered >= 200 && answered < 300) return undefined;
      last = `${url} answered ${answered}`;
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      last = `${url} did not answer: ${code === 'TIMEOUT' || code === 'EINTERNAL' ? message : code ?? message}`;
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 5000));
  }
  return `${last} (${attempts} attempt${attempts === 1 ? '' : 's'})`;
}

/** Why the alarms are unhealthy: one missing or not OK. A misspelt alarm name fails, never passes. */
async function checkAlarms(names: readonly string[], client: CloudWatchClient): Promise<string | undefined> {
  const found = new Map<string, string>();
  let next: string | undefined;
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  do {
    const page = await client.send(new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], ...(next ? { NextToken: next } : {}) }));
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) found.set(alarm.AlarmName!, alarm.StateValue!);
    next = page.NextToken;
  } while (next);
  const missing = names.find((name) => !found.has(name));
  if (missing) return `alarm ${missing} does not exist`;
  const firing = names.find((name) => found.get(name) !== 'OK');
  return firing ? `alarm ${firing} is ${found.get(firing)}` : undefined;
}

/**
 * Checks a tenant after its wave: the URL must answer 2xx (a redirect is not health), within the
 * check's timeout, in one of a few attempts; every alarm must exist and be OK.
 */
export function healthChecker(options: HealthCheckerOptions): HealthChecker {
  return async (tenant, check: HealthCheck, context) => {
    const values = { tenant, channel: context.channel, version: context.version };
    const problems: string[] = [];
    if (check.url) {
      const problem = await checkUrl(expandTemplate(check.url, values, encodeURIComponent), check, options);
      if (problem) problems.push(problem);
    }
    if (check.alarms) {
      // Loaded here, not with the module: every command that loads the lifecycle library would pay for the SDK.
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      const client = new CloudWatchClient(clientConfig(options.aws));
      try {
        const problem = await checkAlarms(check.alarms.map((alarm) => expandTemplate(alarm, values)), client);
        if (problem) problems.push(problem);
      } catch (error) {
        problems.push(`alarms could not be read: ${(error as Error).message}`);
      } finally {
        client.destroy();
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  };
}
