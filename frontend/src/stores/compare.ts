// Compare: two revisions side by side, the application against its
// hypothetical monolith, or a what-if merge of selected functions.
import { writable } from 'svelte/store';
import { api } from '../api';
import type { Comparison } from '../api/types';
import { errorText } from './notify';

export type CompareMode = 'revisions' | 'monolith' | 'merge';

export interface CompareState {
  mode: CompareMode;
  result: Comparison | null;
  /** What BASE and OTHER are, in words, for the headings. */
  baseLabel: string;
  otherLabel: string;
  loading: boolean;
  error: string | null;
}

export const comparison = writable<CompareState>({
  mode: 'revisions',
  result: null,
  baseLabel: '',
  otherLabel: '',
  loading: false,
  error: null,
});

let generation = 0;

async function run(mode: CompareMode, baseLabel: string, otherLabel: string, f: () => Promise<Comparison>) {
  const gen = ++generation;
  comparison.set({ mode, result: null, baseLabel, otherLabel, loading: true, error: null });
  try {
    const result = await f();
    if (gen === generation) comparison.set({ mode, result, baseLabel, otherLabel, loading: false, error: null });
  } catch (e) {
    if (gen === generation) comparison.update((c) => ({ ...c, loading: false, error: errorText(e) }));
  }
}

export function compareRevisions(base: number, other: number, baseLabel: string, otherLabel: string) {
  return run('revisions', baseLabel, otherLabel, () => api.compare(base, other));
}

export function compareMonolith(rev: number, label: string) {
  return run('monolith', `${label} as one monolith`, `${label} as it is`, () => api.compareMonolith(rev));
}

export function compareMerge(rev: number, ids: string[], label: string) {
  return run('merge', `${label} as it is`, `what-if: ${ids.join(' + ')} merged`, () => api.compareMerge(rev, ids));
}

export function resetComparison(mode: CompareMode): void {
  generation++;
  comparison.set({ mode, result: null, baseLabel: '', otherLabel: '', loading: false, error: null });
}
