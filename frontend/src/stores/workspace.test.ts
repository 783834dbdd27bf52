import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../api';
import type { Project, Revision, Status } from '../api/types';
import { fakeTransport } from '../test/fakeBackend';
import { smallModel } from '../test/fixtures';
import { route } from './router';
import { setTriage } from './triage';
import { currentProject, currentRevision, deleteProject, init, loadError, model, openRevision, projects, revisionsByProject } from './workspace';
import { diagram, loadDiagram } from './diagram';
import { select, selected } from './selection';

const rev = (id: number, projectId: number, seq: number): Revision => ({
  id, projectId, seq, sha256: `sha${id}`, fileName: 'template.yaml', sourcePath: '', imported: '2026-01-01T00:00:00Z',
});
const project = (id: number, name: string, latest: Revision): Project => ({
  id, name, key: name, created: '', updated: '', revisions: latest.seq, latest,
});

const status: Status = {
  version: 'test', mode: 'web', workspace: '/tmp/w.db', projects: 2, exampleLoaded: true,
  exampleRevisionId: 11, exampleVariants: { 'template-least-privilege.yaml': 21 },
};

function backend() {
  const revs: Record<number, Revision[]> = { 1: [rev(12, 1, 2), rev(11, 1, 1)], 2: [rev(21, 2, 1)] };
  return fakeTransport({
    Status: () => status,
    ListProjects: () => [project(1, 'example', revs[1][0]), project(2, 'least-privilege', revs[2][0])],
    Revisions: (id: number) => revs[id] ?? [],
    Analysis: (id: number) => {
      if (id === 99) throw new Error('revision 99 not found');
      return { ...smallModel(), checksum: `model-of-${id}` };
    },
    SetTriage: (projectId: number, fp: string, st: string, just: string, owner: string) => ({
      projectId, fingerprint: fp, status: st, justification: just, owner, updated: '',
    }),
  });
}

beforeEach(() => {
  route.set({ view: 'diagram', rev: null });
  revisionsByProject.set({});
  model.set(null);
  currentRevision.set(null);
  loadError.set(null);
});
afterEach(() => setTransport(undefined));

describe('init', () => {
  it('opens the bundled example on a first run', async () => {
    const b = backend();
    setTransport(b.transport);
    await init();
    expect(get(currentRevision)?.id).toBe(11);
    expect(get(model)?.checksum).toBe('model-of-11');
    expect(get(currentProject)?.name).toBe('example');
    expect(get(route).rev).toBe(11);
    expect(get(projects).map((p) => p.id)).toEqual([1, 2]);
  });

  it('opens the revision named in the URL instead', async () => {
    setTransport(backend().transport);
    route.set({ view: 'findings', rev: 21 });
    await init();
    expect(get(currentRevision)?.id).toBe(21);
    expect(get(currentProject)?.name).toBe('least-privilege');
    expect(get(route)).toEqual({ view: 'findings', rev: 21 });
  });

  it('falls back to the example when the URL names a revision that is gone', async () => {
    setTransport(backend().transport);
    route.set({ view: 'diagram', rev: 99 });
    await init();
    expect(get(currentRevision)?.id).toBe(11);
  });

  it('refreshes the project list when the backend says the workspace changed', async () => {
    const b = backend();
    setTransport(b.transport);
    await init();
    const before = b.calls.filter((c) => c.method === 'ListProjects').length;
    b.emit('workspace', { projectId: 2 });
    expect(b.calls.filter((c) => c.method === 'ListProjects').length).toBe(before + 1);
  });
});

describe('deleting projects', () => {
  // A backend whose projects can be deleted, as the real one does.
  function deletable() {
    const revs: Record<number, Revision[]> = { 1: [rev(12, 1, 2), rev(11, 1, 1)], 2: [rev(21, 2, 1)] };
    const alive = new Set([1, 2]);
    const b = fakeTransport({
      Status: () => status,
      ListProjects: () => [project(1, 'example', revs[1][0]), project(2, 'least-privilege', revs[2][0])].filter((p) => alive.has(p.id)),
      Revisions: (id: number) => (alive.has(id) ? revs[id] : []),
      Analysis: (id: number) => {
        if (![...alive].some((p) => revs[p].some((r) => r.id === id))) throw new Error(`revision ${id} not found`);
        return { ...smallModel(), checksum: `model-of-${id}` };
      },
      Diagram: (id: number) => `<svg id="d${id}"/>`,
      DeleteProject: (id: number) => {
        alive.delete(id);
        return null;
      },
    });
    return b;
  }

  it('opens another project when the one on screen goes', async () => {
    setTransport(deletable().transport);
    await init();
    await deleteProject(1);
    expect(get(currentRevision)?.id).toBe(21);
    expect(get(route).rev).toBe(21);
  });

  it('clears every view when the last project goes, and a reload is not an error', async () => {
    setTransport(deletable().transport);
    await init();
    await loadDiagram(11, '', '');
    select('getActivity');
    await deleteProject(2);
    await deleteProject(1);
    expect(get(projects)).toEqual([]);
    expect(get(currentRevision)).toBeNull();
    expect(get(model)).toBeNull();
    expect(get(diagram).svg).toBe('');
    expect(get(selected)).toBeNull();
    expect(get(route).rev).toBeNull();
    expect(get(loadError)).toBeNull();
    // A reload with the old link: still no error, nothing open.
    route.set({ view: 'diagram', rev: 11 });
    await init();
    expect(get(loadError)).toBeNull();
    expect(get(model)).toBeNull();
  });
});

describe('openRevision', () => {
  it('keeps the last request when two race', async () => {
    setTransport(backend().transport);
    await init();
    const [a, b] = await Promise.all([openRevision(12), openRevision(21)]);
    expect([a, b]).toEqual([false, true]);
    expect(get(currentRevision)?.id).toBe(21);
    expect(get(model)?.checksum).toBe('model-of-21');
  });

  it('reports a failure without losing the model on screen', async () => {
    setTransport(backend().transport);
    await init();
    expect(await openRevision(99)).toBe(false);
    expect(get(loadError)).toBe('revision 99 is not in this workspace');
    expect(get(model)?.checksum).toBe('model-of-11');
  });
});

describe('setTriage', () => {
  it('sends the decision for the project on screen and shows it', async () => {
    const b = backend();
    setTransport(b.transport);
    await init();
    const ok = await setTriage('SLS-API-001@getActivity', 'accepted', '  internal API behind VPN  ', ' ana ');
    expect(ok).toBe(true);
    expect(b.calls.at(-1)).toEqual({ method: 'SetTriage', args: [1, 'SLS-API-001@getActivity', 'accepted', 'internal API behind VPN', 'ana'] });
    const f = get(model)!.findings!.find((x) => x.fingerprint === 'SLS-API-001@getActivity')!;
    expect(f.triage).toEqual({ status: 'accepted', justification: 'internal API behind VPN', owner: 'ana' });
  });
});

describe('diagram store', () => {
  it('never shows another revision’s drawing while the new one loads', async () => {
    const { diagram, loadDiagram } = await import('./diagram');
    let release: (s: string) => void = () => {};
    const b = fakeTransport({
      Diagram: (rev: number, focus: string) =>
        rev === 1 && !focus ? '<svg id="one"/>' : new Promise<string>((r) => (release = r)),
    });
    setTransport(b.transport);
    await loadDiagram(1, '', '');
    expect(get(diagram).svg).toBe('<svg id="one"/>');
    // Same revision, other focus: the old drawing stays (dimmed) until the new one.
    const p1 = loadDiagram(1, 'fn', '');
    expect(get(diagram)).toMatchObject({ svg: '<svg id="one"/>', loading: true, focus: 'fn' });
    release('<svg id="one-fn"/>');
    await p1;
    // Another revision: cleared at once.
    const p2 = loadDiagram(2, '', '');
    expect(get(diagram)).toMatchObject({ svg: '', loading: true, revisionId: 2 });
    release('<svg id="two"/>');
    await p2;
    expect(get(diagram)).toMatchObject({ svg: '<svg id="two"/>', loading: false });
  });
});
