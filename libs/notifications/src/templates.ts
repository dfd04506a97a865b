import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
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

/** A problem in a template, at its line. */
export class TemplateError extends Error {}

/** Reads one event's template: front matter with `subject:`, then the body; every placeholder must be a field of the event. */
export function readTemplate(root: string, event: NoticeEvent): Template {
  const file = `${TEMPLATES_DIR}/${event}.md`;
  const path = join(root, file);
  if (!existsSync(path)) throw new TemplateError(`${file}: error: missing: every event needs its template (${NOTICE_EVENTS.join(', ')})`);
  const text = readFileSync(path, 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!match) throw new TemplateError(`${file}:1:1: error: no front matter: start with ---, subject: ..., ---`);
  const front = parse(match[1]!) as { subject?: unknown } | null;
  if (typeof front?.subject !== 'string' || !front.subject.trim()) throw new TemplateError(`${file}:2:1: error: the front matter has no subject`);
  const allowed = fieldsOf(event);
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const [, name] of line.matchAll(PLACEHOLDER)) {
      if (!allowed.includes(name!)) {
        throw new TemplateError(`${file}:${index + 1}:${line.indexOf(name!) + 1}: error: {{${name}}} is not a field of ${event}: use ${allowed.map((f) => `{{${f}}}`).join(', ')}`);
      }
    }
  });
  return { file, subject: front.subject.trim(), body: match[2]!.replace(/^\n+/, '') };
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
