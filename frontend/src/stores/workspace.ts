// The workspace: projects, their revisions, the revision on screen and its
// analysed model. Opening with no workspace shows the bundled example (the
// backend imports it on first run and says which revision it is).
import { derived, get, writable } from 'svelte/store';
import { api, onEvent } from '../api';
import type { Model, Project, Revision, Status, Triage } from '../api/types';
import { comparison } from './compare';
import { clearDiagram } from './diagram';
import { errorText } from './notify';
import { route, setRouteRevision } from './router';
import { select } from './selection';

export const status = writable<Status | null>(null);
export const projects = writable<Project[]>([]);
/** Revisions per project id, newest first (filled on demand). */
export const revisionsByProject = writable<Record<number, Revision[]>>({});
export const currentRevision = writable<Revision | null>(null);
export const model = writable<Model | null>(null);
export const loading = writable(false);
export const loadError = writable<string | null>(null);
export const ready = writable(false);

export const currentProject = derived([projects, currentRevision], ([ps, r]) =>
  r ? (ps.find((p) => p.id === r.projectId) ?? null) : null,
);
export const currentRevisions = derived([revisionsByProject, currentRevision], ([m, r]) =>
  r ? (m[r.projectId] ?? []) : [],
);

let generation = 0;
let unsubscribe: (() => void) | undefined;

export async function refreshProjects(): Promise<Project[]> {
  const ps = (await api.listProjects()) ?? [];
  projects.set(ps);
  return ps;
}

export async function loadRevisions(projectId: number, force = false): Promise<Revision[]> {
  const cached = get(revisionsByProject)[projectId];
  if (cached && !force) return cached;
  const rs = (await api.revisions(projectId)) ?? [];
  revisionsByProject.update((m) => ({ ...m, [projectId]: rs }));
  return rs;
}

/** Finds a revision by id across projects (workspaces are small). */
export async function findRevision(id: number): Promise<Revision | null> {
  for (const rs of Object.values(get(revisionsByProject))) {
    const r = rs.find((x) => x.id === id);
    if (r) return r;
  }
  const ps = get(projects);
  // The project whose latest revision it is needs one call; otherwise scan.
  const direct = ps.find((p) => p.latest?.id === id);
  for (const p of direct ? [direct, ...ps.filter((q) => q !== direct)] : ps) {
    const r = (await loadRevisions(p.id)).find((x) => x.id === id);
    if (r) return r;
  }
  return null;
}

/** Shows a revision: its model, and its id in the URL. */
export async function openRevision(id: number): Promise<boolean> {
  const gen = ++generation;
  loading.set(true);
  loadError.set(null);
  try {
    const rev = await findRevision(id);
    if (!rev) throw new Error(`revision ${id} is not in this workspace`);
    const m = await api.analysis(id);
    if (gen !== generation) return false;
    currentRevision.set(rev);
    model.set(m);
    setRouteRevision(id);
    await loadRevisions(rev.projectId);
    return true;
  } catch (e) {
    if (gen === generation) loadError.set(errorText(e));
    return false;
  } finally {
    if (gen === generation) loading.set(false);
  }
}

/** Starts the workbench: the revision in the URL, else the example, else the
 * most recent project. */
export async function init(): Promise<void> {
  loading.set(true);
  try {
    const st = await api.status();
    status.set(st);
    const ps = await refreshProjects();
    unsubscribe?.();
    unsubscribe = onEvent<{ projectId: number }>('workspace', (d) => {
      void refreshProjects();
      if (d?.projectId) void loadRevisions(d.projectId, true);
    });
    if (!ps.length) {
      // An empty workspace (every project deleted): nothing to open, no error.
      clearCurrent();
      return;
    }
    const fallbacks = [get(route).rev, st.exampleRevisionId, ps[0]?.latest?.id].filter((x): x is number => !!x);
    for (const id of [...new Set(fallbacks)]) {
      // A stale link or a deleted example: try the next one.
      if (await openRevision(id)) break;
    }
  } catch (e) {
    loadError.set(errorText(e));
  } finally {
    loading.set(false);
    ready.set(true);
  }
}

/** Applies a triage decision to the model on screen (after the backend kept it). */
export function applyTriage(fingerprint: string, t: Triage): void {
  model.update((m) => {
    if (!m?.findings) return m;
    return { ...m, findings: m.findings.map((f) => (f.fingerprint === fingerprint ? { ...f, triage: t } : f)) };
  });
}

/** Nothing on screen: no revision, model, diagram, comparison or selection
 * (after the last project was deleted). */
export function clearCurrent(): void {
  ++generation;
  currentRevision.set(null);
  model.set(null);
  loadError.set(null);
  loading.set(false);
  select(null);
  clearDiagram();
  comparison.update((c) => ({ ...c, result: null, baseLabel: '', otherLabel: '', loading: false, error: null }));
  setRouteRevision(null);
}

/** Deletes a project; when it was on screen, opens the most recent other
 * project, or clears the views when none is left. */
export async function deleteProject(projectId: number): Promise<void> {
  await api.deleteProject(projectId);
  forgetProject(projectId);
  const ps = await refreshProjects();
  if (get(currentRevision)?.projectId !== projectId) return;
  const next = ps[0]?.latest?.id;
  if (next && (await openRevision(next))) return;
  clearCurrent();
}

export async function renameProject(projectId: number, name: string): Promise<void> {
  await api.renameProject(projectId, name);
  await refreshProjects();
}

export function forgetProject(projectId: number): void {
  revisionsByProject.update((m) => {
    const c = { ...m };
    delete c[projectId];
    return c;
  });
}
