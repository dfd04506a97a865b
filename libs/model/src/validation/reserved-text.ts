import type { Diagnostic } from '../diagnostics/diagnostic';
import type { PathSegment, SourceFile } from '../yaml/source-file';

/**
 * The stacks are synthesized with cdktf, which reads every string before Terraform does: in text,
 * `${TfToken[...]}` (and its list and map forms) is its marker for a reference to another
 * resource, and a number that decodes to one of its token doubles is one too. Text from a file
 * holding either would become a reference that file never wrote: such text is refused.
 */
const CDKTF_MARKER = /[$#&]\{TfToken\[/;
/** cdktf's pattern for numbers in a string that may be its tokens (cdktf tokens/private/encoding). */
const CDKTF_NUMBER = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
/** The top 16 bits of cdktf's string and list token doubles. */
const CDKTF_DOUBLE_MARKERS = new Set([0xfdff, 0xfbff]);

function isTokenDouble(text: string): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Number.parseFloat(text));
  return CDKTF_DOUBLE_MARKERS.has(view.getUint16(0));
}

/** Why `text` would be read as a reference by the synthesizer, or undefined when it is plain text. */
export function synthesizerMarker(text: string): string | undefined {
  const marker = CDKTF_MARKER.exec(text);
  if (marker) return `holds "${marker[0]}", which the stack synthesizer (cdktf) reads as a reference to another resource`;
  const number = [...text.matchAll(CDKTF_NUMBER)].find(([match]) => isTokenDouble(match));
  if (number) return `holds the number ${number[0]}, which the stack synthesizer (cdktf) reads as an encoded reference`;
  return undefined;
}

/** Every string (and key) of a loaded document that the synthesizer would read as a reference, at its position. */
export function reservedText(value: unknown, source: SourceFile): Diagnostic[] {
  const found: Diagnostic[] = [];
  const report = (path: PathSegment[], why: string, target: 'value' | 'key') => {
    const position = source.position(path, target);
    found.push({ file: source.file, ...position, severity: 'error', code: 'reserved-text', message: why, hint: 'write it differently: this sequence is reserved by the stack synthesizer' });
  };
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (typeof node === 'string') {
      const why = synthesizerMarker(node);
      if (why) report(path, why, 'value');
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const why = synthesizerMarker(key);
        if (why) report([...path, key], `key ${why}`, 'key');
        visit(child, [...path, key]);
      }
    }
  };
  visit(value, []);
  return found;
}
