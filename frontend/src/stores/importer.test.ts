import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import { setTransport } from '../api';
import type { ImportResult, Revision } from '../api/types';
import { fakeTransport } from '../test/fakeBackend';
import { smallModel } from '../test/fixtures';
import { importPath, importState, importTexts, looksLikeProjectFile, mergeResults, stopImport } from './importer';
import { toasts } from './notify';
import { currentRevision } from './workspace';

afterEach(() => setTransport(undefined));

describe('looksLikeProjectFile', () => {
  const cases: [string, string, boolean][] = [
    ['project file', '{"format":"samthreat-project","revisions":[{"template":"..."}]}', true],
    ['JSON template', '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"F":{}}}', false],
    ['YAML template', 'Resources:\n  revisions: 1\n', false],
  ];
  for (const [name, text, want] of cases) it(name, () => expect(looksLikeProjectFile(text)).toBe(want));
});

describe('importTexts', () => {
  it('imports each upload, keeps going after a broken one and opens the first good one', async () => {
    const r: Revision = { id: 5, projectId: 3, seq: 1, sha256: 's', fileName: 'a.yaml', sourcePath: '', imported: '' };
    const b = fakeTransport({
      ImportText: (name: string): ImportResult => {
        if (name === 'bad.yaml') throw new Error('bad.yaml:3: mapping values are not allowed here');
        return { imported: [{ revision: r, project: { id: 3, name: 'a', key: 'upload:a.yaml', created: '', updated: '', revisions: 1, latest: r }, created: true }], errors: [] };
      },
      ListProjects: () => [{ id: 3, name: 'a', key: 'upload:a.yaml', created: '', updated: '', revisions: 1, latest: r }],
      Revisions: () => [r],
      Analysis: () => smallModel(),
      RecentFiles: () => [],
    });
    setTransport(b.transport);
    const ok = await importTexts([{ name: 'bad.yaml', text: 'x: y: z' }, { name: 'a.yaml', text: 'Resources: {}' }]);
    expect(ok).toBe(false);
    const st = get(importState);
    expect(st.busy).toBe(false);
    expect(st.result?.errors).toEqual([{ path: 'bad.yaml', error: 'bad.yaml:3: mapping values are not allowed here' }]);
    expect(st.result?.imported?.map((i) => i.revision.id)).toEqual([5]);
    expect(get(currentRevision)?.id).toBe(5);
    expect(b.calls.filter((c) => c.method === 'ImportText').map((c) => c.args[0])).toEqual(['bad.yaml', 'a.yaml']);
  });
});

describe('mergeResults', () => {
  it('concatenates and tolerates null lists', () => {
    expect(mergeResults([{ imported: null, errors: [{ path: 'a', error: 'e' }] }, { imported: [], errors: null }])).toEqual({
      imported: [],
      errors: [{ path: 'a', error: 'e' }],
    });
  });
});

describe('stopping a folder import', () => {
  it('asks the backend to stop, and says how much was not read', async () => {
    const r: Revision = { id: 7, projectId: 4, seq: 1, sha256: 's', fileName: 'template.yaml', sourcePath: '/x/template.yaml', imported: '' };
    const project = { id: 4, name: 'x', key: '/x/template.yaml', created: '', updated: '', revisions: 1, latest: r };
    const b = fakeTransport({
      ImportPath: (): ImportResult => ({ imported: [{ revision: r, project, created: true }], errors: [], stopped: true, remaining: 2 }),
      CancelImport: () => true,
      ListProjects: () => [project],
      Revisions: () => [r],
      Analysis: () => smallModel(),
      RecentFiles: () => [],
    });
    setTransport(b.transport);
    await stopImport();
    expect(b.calls.map((c) => c.method)).toEqual(['CancelImport']);
    await importPath('/x');
    expect(get(importState).result?.stopped).toBe(true);
    expect(get(toasts).some((t) => t.kind === 'info' && t.text === 'Import stopped: 2 templates not read')).toBe(true);
  });
});
