import { createRequire } from 'node:module';

interface WebhookExamples { name: string; examples: Record<string, unknown>[] }

const require = createRequire(import.meta.url);
const all = require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookExamples[];

/** A copy of a real webhook payload from `@octokit/webhooks-examples`, the first that `pick` accepts. */
export function webhookPayload<T = Record<string, unknown>>(event: string, pick: (payload: T) => boolean = () => true): T {
  const found = all.find((e) => e.name === event)?.examples.find((p) => pick(p as T));
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} payload of that kind`);
  return structuredClone(found) as T;
}

/**
 * The payload of a `schedule` run. It is not a webhook, so `@octokit/webhooks-examples` has none;
 * this is its shape in Actions' event file: the cron line, the repository and the sender.
 */
export function schedulePayload(cron = '17 3 * * *'): Record<string, unknown> {
  const push = webhookPayload<{ repository: unknown }>('push');
  return { schedule: cron, repository: push.repository, workflow: '.github/workflows/drift.yml' };
}
