// The data-flow diagram of the revision on screen: SVG rendered by the
// backend (go-graphviz), optionally with one function's blast radius
// highlighted (focus) or in a collapsed view.
import { get, writable } from 'svelte/store';
import { api } from '../api';
import { errorText } from './notify';

export interface DiagramState {
  revisionId: number | null;
  focus: string;
  collapse: string;
  svg: string;
  loading: boolean;
  error: string | null;
}

export const diagram = writable<DiagramState>({
  revisionId: null,
  focus: '',
  collapse: '',
  svg: '',
  loading: false,
  error: null,
});

const cache = new Map<string, string>();
const CACHE_MAX = 24;
let generation = 0;

export async function loadDiagram(revisionId: number, focus: string, collapse: string): Promise<void> {
  const key = `${revisionId}|${focus}|${collapse}`;
  const gen = ++generation;
  const hit = cache.get(key);
  if (hit !== undefined) {
    diagram.set({ revisionId, focus, collapse, svg: hit, loading: false, error: null });
    return;
  }
  // Another revision's drawing must not stay on screen under this one's name;
  // the same revision's (other focus or view) stays, dimmed, until the new one comes.
  diagram.update((d) => ({ ...d, revisionId, focus, collapse, svg: d.revisionId === revisionId ? d.svg : '', loading: true, error: null }));
  try {
    const svg = await api.diagram(revisionId, focus, collapse);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, svg);
    if (gen === generation) diagram.set({ revisionId, focus, collapse, svg, loading: false, error: null });
  } catch (e) {
    if (gen === generation) diagram.update((d) => ({ ...d, loading: false, error: errorText(e) }));
  }
}

/** Highlights a function's blast radius ('' to clear) on the current revision. */
export function setFocus(focus: string): Promise<void> {
  const d = get(diagram);
  if (d.revisionId === null) {
    diagram.update((x) => ({ ...x, focus }));
    return Promise.resolve();
  }
  return loadDiagram(d.revisionId, focus, d.collapse);
}

export function setCollapse(collapse: string): Promise<void> {
  const d = get(diagram);
  if (d.revisionId === null) {
    diagram.update((x) => ({ ...x, collapse }));
    return Promise.resolve();
  }
  return loadDiagram(d.revisionId, d.focus, collapse);
}

export function clearDiagramCache(): void {
  cache.clear();
}

/** No drawing on screen (no revision open). */
export function clearDiagram(): void {
  generation++;
  diagram.update((d) => ({ ...d, revisionId: null, focus: '', svg: '', loading: false, error: null }));
}
