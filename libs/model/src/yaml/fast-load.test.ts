import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../../../bench/fleet/generate-fleet';
import { fastLoad } from './fast-load';

const REPO = resolve(__dirname, '../../../..');

/** What the `yaml` package, which gives every position, reads from the same text. */
function reference(text: string): unknown {
  return parseDocument(text, { uniqueKeys: true, strict: true }).toJS();
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
}

describe('the js-yaml fast path', () => {
  it('reads every example, fixture and generated file it accepts exactly as the yaml package does', () => {
    const texts = [
      ...[join(REPO, 'platform.yaml'), ...yamlFiles(join(REPO, 'tenants')), ...yamlFiles(join(REPO, 'libs/model/fixtures'))].map((f) => readFileSync(f, 'utf8')),
      ...generateFleet({ tenants: 300, seed: 7 }).tenants.map((t) => t.text),
    ];
    let accepted = 0;
    for (const text of texts) {
      const fast = fastLoad(text);
      if (fast === undefined) continue;
      accepted++;
      expect(fast).toEqual(reference(text));
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it.each([
    ['numbers and booleans of the 1.2 core schema', 'a: 0o17\nb: 0x1F\nc: 1e3\nd: .inf\ne: true\nf: ~\ng: 1.30\nh: "007"\n'],
    ['YAML 1.1 forms stay strings', 'a: yes\nb: on\nc: 02:00\nd: 2026-06-01\ne: 0b101\n'],
    ['quoted and block scalars', 'a: "x\\ty"\nb: \'it\'\'s\'\nc: |\n  line 1\n  line 2\nd: >-\n  folded\n  text\n'],
  ])('agrees with the yaml package on %s', (_name, text) => {
    expect(fastLoad(text)).toEqual(reference(text));
  });

  it.each([
    ['anchors and aliases', 'a: &x [1]\nb: *x\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['unknown tags', 'a: !!python/object x\n'],
    ['an empty document', '# nothing\n'],
    ['a null document', '~\n'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(fastLoad(text)).toBeUndefined();
  });
});
