import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../yaml/source-file';
import { reservedText, synthesizerMarker } from './reserved-text';

const TOKEN = '${TfToken[TOKEN.1]}';

/** Each diagnostic as `line:column message`. */
function refusals(text: string): string[] {
  return reservedText(parse(text), new SourceFile('tenants/acme.yaml', text)).map((d) => {
    expect([d.file, d.severity, d.code, d.hint]).toEqual(['tenants/acme.yaml', 'error', 'reserved-text', 'write it differently: this sequence is reserved by the stack synthesizer']);
    return `${d.line}:${d.column} ${d.message}`;
  });
}

describe('text the stack synthesizer would read as a reference', () => {
  it('names the marker, or the number that decodes to a token', () => {
    expect(synthesizerMarker(`x${TOKEN}`)).toBe('holds "${TfToken[", which the stack synthesizer (cdktf) reads as a reference to another resource');
    expect(synthesizerMarker('#{TfToken[TOKEN.2]}')).toContain('holds "#{TfToken["');
    expect(synthesizerMarker('&{TfToken[TOKEN.3]}')).toContain('holds "&{TfToken["');
    expect(synthesizerMarker('v -8.109562212591383e+298 v')).toBe('holds the number -8.109562212591383e+298, which the stack synthesizer (cdktf) reads as an encoded reference');
    for (const plain of ['${var.x}', '{TfToken[', 'TfToken', '1e+298', '2.5e3', 'plain text', '']) expect(synthesizerMarker(plain)).toBeUndefined();
  });

  it('finds it in values and keys at any depth, at the position of each, and nothing in numbers, booleans or nulls', () => {
    const text = [
      'id: acme',
      `displayName: "${TOKEN}"`,
      'labels:',
      `  "team-${TOKEN}": ops`,
      '  empty: null',
      '  count: 3',
      '  on: true',
      'resources:',
      '  - name: web',
      '    command: ["run", "-8.109562212591383e+298"]',
      '',
    ].join('\n');
    expect(refusals(text)).toEqual([
      '2:14 holds "${TfToken[", which the stack synthesizer (cdktf) reads as a reference to another resource',
      '4:3 key holds "${TfToken[", which the stack synthesizer (cdktf) reads as a reference to another resource',
      '10:22 holds the number -8.109562212591383e+298, which the stack synthesizer (cdktf) reads as an encoded reference',
    ]);
  });

  it('finds nothing in a file of plain text', () => {
    expect(refusals('id: acme\nlabels:\n  team: ops\n  none: ~\nlist: [1, true, null]\n')).toEqual([]);
  });
});
