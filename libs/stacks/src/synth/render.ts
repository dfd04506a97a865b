import { createHash } from 'node:crypto';
import type { TerraformStack } from 'cdktf';

/**
 * The output every stack records in its state on each apply: the SHA-256 of the configuration
 * (the stack's JSON without this output). What Terraform holds then says which configuration was
 * last applied, so a rollout record's claim that a stack is applied can be checked against it.
 */
export const CONFIGURATION_OUTPUT = 'tenancy_configuration';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '//')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, child]) => [key, canonical(child)]),
  );
}

/**
 * A stack as plain Terraform JSON: cdktf's metadata removed and keys sorted, so the same input
 * always gives the same bytes, with the configuration's hash as an output.
 */
export function renderStack(stack: TerraformStack): string {
  // prepareStack resolves cross-construct references; it is public in cdktf's JavaScript but not typed.
  (stack as unknown as { prepareStack(): void }).prepareStack();
  const body = canonical(stack.toTerraform()) as Record<string, unknown> & { output?: Record<string, unknown> };
  const configuration = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const output = { ...body.output, [CONFIGURATION_OUTPUT]: { description: 'SHA-256 of this stack\'s configuration as last applied (tenancy)', value: configuration } };
  return `${JSON.stringify(canonical({ ...body, output }), null, 2)}\n`;
}

/** The configuration hash a rendered stack records in its state (its CONFIGURATION_OUTPUT). */
export function configurationOf(json: string): string {
  const value = (JSON.parse(json) as { output?: Record<string, { value?: unknown }> }).output?.[CONFIGURATION_OUTPUT]?.value;
  if (typeof value !== 'string') throw new Error(`the stack has no ${CONFIGURATION_OUTPUT} output: synthesize it again`);
  return value;
}
