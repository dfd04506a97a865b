import { Tokenization } from 'cdktf';

/**
 * Terraform evaluates every string of a JSON configuration, object keys included, as a template:
 * `${...}` interpolates and `%{...}` runs a directive. Text meant as text (a tenant's command, a
 * shell script of ours) must reach the JSON escaped (`$${`, `%%{`), or `${file("/proc/self/environ")}`
 * in a tenant file would be read on the runner that plans it. Our own expressions are never
 * written as text: they are cdktf tokens (references, `Fn` calls), whose markers are kept here for
 * cdktf to resolve, and cdktf escapes the strings it writes inside them.
 */
const TEMPLATE_START = /([$%])\{/g;
/** cdktf's markers of an unresolved token in a string, a list and a map (tokens/private/encoding). */
const TOKEN_MARKER = /[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** `text`, all of it meant literally, as a Terraform JSON string that evaluates to exactly `text`. */
export function escapeTemplates(text: string): string {
  return text.replace(TEMPLATE_START, '$1$1{');
}

/** A string of a construct's configuration: its literal parts escaped, cdktf's token markers kept. */
function literalString(text: string): string {
  let result = '';
  let last = 0;
  for (const marker of text.matchAll(TOKEN_MARKER)) {
    result += escapeTemplates(text.slice(last, marker.index)) + marker[0];
    last = marker.index + marker[0].length;
  }
  return result + escapeTemplates(text.slice(last));
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A construct's configuration, as cdktf hands it over before resolving tokens, with every literal
 * string and key escaped. Tokens (references, `Fn` calls) are left to cdktf.
 */
export function literalConfig(value: unknown): unknown {
  if (typeof value === 'string') return literalString(value);
  if (Array.isArray(value)) return value.map(literalConfig);
  if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value) || !isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [literalString(key), literalConfig(child)]));
}
