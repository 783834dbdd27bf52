// Rows of the Functions table: blast radius and its factors per function,
// sorting and filtering.
import type { Finding, Model, ModelFunction } from '../api/types';
import { natural } from './findings';

export interface FunctionRow {
  id: string;
  /** internal/risk's rank (1 = riskiest); Infinity when the model has none. */
  riskRank: number;
  exposure: string;
  runtime: string;
  triggers: string; // distinct event types, comma separated
  isPublic: boolean; // reachable from an unauthenticated entry point
  complexity: number;
  complexityEstimated: boolean;
  dependencies: number;
  resources: number;
  blastRadius: number;
  blastScore: number;
  granted: number;
  used: number;
  unused: number;
  findings: number;
  worst: string; // most severe open finding's severity, '' when none
  fn: ModelFunction;
}

export type SortKey =
  | 'riskRank'
  | 'id'
  | 'runtime'
  | 'triggers'
  | 'complexity'
  | 'dependencies'
  | 'resources'
  | 'blastRadius'
  | 'granted'
  | 'unused'
  | 'findings';

export interface SortState {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface RowFilter {
  text?: string;
  minScore?: number; // blast score 0-100
  onlyUnused?: boolean; // functions with granted-but-unused permissions
  onlyPublic?: boolean;
  onlyFindings?: boolean;
}

const SEV = ['critical', 'high', 'medium', 'low', 'info'];

export function functionRows(m: Model): FunctionRow[] {
  const findings = m.findings ?? [];
  const byRes = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.suppressed) continue;
    const l = byRes.get(f.resource) ?? [];
    l.push(f);
    byRes.set(f.resource, l);
  }
  const publicFns = new Set((m.entryPoints ?? []).filter((e) => e.public).map((e) => e.function));
  return (m.functions ?? []).map((fn) => {
    const fs = byRes.get(fn.id) ?? [];
    const open = fs.filter((f) => (f.triage?.status ?? 'open') === 'open');
    const worst = open.map((f) => f.severity).sort((a, b) => SEV.indexOf(a) - SEV.indexOf(b))[0] ?? '';
    const types = [...new Set((fn.events ?? []).map((e) => e.type))];
    return {
      id: fn.id,
      riskRank: fn.riskRank && fn.riskRank > 0 ? fn.riskRank : Infinity,
      exposure: fn.exposure ?? '',
      runtime: fn.runtime ?? (fn.packageType === 'Image' ? 'image' : ''),
      triggers: types.join(', '),
      isPublic: publicFns.has(fn.id) || fn.functionUrl?.authType === 'NONE',
      complexity: fn.complexity ?? 0,
      complexityEstimated: !!fn.complexityEstimated,
      dependencies: fn.dependencies ?? 0,
      resources: fn.resources ?? 0,
      blastRadius: fn.blastRadius ?? 0,
      blastScore: fn.blastScore ?? 0,
      granted: fn.granted?.length ?? 0,
      used: fn.used?.length ?? 0,
      unused: fn.unused?.length ?? 0,
      findings: fs.length,
      worst,
      fn,
    };
  });
}

export function filterRows(rows: FunctionRow[], f: RowFilter): FunctionRow[] {
  const text = (f.text ?? '').trim().toLowerCase();
  return rows.filter((r) => {
    if (f.minScore && r.blastScore < f.minScore) return false;
    if (f.onlyUnused && r.unused === 0) return false;
    if (f.onlyPublic && !r.isPublic) return false;
    if (f.onlyFindings && r.findings === 0) return false;
    if (text && !`${r.id} ${r.runtime} ${r.triggers}`.toLowerCase().includes(text)) return false;
    return true;
  });
}

export function sortRows(rows: FunctionRow[], s: SortState): FunctionRow[] {
  const mul = s.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[s.key];
    const y = b[s.key];
    if (typeof x === 'number' && typeof y === 'number') {
      // Unranked rows (Infinity) go last whichever the direction.
      if (x === Infinity || y === Infinity) return (x === y ? 0 : x === Infinity ? 1 : -1) || natural(a.id, b.id);
      return (x - y) * mul || natural(a.id, b.id);
    }
    return natural(String(x), String(y)) * mul || natural(a.id, b.id);
  });
}

/** Clicking a column: same column flips direction; a new one starts with the
 * direction that puts the interesting rows first (numbers: largest first). */
export function nextSort(cur: SortState, key: SortKey): SortState {
  if (cur.key === key) return { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  const textual = key === 'id' || key === 'runtime' || key === 'triggers' || key === 'riskRank'; // rank 1 first
  return { key, dir: textual ? 'asc' : 'desc' };
}

/** The default order: internal/risk's ranking, riskiest first; models
 * without it fall back to the blast radius, largest first. */
export function defaultSort(rows: FunctionRow[]): SortState {
  return rows.some((r) => r.riskRank !== Infinity) ? { key: 'riskRank', dir: 'asc' } : { key: 'blastRadius', dir: 'desc' };
}
