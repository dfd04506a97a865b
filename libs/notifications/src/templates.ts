import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { fieldsOf, NOTICE_EVENTS, type NoticeEvent } from './notice';

/** Where the words of every notice live, one Markdown file per event, edited in pull requests. */
export const TEMPLATES_DIR = 'notifications';

export interface Template {
  readonly file: string;
  readonly subject: string;
  readonly body: string;
}

export interface RenderedNotice {
  readonly subject: string;
  readonly text: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
/** A template is a few paragraphs; as a tenant file, it may not be a pasted blob. */
export const TEMPLATE_MAX_BYTES = 64 * 1024;

/** A problem in a template, at its line and column, and how to fix it. */
export interface TemplateProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
}

export class TemplateError extends Error {
  constructor(readonly problem: TemplateProblem) {
    super(`${problem.file}:${problem.line}:${problem.column}: error: ${problem.message}: ${problem.hint}`);
  }
}

/** One event's template, or what is wrong with it: front matter with `subject:`, then the body; every placeholder a field of the event. */
function parseTemplate(root: string, event: NoticeEvent): Template | TemplateProblem[] {
  const file = `${TEMPLATES_DIR}/${event}.md`;
  const path = join(root, file);
  const at = (line: number, column: number, message: string, hint: string): TemplateProblem => ({ file, line, column, message, hint });
  if (!existsSync(path)) return [at(1, 1, 'missing', `write it: every event needs its template (${NOTICE_EVENTS.join(', ')})`)];
  const size = statSync(path).size;
  if (size > TEMPLATE_MAX_BYTES) return [at(1, 1, `file is ${size} bytes, over the limit of ${TEMPLATE_MAX_BYTES} bytes`, 'keep the notice to a few paragraphs')];
  // Editors on Windows save a byte order mark and CRLF line endings: read as the same text.
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!match) return [at(1, 1, 'no front matter', 'start with ---, subject: ..., ---')];
  const lines = new LineCounter();
  const document = parseDocument(match[1]!, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    // The front matter starts on the file's second line.
    return [at(line + 1, col, `the front matter is not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, 'write it as subject: "..." between the --- lines')];
  }
  const front = document.toJS() as { subject?: unknown } | null;
  if (typeof front?.subject !== 'string' || !front.subject.trim()) return [at(2, 1, 'the front matter has no subject', 'add subject: "..." between the --- lines')];
  const allowed = fieldsOf(event);
  const problems = text.split('\n').flatMap((line, index) => [...line.matchAll(PLACEHOLDER)]
    .filter(([, name]) => !allowed.includes(name!))
    .map((m) => at(index + 1, m.index! + 1, `{{${m[1]}}} is not a field of ${event}`, `use ${allowed.map((f) => `{{${f}}}`).join(', ')}`)));
  return problems.length ? problems : { file, subject: front.subject.trim(), body: match[2]!.replace(/^\n+/, '') };
}

/** Reads one event's template; throws a TemplateError at its first problem. */
export function readTemplate(root: string, event: NoticeEvent): Template {
  const parsed = parseTemplate(root, event);
  if (Array.isArray(parsed)) throw new TemplateError(parsed[0]!);
  return parsed;
}

/** Every problem of every event's template, for `tenancy validate`. */
export function templateProblems(root: string): TemplateProblem[] {
  return NOTICE_EVENTS.flatMap((event) => { const parsed = parseTemplate(root, event); return Array.isArray(parsed) ? parsed : []; });
}

/** Every event's template, checked; throws at the first problem. */
export function readTemplates(root: string): Map<NoticeEvent, Template> {
  return new Map(NOTICE_EVENTS.map((event) => [event, readTemplate(root, event)]));
}

/** The subject and text of a notice: placeholders filled, the subject on one line. */
export function render(template: Template, fields: Readonly<Record<string, string>>): RenderedNotice {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => fields[name] ?? '');
  return { subject: fill(template.subject).replace(/\s+/g, ' ').trim(), text: fill(template.body) };
}
