import { describe, expect, it } from 'vitest';
import { baseName, formatBytes, isEmptyImport, notTemplateHint, relativeTime, relativeTo, reportName, signed, splitLocation } from './format';

describe('splitLocation', () => {
  const cases: [string, { where: string; text: string } | null][] = [
    ['template.yaml:42: Policies[1]: unknown policy template', { where: 'template.yaml:42', text: 'Policies[1]: unknown policy template' }],
    ['dir/t.yaml:3:7: mapping values are not allowed', { where: 'dir/t.yaml:3', text: 'mapping values are not allowed' }],
    ['no template found in /tmp/x', null],
  ];
  for (const [msg, want] of cases) it(msg, () => expect(splitLocation(msg)).toEqual(want));
});

describe('reportName', () => {
  it('slugs the project name without the template extension', () => {
    expect(reportName('template.yaml', 3, 'pdf')).toBe('template-r3.pdf');
    expect(reportName('Fresh Tracks example: template.yaml', 1, 'pdf')).toBe('fresh-tracks-example-template-r1.pdf');
    expect(reportName('stack.template', 1, 'sarif')).toBe('stack-r1.sarif');
    expect(reportName('::', 2, 'md')).toBe('template-r2.md');
  });
});

describe('paths', () => {
  it('shortens evidence inside the template folder', () => {
    expect(relativeTo('/c/app/template.yaml', '/c/app/template.yaml')).toBe('template.yaml');
    expect(relativeTo('/c/app/src/a.js', '/c/app/template.yaml')).toBe('src/a.js');
    expect(relativeTo('/other/x.yaml', '/c/app/template.yaml')).toBe('/other/x.yaml');
    expect(relativeTo('template.yaml', 'template.yaml')).toBe('template.yaml');
  });
  it('takes base names', () => {
    expect(baseName('/a/b/template.yaml')).toBe('template.yaml');
    expect(baseName('C:\\x\\t.json')).toBe('t.json');
    expect(baseName('t.yaml')).toBe('t.yaml');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  const cases: [string, string][] = [
    ['2026-01-10T11:59:50Z', 'just now'],
    ['2026-01-10T11:55:00Z', '5 min ago'],
    ['2026-01-10T09:00:00Z', '3 hours ago'],
    ['2026-01-09T11:00:00Z', 'yesterday'],
    ['2025-10-01T00:00:00Z', '2025-10-01'],
    ['not a time', 'not a time'],
  ];
  for (const [iso, want] of cases) it(`${iso} -> ${want}`, () => expect(relativeTime(iso, now)).toBe(want));
});

describe('numbers', () => {
  it('formats bytes and signed deltas', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(signed(1200)).toBe('+1,200');
    expect(signed(-5)).toBe('−5');
    expect(signed(0)).toBe('0');
  });
});

describe('notTemplateHint and isEmptyImport', () => {
  it.each([
    ['upload/readme.md:2: template is not a mapping (expected keys such as Resources)', true],
    ['upload/notes.yaml: not a SAM or CloudFormation template: no Resources section', true],
    ['notes.yaml:1: not a template (no Resources)', true],
    ['upload/broken.yaml:2: invalid YAML: did not find expected key', false],
    ['template.yaml:42: Policies[1]: unknown policy template', false],
  ])('%s', (err, want) => {
    expect(notTemplateHint(err) !== '').toBe(want);
  });
  it('an import with neither functions nor resources is empty', () => {
    expect(isEmptyImport({ functions: 0, resources: 0 })).toBe(true);
    expect(isEmptyImport({ functions: 0, resources: 2 })).toBe(false);
    expect(isEmptyImport(undefined)).toBe(false);
  });
});
