import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Position } from '../diagnostics/diagnostic';

export type PathSegment = string | number;

/**
 * Which node of a path a diagnostic points at:
 * - `value`: the value at the path (a bad value);
 * - `key`: the key of the last segment (an unknown key);
 * - `parent`: the key that holds the path's parent (a missing key is reported at its parent).
 */
export type Target = 'value' | 'key' | 'parent';

interface Located {
  node: Node | null | undefined;
  /** The key whose value is `node`, when `node` sits in a map. */
  key: Node | null | undefined;
}

/**
 * A YAML file that can tell where any path of its content starts. It keeps its text and parses
 * again on demand once `release` dropped the parse: a fleet of thousands of valid files then holds
 * no syntax trees, and only files with problems are ever parsed twice.
 */
export class SourceFile {
  private parsed: { document: Document.Parsed; lines: LineCounter } | undefined;

  constructor(
    /** Path as shown in diagnostics. */
    readonly file: string,
    readonly text: string,
    parsed?: { document: Document.Parsed; lines: LineCounter },
  ) {
    this.parsed = parsed;
  }

  get document(): Document.Parsed {
    return this.parse().document;
  }

  /** Drops the syntax tree; positions stay available by parsing the text again. */
  release(): void {
    this.parsed = undefined;
  }

  private parse(): { document: Document.Parsed; lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      this.parsed = { document: parseDocument(this.text, { lineCounter: lines, uniqueKeys: false }) as Document.Parsed, lines };
    }
    return this.parsed;
  }

  /** 1-based position of an offset in the file's text. */
  positionOfOffset(offset: number): Position {
    const { line, col } = this.parse().lines.linePos(offset);
    return { line, column: col };
  }

  /** Where the node at `path` (or the nearest existing part of it) starts. */
  position(path: readonly PathSegment[], target: Target = 'value'): Position {
    const located = target === 'parent' ? this.deepest(path.slice(0, -1)) : this.deepest(path);
    const chosen =
      target === 'value' && located.exact && located.at.node ? located.at.node
      : (located.at.key ?? located.at.node);
    const offset = chosen?.range?.[0] ?? this.firstContentOffset();
    return this.positionOfOffset(offset);
  }

  private firstContentOffset(): number {
    return this.document.contents?.range?.[0] ?? 0;
  }

  /** Walks as far along `path` as the document goes. */
  private deepest(path: readonly PathSegment[]): { at: Located; exact: boolean } {
    let at: Located = { node: this.document.contents as Node | null, key: undefined };
    for (const segment of path) {
      const next = this.child(at.node, segment);
      if (!next) return { at, exact: false };
      at = next;
    }
    return { at, exact: true };
  }

  private child(node: Node | null | undefined, segment: PathSegment): Located | undefined {
    const resolved = isAlias(node) ? node.resolve(this.document) : node;
    if (isMap(resolved)) {
      const pair = resolved.items.find((item: Pair) => isPair(item) && keyText(item.key) === String(segment));
      return pair ? { node: pair.value as Node | null, key: pair.key as Node } : undefined;
    }
    if (isSeq(resolved) && typeof segment === 'number') {
      const item = resolved.items[segment] as Node | undefined;
      return item ? { node: item, key: undefined } : undefined;
    }
    return undefined;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
