import { describe, expect, it } from 'vitest';
import { loadYaml } from './load-yaml';

const limits = { maxBytes: 64 * 1024, maxAliasCount: 100 };
const load = (text: string | Uint8Array) => loadYaml('t.yaml', typeof text === 'string' ? new TextEncoder().encode(text) : text, limits);

describe('loadYaml', () => {
  it('reads a plain document', () => {
    expect(load('a: 1\nb: [x, y]\n')).toMatchObject({ value: { a: 1, b: ['x', 'y'] }, diagnostics: [] });
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(load(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a: 1\n')]))).toMatchObject({ value: { a: 1 } });
  });

  it('allows a few anchors and aliases', () => {
    expect(load('zones: &z [a, b]\nagain: *z\n').value).toEqual({ zones: ['a', 'b'], again: ['a', 'b'] });
  });

  it('stops the billion laughs before expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) levels.push(`l${i}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const loaded = load(levels.join('\n'));
    expect(loaded.value).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['alias-limit']);
  });

  it('reports tabs in indentation at each line', () => {
    expect(load('a:\n\tb: 1\nc:\n  \td: 2\n').diagnostics.map((d) => `${d.line}:${d.column}`)).toEqual(['2:1', '4:3']);
  });

  it('does not count brackets inside quotes or comments toward nesting', () => {
    const quoted = `a: "${'['.repeat(100)}" # ${'{'.repeat(100)}\n`;
    expect(load(quoted).diagnostics).toEqual([]);
  });

  it('reports only the first of cascading syntax errors', () => {
    expect(load('a: [1, 2\nb: {c: \n').diagnostics.filter((d) => d.code === 'yaml-syntax')).toHaveLength(1);
  });
});
