import type { TerraformStack } from 'cdktf';

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
 * always gives the same bytes.
 */
export function renderStack(stack: TerraformStack): string {
  // prepareStack resolves cross-construct references; it is public in cdktf's JavaScript but not typed.
  (stack as unknown as { prepareStack(): void }).prepareStack();
  return `${JSON.stringify(canonical(stack.toTerraform()), null, 2)}\n`;
}
