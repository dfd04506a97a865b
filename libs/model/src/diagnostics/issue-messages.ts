import { z } from 'zod';
import { problem } from './problem';

type RawIssue = z.core.$ZodRawIssue;

/** The message of an issue about a missing key; the translator reports those at the parent. */
export const REQUIRED = 'is required';

function describe(schema: unknown): string | undefined {
  return schema ? z.globalRegistry.get(schema as z.ZodType)?.description : undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping of keys', array: 'a list', string: 'a string', number: 'a number', int: 'a whole number',
  boolean: 'true or false', record: 'a mapping of names', nonoptional: 'a value',
};

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } })?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Messages for issues that the schema did not word itself, in the `problem(what, fix)` form.
 * The path is added later by the translator, which knows the final path.
 */
export const issueMessages: z.core.$ZodErrorMap = (issue: RawIssue) => {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return problem(REQUIRED, describe(issue.inst) ?? 'a value');
  }
  switch (issue.code) {
    case 'invalid_type': {
      const fix = describe(issue.inst) ?? `write ${EXPECTED[issue.expected] ?? issue.expected}`;
      return problem(`must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${typeName(issue.input)}`, fix);
    }
    case 'unrecognized_keys':
      return problem('has unknown keys', shapeKeys(issue.inst).join(', '));
    case 'invalid_value': {
      const values = (issue.values as readonly unknown[]).map(String).join(', ');
      return problem(`is ${typeName(issue.input)}, not one of ${values}`, values);
    }
    case 'invalid_union':
      if (issue.discriminator) {
        const options = ((issue.options ?? []) as readonly unknown[]).map(String).join(', ');
        return problem(`needs "${String(issue.discriminator)}" set to one of ${options}`, options);
      }
      return problem('does not match any allowed form', describe(issue.inst) ?? 'see the schema for the allowed forms');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return problem(min <= 1 ? 'is empty' : `is shorter than ${min} characters`, 'write a value');
      if (issue.origin === 'array') return problem(`needs at least ${min} item${min === 1 ? '' : 's'}`, 'add items to the list');
      return problem(`must be at least ${min}`, `use ${min} or more`);
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return problem(`is longer than ${max} characters`, 'shorten it');
      if (issue.origin === 'array') return problem(`has more than ${max} items`, `keep at most ${max}`);
      return problem(`must be at most ${max}`, `use ${max} or less`);
    }
    case 'invalid_format':
      return problem(`is not a valid ${issue.format}`, 'correct the value');
    default:
      return undefined;
  }
};
