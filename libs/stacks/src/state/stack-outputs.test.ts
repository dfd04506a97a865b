import { describe, expect, it } from 'vitest';
import { exampleStacks } from '../testing/example-stacks';
import { OUTPUTS } from './stack-outputs';

const READ = /\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([a-z0-9_]+)/g;

describe('outputs read from other stacks\' state', () => {
  it('are each published by the stack read, and listed in OUTPUTS (offline plans give each a placeholder)', async () => {
    const example = await exampleStacks();
    const listed = new Set<string>(Object.values(OUTPUTS).flat());
    let reads = 0;
    for (const [name, stack] of example.byName) {
      for (const [, state, output] of JSON.stringify(stack).matchAll(READ)) {
        reads++;
        const path = String((stack.data!.terraform_remote_state![state!] as { config: { path: string } }).config.path);
        const owner = /([^/]+)\.tfstate$/.exec(path)![1]!;
        expect(Object.keys(example.byName.get(owner)!.output ?? {}), `${name} reads ${output} of ${owner}`).toContain(output);
        expect(listed.has(output!), `${name} reads ${output}, which OUTPUTS does not list`).toBe(true);
      }
    }
    expect(reads).toBeGreaterThan(100);
  });
});
