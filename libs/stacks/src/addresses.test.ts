import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addresses, exampleStacks, type ExampleStacks } from './testing/example-stacks';

/**
 * Terraform addresses are the contract with every customer's state: a renamed construct destroys
 * and recreates the resource. This file pins them for one example tenant of each combination and
 * for a cell and a pool. When a change here is intended, the plans it causes are too: say so.
 */
const PINNED = JSON.parse(readFileSync(join(__dirname, '../fixtures/addresses.json'), 'utf8')) as Record<string, string[]>;

describe('resource addresses', () => {
  let example: ExampleStacks;
  beforeAll(async () => { example = await exampleStacks(); });

  it.each(Object.keys(PINNED))('of %s stay as pinned', (key) => {
    const [label, stack] = key.split(' ') as [string, string];
    expect(label).toMatch(/\//);
    expect(addresses(example.byName.get(stack)!)).toEqual(PINNED[key]);
  });

  it('are pinned for every combination and stack kind', () => {
    const combinations = new Set(Object.keys(PINNED).map((k) => k.split(' ')[0]));
    expect(combinations.size).toBe(11);
  });
});
