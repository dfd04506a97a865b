import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { issueMessages } from '../diagnostics/issue-messages';
import { Platform } from '../schema/platform';
import { Tenant } from '../schema/tenant';
import { detectSecrets } from '../secrets/detect-secrets';
import { loadYaml, type YamlLimits } from '../yaml/load-yaml';
import type { SourceFile } from '../yaml/source-file';
import { translateIssues } from './translate-issues';

/** Tenant files are a few kilobytes; the limit keeps a pasted blob from slowing the fleet down. */
export const TENANT_FILE_LIMITS: YamlLimits = { maxBytes: 64 * 1024, maxAliasCount: 100 };
export const PLATFORM_FILE_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 1000 };

export interface ReadDocument<T> {
  readonly value?: T;
  readonly source?: SourceFile;
  readonly diagnostics: Diagnostic[];
}

function readDocument<T>(schema: z.ZodType<T>, limits: YamlLimits, file: string, bytes: Uint8Array, size: number): ReadDocument<T> {
  const loaded = loadYaml(file, bytes, limits, size);
  if (!loaded.source || loaded.value === undefined) {
    return { ...(loaded.source ? { source: loaded.source } : {}), diagnostics: loaded.diagnostics };
  }
  const secrets = detectSecrets(loaded.value, loaded.source);
  const parsed = schema.safeParse(loaded.value, { error: issueMessages, reportInput: true });
  const diagnostics = [...secrets, ...(parsed.success ? [] : translateIssues(parsed.error.issues, loaded.source))];
  loaded.source.release();
  return { source: loaded.source, diagnostics, ...(parsed.success && secrets.length === 0 ? { value: parsed.data } : {}) };
}

/** Parses and checks one tenant file on its own (no cross-file checks). */
export function readTenant(file: string, bytes: Uint8Array, size = bytes.length): ReadDocument<Tenant> {
  return readDocument(Tenant, TENANT_FILE_LIMITS, file, bytes, size);
}

/** Parses and checks platform.yaml on its own. */
export function readPlatform(file: string, bytes: Uint8Array, size = bytes.length): ReadDocument<Platform> {
  return readDocument(Platform, PLATFORM_FILE_LIMITS, file, bytes, size);
}
