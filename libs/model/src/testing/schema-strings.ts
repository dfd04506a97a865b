import type { z } from 'zod';

/**
 * A step of a path through a document: an object key, every item of a list (`[]`), every value
 * of a mapping of names (`{}`), or the names of such a mapping themselves (`{key}`).
 */
export type FieldStep = string | '[]' | '{}' | '{key}';

/** A place in a document where a string goes, and the schema that string must pass. */
export interface StringField {
  readonly path: readonly FieldStep[];
  readonly schema: z.ZodType;
}

interface Definition {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
}

const definition = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Definition } })._zod.def;

/**
 * Every string a document of `schema` can hold, found by walking the schema itself, so that a
 * field added later is found without editing the test that uses this: object keys, list items,
 * mapping names and values, every option of a union.
 */
export function stringFields(schema: z.ZodType, path: readonly FieldStep[] = []): StringField[] {
  const def = definition(schema);
  switch (def.type) {
    case 'string': return [{ path, schema }];
    case 'object': return Object.entries(def.shape!).flatMap(([key, child]) => stringFields(child, [...path, key]));
    case 'array': return stringFields(def.element!, [...path, '[]']);
    case 'record': return [...stringFields(def.keyType!, [...path, '{key}']), ...stringFields(def.valueType!, [...path, '{}'])];
    case 'optional': case 'default': case 'nullable': case 'prefault': case 'nonoptional': case 'readonly': case 'catch':
      return stringFields(def.innerType!, path);
    case 'union': {
      const seen = new Set<string>();
      return def.options!.flatMap((option) => stringFields(option, path)).filter((f) => !seen.has(f.path.join('.')) && seen.add(f.path.join('.')));
    }
    case 'pipe': return stringFields(def.in!, path);
    default: return [];
  }
}

/**
 * A copy of `document` with `value` placed at `field`: on every item of a list and every value of
 * a mapping the path goes through (the `index` of each is given to `value`), as an extra name of
 * a mapping for `{key}`. Undefined when the document has nothing at the path to place it on.
 */
export function placeAt(document: unknown, path: readonly FieldStep[], value: (index: number) => string): unknown {
  const copy = structuredClone(document);
  let placed = 0;
  const walk = (node: unknown, rest: readonly FieldStep[], set: (v: unknown) => void): void => {
    const [step, ...more] = rest;
    if (step === undefined) {
      set(value(placed++));
      return;
    }
    if (step === '[]') {
      if (!Array.isArray(node)) return;
      node.forEach((item, i) => walk(item, more, (v) => { node[i] = v; }));
    } else if (step === '{}' || step === '{key}') {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      const record = node as Record<string, unknown>;
      const entries = Object.entries(record);
      if (step === '{}') entries.forEach(([key, child]) => walk(child, more, (v) => { record[key] = v; }));
      else if (more.length === 0 && entries.length) record[value(placed++)] = structuredClone(entries[0]![1]);
    } else if (node && typeof node === 'object' && !Array.isArray(node)) {
      const object = node as Record<string, unknown>;
      if (more.length === 0 || object[step] !== undefined) walk(object[step], more, (v) => { object[step] = v; });
    }
  };
  walk(copy, path, () => undefined);
  return placed ? copy : undefined;
}
