import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Terraform's outputs that are a function of their inputs alone, kept by a hash of those inputs in
 * a folder that several processes share: an offline plan (configuration, state, arguments), the
 * JSON of a saved plan (its bytes), the provider schemas (the lock file). A test run or a bench
 * that plans one configuration in many places then plans it once. Entries are written whole or
 * not at all (a temporary file, then a rename), so processes running at once never read half of one.
 */
export class TerraformResultCache {
  constructor(
    /** The shared folder. Nothing ever removes entries: give each run its own. */
    readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  get(key: string): Buffer | undefined {
    const path = join(this.dir, key);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  put(key: string, value: string | Buffer): void {
    const temporary = join(this.dir, `.${key}.${randomUUID()}`);
    writeFileSync(temporary, value);
    renameSync(temporary, join(this.dir, key));
  }
}

/** A cache key: the hash of every part, each length-prefixed so that no two lists of parts collide. */
export function cacheKey(kind: string, parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return `${kind}-${hash.digest('hex')}`;
}

/** The binary's identity: a new Terraform at the same path is another key. */
export function binaryIdentity(binary: string): string {
  const stat = statSync(binary);
  return `${resolve(binary)} ${stat.size} ${stat.mtimeMs}`;
}

/** The offline stand-in listens on a new port each run; which one never changes a plan. */
const STAND_IN_URL = /http:\/\/127\.0\.0\.1:\d+/g;

interface OfflineOverrideFile {
  terraform?: { backend?: { local?: { path?: string } } };
  data?: { terraform_remote_state?: Record<string, { config?: { path?: string } }> };
}

/**
 * What an offline plan in `dir` reads besides its arguments: every configuration file (the stand-in's
 * port left out), the lock file, and the local state files the offline override names (the stack's
 * own and the ones its remote-state reads stand in for). Undefined for a stack that is not set up
 * for offline planning: a plan against real state and real AWS is never a function of files alone.
 */
export function offlinePlanInputs(dir: string, overrideFile: string): string[] | undefined {
  if (!existsSync(join(dir, overrideFile))) return undefined;
  const configs = readdirSync(dir).filter((name) => name.endsWith('.tf.json') || name.endsWith('.tf')).sort();
  const override = JSON.parse(readFileSync(join(dir, overrideFile), 'utf8')) as OfflineOverrideFile;
  const statePaths = [
    override.terraform?.backend?.local?.path,
    ...Object.values(override.data?.terraform_remote_state ?? {}).map((state) => state.config?.path),
  ].filter((path): path is string => path !== undefined);
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '(none)');
  return [
    ...configs.flatMap((name) => [name, read(join(dir, name)).replace(STAND_IN_URL, 'http://stand-in')]),
    'lock', read(join(dir, '.terraform.lock.hcl')),
    ...statePaths.flatMap((path) => [`state ${path}`, read(resolve(dir, path))]),
  ];
}
