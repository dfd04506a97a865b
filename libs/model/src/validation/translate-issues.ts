import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { REQUIRED } from '../diagnostics/issue-messages';
import { splitProblem } from '../diagnostics/problem';
import { oneOfHint } from '../diagnostics/suggest';
import type { PathSegment, SourceFile, Target } from '../yaml/source-file';

/** `resources[0].port`, `cells.blue-1.capacity` */
export function pathText(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) =>
    typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment, '');
}

function subject(path: readonly PathSegment[], what: string): string {
  if (path.length === 0) return what;
  return /^(is|must|has|needs|does|ends|holds) /.test(what) ? `${pathText(path)} ${what}` : `${pathText(path)}: ${what}`;
}

const CODES: Record<string, string> = {
  invalid_type: 'invalid-type', invalid_value: 'invalid-value', invalid_union: 'invalid-value', too_small: 'too-small',
  too_big: 'too-big', invalid_format: 'invalid-format', invalid_key: 'invalid-key', custom: 'invalid-value',
};

/** Turns zod issues into diagnostics positioned at the YAML node at fault. */
export function translateIssues(issues: readonly z.core.$ZodIssue[], source: SourceFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const emit = (path: readonly PathSegment[], target: Target, code: string, what: string, hint?: string) => {
    diagnostics.push({ file: source.file, ...source.position(path, target), severity: 'error', code, message: what, ...(hint ? { hint } : {}) });
  };
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const { what, fix } = splitProblem(issue.message);
    if (what === REQUIRED) {
      const key = String(path[path.length - 1]);
      emit(path, 'parent', 'missing-key', `missing required key '${key}'${path.length > 1 ? ` in ${pathText(path.slice(0, -1))}` : ''}`, `add "${key}": ${fix ?? 'a value'}`);
      continue;
    }
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = fix ? fix.split(', ') : [];
        for (const key of issue.keys) {
          if (key === '<<') {
            // YAML 1.2 has no merge keys: tools that follow it would read this file differently.
            emit([...path, key], 'key', 'merge-key', `a YAML merge key ('<<')${path.length ? ` in ${pathText(path)}` : ''} is not supported: one file must read the same to every tool, and YAML 1.2 has no merge keys`, 'write the values out in full');
            continue;
          }
          emit([...path, key], 'key', 'unknown-key', `unknown key '${key}'${path.length ? ` in ${pathText(path)}` : ''}`, `remove it, or ${oneOfHint(key, allowed, 'a known key')}`);
        }
        break;
      }
      case 'invalid_type':
        emit(path, 'value', 'invalid-type', subject(path, what), fix);
        break;
      case 'invalid_union': {
        const discriminator = 'discriminator' in issue ? issue.discriminator : undefined;
        if (discriminator) {
          const unionPath = path[path.length - 1] === discriminator ? path.slice(0, -1) : path;
          const input = issue.input as Record<string, unknown> | undefined;
          const given = input && typeof input === 'object' ? input[discriminator] : undefined;
          const options = fix ? fix.split(', ') : [];
          if (given === undefined) {
            emit([...unionPath, discriminator], 'parent', 'missing-key', `missing required key '${discriminator}' in ${pathText(unionPath)}`, `add "${discriminator}": ${options.join(' | ')}`);
          } else {
            emit([...unionPath, discriminator], 'value', 'invalid-value', `${pathText([...unionPath, discriminator])} '${String(given)}' is not one of ${options.join(', ')}`, oneOfHint(String(given), options));
          }
        } else {
          emit(path, 'value', 'invalid-value', subject(path, what), fix);
        }
        break;
      }
      case 'invalid_value': {
        const options = fix ? fix.split(', ') : [];
        emit(path, 'value', 'invalid-value', subject(path, what), oneOfHint(String(issue.input ?? ''), options));
        break;
      }
      case 'invalid_key':
        emit(path, 'key', 'invalid-key', subject(path, splitProblem(issue.issues[0]?.message ?? what).what), splitProblem(issue.issues[0]?.message ?? '').fix ?? fix);
        break;
      default: {
        const code = (issue.code === 'custom' && (issue.params?.code as string | undefined)) || CODES[issue.code] || 'invalid-value';
        emit(path, 'value', code, subject(path, what), fix);
      }
    }
  }
  return diagnostics;
}
