import { LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics/diagnostic';
import { fastLoad } from './fast-load';
import { SourceFile } from './source-file';
import { firstInvalidUtf8Byte } from './utf8';

export interface YamlLimits {
  /** Largest accepted file, in bytes. Checked before the text is decoded or parsed. */
  readonly maxBytes: number;
  /** Upper bound on alias expansion, passed to the `yaml` package's resource-exhaustion guard. */
  readonly maxAliasCount: number;
}

/** Deepest flow nesting (`[` and `{`) accepted; real settings need three or four levels. */
const MAX_FLOW_DEPTH = 32;

export interface LoadedYaml {
  /** Present when the text parsed as one YAML document. */
  readonly source?: SourceFile;
  /** The document as plain data, present when there were no diagnostics. */
  readonly value?: unknown;
  readonly diagnostics: Diagnostic[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads one YAML document defensively: size, encoding, tabs, syntax, duplicate keys, several
 * documents and alias bombs are all reported as diagnostics, in bounded time and memory.
 * `size` is the file's real size when `bytes` was left unread because it was over the limit.
 */
export function loadYaml(file: string, bytes: Uint8Array, limits: YamlLimits, size = bytes.length): LoadedYaml {
  const at = (position: Position, code: string, message: string, hint?: string): Diagnostic => ({
    file, ...position, severity: 'error', code, message, ...(hint ? { hint } : {}),
  });
  const start = { line: 1, column: 1 };

  if (size > limits.maxBytes) {
    return { diagnostics: [at(start, 'file-too-large', `file is ${size} bytes, over the limit of ${limits.maxBytes} bytes`, 'keep the file to its settings; large content such as certificates or configuration blobs belongs elsewhere')] };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { diagnostics: [at(start, 'not-utf8', 'file is encoded as UTF-16', 'save it as UTF-8')] };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { diagnostics: [at(bytePosition(bytes, nul), 'not-utf8', `byte 0x00 at offset ${nul}: the file is not UTF-8 text (UTF-16 without a byte order mark?)`, 'save the file as UTF-8')] };
  }
  const invalid = firstInvalidUtf8Byte(bytes);
  if (invalid >= 0) {
    return { diagnostics: [at(bytePosition(bytes, invalid), 'not-utf8', `byte 0x${bytes[invalid]!.toString(16).padStart(2, '0')} at offset ${invalid} is not valid UTF-8`, 'save the file as UTF-8')] };
  }
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const text = new TextDecoder('utf-8').decode(hasBom ? bytes.subarray(3) : bytes);

  const tabs = tabIndentations(text).map((position) =>
    at(position, 'tab-indentation', 'a tab is used for indentation', 'indent with spaces; YAML does not allow tabs there'));
  if (tabs.length > 0) return { diagnostics: tabs };

  const fast = fastLoad(text);
  if (fast !== undefined) return { source: new SourceFile(file, text), value: fast, diagnostics: [] };

  const lines = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const tooDeep = flowDepthExceeded(text, MAX_FLOW_DEPTH);
  if (tooDeep !== undefined) {
    const before = text.slice(0, tooDeep);
    const line = before.split('\n').length;
    return { diagnostics: [at({ line, column: tooDeep - before.lastIndexOf('\n') }, 'too-deep', `values are nested more than ${MAX_FLOW_DEPTH} levels deep`, 'write the value flat; tenant settings are never nested this deep')] };
  }
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, strict: true, prettyErrors: false }) as Document.Parsed[];
  if (documents.length > 1) {
    const second = documents[1]!;
    return { diagnostics: [at(position(second.range[0]), 'multiple-documents', `file holds ${documents.length} YAML documents`, 'keep one document per file; remove the "---" separator and what follows it, or move it to its own file')] };
  }
  const document = documents[0];
  if (!document || document.contents === null) {
    return { diagnostics: [at(start, 'empty-file', 'file is empty', 'write the settings, or delete the file')] };
  }
  const source = new SourceFile(file, text, { document, lines });

  const problems: Diagnostic[] = [];
  for (const e of [...document.errors, ...document.warnings]) {
    const where = position(e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      problems.push(at(where, 'duplicate-key', 'key is written twice in the same mapping', 'keep one of them; YAML would silently use only one'));
    } else if (e.code === 'TAG_RESOLVE_FAILED') {
      problems.push(at(where, 'yaml-tag', `${firstLine(e.message).replace(/^Unresolved tag: /, 'tag ')} is not supported`, 'remove the tag and write the plain value'));
    } else if (!problems.some((p) => p.code === 'yaml-syntax')) {
      // Later syntax errors are nearly always consequences of the first one.
      problems.push(at(where, 'yaml-syntax', firstLine(e.message), 'fix the YAML syntax at this position'));
    }
  }
  if (problems.length > 0) return { source, diagnostics: problems };

  try {
    return { source, value: document.toJS({ maxAliasCount: limits.maxAliasCount }), diagnostics: [] };
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      const alias = firstAliasOffset(document);
      return { source, diagnostics: [at(alias === undefined ? start : position(alias), 'alias-limit', `aliases expand beyond the limit (${error.message})`, 'write the values out; anchors and aliases may only be used sparingly')] };
    }
    throw error;
  }
}

/**
 * Offset of the bracket that opens flow nesting deeper than `max`, outside quotes and comments.
 * Checked before parsing because the parser recurses once per level.
 */
function flowDepthExceeded(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (ch === '[' || ch === '{') {
      if (++depth > max) return i;
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Tabs inside the leading whitespace of a line (inside block scalars YAML would treat them as content). */
function tabIndentations(text: string): Position[] {
  const found: Position[] = [];
  const pattern = /^( *)\t/gm;
  let line = 1;
  let scanned = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (let i = scanned; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = match.index;
    found.push({ line, column: match[1]!.length + 1 });
  }
  return found;
}

function firstAliasOffset(document: Document.Parsed): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}
