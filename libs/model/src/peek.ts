import { parse } from 'yaml';
import { fastLoad } from './yaml/fast-load';

/** The fields tools need to place a tenant, read without validation: `tenancy validate` checks the file. */
export interface TenantPeek {
  readonly tier?: string;
  readonly hosting?: string;
  readonly deployment?: string;
  readonly cell?: string;
  readonly pool?: string;
}

function load(bytes: Uint8Array): Record<string, unknown> | undefined {
  const text = new TextDecoder().decode(bytes);
  let value: unknown;
  try {
    value = fastLoad(text) ?? parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const field = (value: unknown, key: string) => (value !== null && typeof value === 'object' ? text((value as Record<string, unknown>)[key]) : undefined);

/** A tenant file's placement, or nothing for what it lacks or cannot be read. */
export function peekTenant(bytes: Uint8Array): TenantPeek {
  const doc = load(bytes);
  if (!doc) return {};
  const peek = { tier: text(doc.tier), hosting: field(doc.hosting, 'model'), deployment: field(doc.deployment, 'model'), cell: field(doc.deployment, 'cell'), pool: field(doc.deployment, 'pool') };
  return Object.fromEntries(Object.entries(peek).filter(([, v]) => v !== undefined));
}

/** The names of platform.yaml's cells and pools, read without validation. */
export function peekPlatform(bytes: Uint8Array): { cells: string[]; pools: string[] } {
  const doc = load(bytes);
  const names = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []);
  return { cells: names(doc?.cells), pools: names(doc?.pools) };
}
