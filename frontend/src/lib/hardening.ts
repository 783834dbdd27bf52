// The hardening checklist (model.Hardening): baseline controls per
// application, with the resources that have them and those that lack them.
import type { HardeningControl, Model } from '../api/types';
import { severityRank } from './findings';

export interface ChecklistRow {
  control: HardeningControl;
  covered: number;
  gaps: number; // resources lacking it (suppressed ones left out)
  suppressed: number;
  done: boolean; // no gap left
}

/** Rows with gaps first (most severe control first), then the controls every
 * resource has; ties by rule id. */
export function checklist(m: Model | null): ChecklistRow[] {
  const rows = (m?.hardening ?? []).map((c) => {
    const missing = c.missing ?? [];
    const suppressed = missing.filter((g) => g.suppressed).length;
    const gaps = missing.length - suppressed;
    return { control: c, covered: (c.covered ?? []).length, gaps, suppressed, done: gaps === 0 };
  });
  return rows.sort(
    (a, b) =>
      Number(a.done) - Number(b.done) ||
      severityRank(a.control.severity) - severityRank(b.control.severity) ||
      a.control.rule.localeCompare(b.control.rule),
  );
}

/** How far the application is: controls fully in place, and gaps left. */
export function progress(rows: ChecklistRow[]): { done: number; total: number; gaps: number } {
  return { done: rows.filter((r) => r.done).length, total: rows.length, gaps: rows.reduce((n, r) => n + r.gaps, 0) };
}
