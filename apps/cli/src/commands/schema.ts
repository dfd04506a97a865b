import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from '@tenancy/model';
import { EXIT } from '../exit-codes';

export interface SchemaOptions {
  readonly root: string;
  /** Report stale files instead of writing them. */
  readonly check: boolean;
}

/** Writes the JSON Schemas and the tenant file reference, or checks that they are current. */
export function schemaCommand(options: SchemaOptions): number {
  const stale: string[] = [];
  for (const { path, content } of generatedFiles()) {
    const target = join(options.root, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === content) continue;
    if (options.check) {
      stale.push(path);
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  for (const path of stale) process.stderr.write(`${path}: error: out of date with the models; run "npx tenancy schema" and commit the result\n`);
  return stale.length ? EXIT.invalid : EXIT.ok;
}
