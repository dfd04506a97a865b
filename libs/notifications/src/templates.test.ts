import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@tenancy/model/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldsOf, NOTICE_EVENTS } from './notice';
import { readTemplate, readTemplates, render, templateProblems, TEMPLATES_DIR } from './templates';

describe('notice templates', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });
  const copy = () => {
    const root = mkdtempSync(join(tmpdir(), 'tenancy-templates-'));
    dirs.push(root);
    cpSync(join(REPO_ROOT, TEMPLATES_DIR), join(root, TEMPLATES_DIR), { recursive: true });
    return root;
  };

  it('the repository has one for every event, each using only its event\'s fields, and each field filled', () => {
    const templates = readTemplates(REPO_ROOT);
    expect([...templates.keys()]).toEqual([...NOTICE_EVENTS]);
    for (const event of NOTICE_EVENTS) {
      const fields = Object.fromEntries(fieldsOf(event).map((f) => [f, `<${f}>`]));
      const { subject, text } = render(templates.get(event)!, fields);
      expect(`${subject}\n${text}`, event).not.toMatch(/\{\{/);
      expect(subject, event).not.toContain('\n');
      expect(`${subject}${text}`, event).toContain('<tenant>');
    }
  });

  it('refuses a placeholder that is not a field of the event, at its line and column, naming the fields it may use', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'upgraded.md'), '---\nsubject: "{{displayName}} upgraded"\n---\nHello,\n  now on {{version}}.\n');
    expect(() => readTemplate(root, 'upgraded')).toThrow('notifications/upgraded.md:5:10: error: {{version}} is not a field of upgraded: use {{tenant}}, {{displayName}}');
  });

  it('finds every problem of every template at once, and none in the repository\'s', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'upgraded.md'), '---\nsubject: "{{who}} upgraded"\n---\n{{version}}\n');
    expect(templateProblems(root).map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual(['2:11 {{who}} is not a field of upgraded', '4:1 {{version}} is not a field of upgraded']);
    expect(templateProblems(REPO_ROOT)).toEqual([]);
  });

  it('refuses a template without front matter or subject, and a missing one', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'onboarded.md'), 'Hello\n');
    expect(() => readTemplate(root, 'onboarded')).toThrow('notifications/onboarded.md:1:1: error: no front matter');
    writeFileSync(join(root, TEMPLATES_DIR, 'onboarded.md'), '---\ntitle: x\n---\nHello\n');
    expect(() => readTemplate(root, 'onboarded')).toThrow('the front matter has no subject');
    rmSync(join(root, TEMPLATES_DIR, 'offboarded.md'));
    expect(() => readTemplates(root)).toThrow('notifications/onboarded.md:2:1: error: the front matter has no subject');
    expect(templateProblems(root).map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`)).toEqual([
      'notifications/onboarded.md:2:1 the front matter has no subject', 'notifications/offboarded.md:1:1 missing',
    ]);
  });

  it('reads a template saved with a byte order mark and CRLF line endings as the same text', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'upgraded.md'), '\uFEFF---\r\nsubject: "{{displayName}} upgraded"\r\n---\r\nNow on {{toVersion}}.\r\n');
    expect(render(readTemplate(root, 'upgraded'), { displayName: 'Acme', toVersion: '2.16.0' })).toEqual({ subject: 'Acme upgraded', text: 'Now on 2.16.0.\n' });
  });

  it('reports a YAML error in the front matter at its line and column, never as an internal error', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'upgraded.md'), '---\nsubject: "{{displayName}} upgraded\n  other: [\n---\nHello\n');
    expect(templateProblems(root).map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`)).toEqual([
      'notifications/upgraded.md:3:11 the front matter is not valid YAML: Missing closing "quote',
    ]);
  });

  it('refuses a template over 64 KiB without reading it', () => {
    const root = copy();
    writeFileSync(join(root, TEMPLATES_DIR, 'upgraded.md'), `---\nsubject: x\n---\n${'x'.repeat(30 * 1024 * 1024)}\n`);
    expect(templateProblems(root).map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual(['1:1 file is 31457300 bytes, over the limit of 65536 bytes']);
  });
});
