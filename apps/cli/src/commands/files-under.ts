import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Files at any depth under `dir` whose name `wanted` accepts, as download-artifact leaves them. */
export function filesUnder(dir: string, wanted: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, wanted) : wanted(entry.name) ? [path] : [];
  });
}
