import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { issueMessages } from '../diagnostics/issue-messages';
import { Platform } from '../schema/platform';
import { Tenant, TenantFields } from '../schema/tenant';
import { detectSecrets } from '../secrets/detect-secrets';
import { loadYaml, type YamlLimits } from '../yaml/load-yaml';
import type { SourceFile } from '../yaml/source-file';
import { reservedText } from './reserved-text';
import { translateIssues } from './translate-issues';

/** Tenant files are a few kilobytes; the limit keeps a pasted blob from slowing the fleet down. */
export const TENANT_FILE_LIMITS: YamlLimits = { maxBytes: 64 * 1024, maxAliasCount: 100 };
export const PLATFORM_FILE_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 1000 };

export interface ReadDocument<T> {
  readonly value?: T;
  readonly source?: SourceFile;
  readonly diagnostics: Diagnostic[];
  /**
   * For a document with errors, what it is without the values in error, when that still parses:
   * enough to check it against the other files in the same run, so every problem shows at once.
   */
  readonly salvaged?: T;
}

/** Passes of removing the values in error before a document is given up as too broken to check further. */
const SALVAGE_PASSES = 5;

/** The value at `path` of `root`, or undefined. */
function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * `value` without what each issue points at: an unknown key, the value (or list item) in error, or,
 * for a required value that is missing, the object that lacks it.
 */
function withoutIssues(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(value);
  const removals = issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]))
    .map((path) => (path.length && at(copy, path) === undefined ? path.slice(0, -1) : path));
  // Deepest and last first, so that removing a list item does not shift one still to remove.
  for (const path of removals.sort((a, b) => b.length - a.length || String(b.at(-1)).localeCompare(String(a.at(-1)), undefined, { numeric: true }))) {
    if (path.length === 0) return undefined;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    const last = path.at(-1)!;
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else if (parent && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[last as PropertyKey];
  }
  return copy;
}

/**
 * What a document is without its values in error, parsed with `lenient` (a schema that lets go of
 * what other files are never checked against), or undefined when even that does not parse.
 */
function salvage<T>(lenient: z.ZodType<T>, value: unknown, issues: readonly z.core.$ZodIssue[]): T | undefined {
  let current = value;
  let problems = issues;
  for (let pass = 0; pass < SALVAGE_PASSES; pass++) {
    current = withoutIssues(current, problems);
    if (current === undefined) return undefined;
    const parsed = lenient.safeParse(current);
    if (parsed.success) return parsed.data;
    problems = parsed.error.issues;
  }
  return undefined;
}

/**
 * A tenant file for the checks against other files: without resources (capacity and limits are
 * then checked on what is left) or contact, which no other file refers to.
 */
const SalvagedTenant = TenantFields.extend({ resources: TenantFields.shape.resources.unwrap().array().default([]), contact: TenantFields.shape.contact.optional() })
  .transform((t) => t as Tenant);

function readDocument<T>(schema: z.ZodType<T>, limits: YamlLimits, file: string, bytes: Uint8Array, size: number, lenient?: z.ZodType<T>): ReadDocument<T> {
  const loaded = loadYaml(file, bytes, limits, size);
  if (!loaded.source || loaded.value === undefined) {
    return { ...(loaded.source ? { source: loaded.source } : {}), diagnostics: loaded.diagnostics };
  }
  const refused = [...detectSecrets(loaded.value, loaded.source), ...reservedText(loaded.value, loaded.source)];
  const parsed = schema.safeParse(loaded.value, { error: issueMessages, reportInput: true });
  const diagnostics = [...refused, ...(parsed.success ? [] : translateIssues(parsed.error.issues, loaded.source))];
  loaded.source.release();
  const salvaged = parsed.success || !lenient ? undefined : salvage(lenient, loaded.value, parsed.error.issues);
  return {
    source: loaded.source, diagnostics,
    ...(parsed.success && refused.length === 0 ? { value: parsed.data } : {}),
    ...(salvaged !== undefined ? { salvaged } : {}),
  };
}

/** Parses and checks one tenant file on its own (no cross-file checks). */
export function readTenant(file: string, bytes: Uint8Array, size = bytes.length): ReadDocument<Tenant> {
  return readDocument(Tenant, TENANT_FILE_LIMITS, file, bytes, size, SalvagedTenant);
}

/** Parses and checks platform.yaml on its own. */
export function readPlatform(file: string, bytes: Uint8Array, size = bytes.length): ReadDocument<Platform> {
  return readDocument(Platform, PLATFORM_FILE_LIMITS, file, bytes, size);
}
