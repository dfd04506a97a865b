import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

/** GitHub's REST API description: every operation a request may call, and the schema of its body. */
export interface Operation {
  readonly id: string;
  readonly method: string;
  readonly template: string;
  readonly match: (path: string) => Record<string, string> | undefined;
  readonly parameters: readonly { name: string; in: 'path' | 'query' | 'header'; required: boolean; validate: ValidateFunction }[];
  readonly bodyRequired: boolean;
  readonly validateBody?: ValidateFunction;
  /** The schema of a 200 answer's JSON, for answers the stand-in gives in full. */
  readonly validateAnswer?: ValidateFunction;
}

interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: object; $ref?: string }

const SPEC_ID = 'https://api.github.com/openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let loaded: Map<string, Operation[]> | undefined;

/** The operations of `@octokit/openapi`'s description of api.github.com, by HTTP method. */
export function githubOperations(): Map<string, Operation[]> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string; parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, unknown> }; responses?: Record<string, { content?: Record<string, unknown> }> }>>;
    components: { parameters: Record<string, Parameter> };
  };
  // Path and query values arrive as text, so their types are coerced; a JSON body's are not.
  // Formats are left unchecked.
  const schema = withJsonSchemaNulls(spec) as object;
  const [asText, asJson] = [true, false].map((coerceTypes) =>
    new Ajv({ strict: false, coerceTypes, validateFormats: false, allErrors: true, validateSchema: false }).addSchema(schema, SPEC_ID));
  const compile = (ajv: Ajv, path: string) => ajv.compile({ $ref: `${SPEC_ID}#/${path}` });
  const operations = new Map<string, Operation[]>();
  for (const [template, methods] of Object.entries(spec.paths)) {
    const names: string[] = [];
    const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => { names.push(name); return '([^/]+)'; })}$`);
    const match = (path: string) => {
      const found = regex.exec(path);
      return found ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)])) : undefined;
    };
    for (const [method, op] of Object.entries(methods)) {
      if (!op.operationId) continue;
      const parameters = (op.parameters ?? []).map((p, i) => {
        const ref = p.$ref ? p.$ref.replace('#/components/parameters/', '') : undefined;
        const parameter = ref ? spec.components.parameters[ref]! : p;
        const where = ref ? pointer('components', 'parameters', ref) : pointer('paths', template, method, 'parameters', String(i));
        return { name: parameter.name, in: parameter.in as 'path' | 'query' | 'header', required: parameter.required ?? parameter.in === 'path', validate: lazy(() => compile(asText!, `${where}/schema`)) };
      });
      const json = op.requestBody?.content['application/json'];
      const answer = op.responses?.['200']?.content?.['application/json'];
      const operation: Operation = {
        id: op.operationId, method: method.toUpperCase(), template, match, parameters,
        bodyRequired: op.requestBody?.required ?? false,
        ...(json ? { validateBody: lazy(() => compile(asJson!, pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema'))) } : {}),
        ...(answer ? { validateAnswer: lazy(() => compile(asJson!, pointer('paths', template, method, 'responses', '200', 'content', 'application/json', 'schema'))) } : {}),
      };
      operations.set(operation.method, [...(operations.get(operation.method) ?? []), operation]);
    }
  }
  // A literal segment beats a parameter: /issues/comments/{id} before /issues/{number}.
  for (const list of operations.values()) list.sort((a, b) => literalLength(b.template) - literalLength(a.template));
  loaded = operations;
  return operations;
}

/**
 * OpenAPI 3.0 marks a value that may be null with `nullable: true`, which JSON Schema (and Ajv,
 * without a `type` beside it) does not know: it becomes a `null` type or an `anyOf` branch.
 */
function withJsonSchemaNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withJsonSchemaNulls);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withJsonSchemaNulls(v)]));
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') {
    return { ...converted, type: [converted.type, 'null'], ...(Array.isArray(converted.enum) ? { enum: [...converted.enum, null] } : {}) };
  }
  return { anyOf: [converted, { type: 'null' }] };
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

/** A validator compiled on first use: compiling all of GitHub's schemas up front takes minutes. */
function lazy(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  }) as ValidateFunction;
  return validate;
}
