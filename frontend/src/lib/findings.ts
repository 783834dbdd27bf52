// Grouping, filtering and counting of findings for the Findings view.
import { SEVERITIES, STRIDE, type Finding, type Severity, type TriageStatus } from '../api/types';
import { owaspOrder, owaspTitle } from './owasp';

export type GroupBy = 'owasp' | 'severity' | 'stride';

export interface FindingGroup {
  key: string;
  title: string;
  findings: Finding[];
  /** Count per severity inside the group. */
  bySeverity: Record<Severity, number>;
}

export interface FindingFilter {
  text?: string;
  severities?: Severity[]; // empty or undefined: all
  statuses?: TriageStatus[]; // empty or undefined: all
  resource?: string;
  showSuppressed?: boolean;
  stride?: string[]; // STRIDE categories; empty or undefined: all
}

/** The severity that counts: the reviewer's override, else the rule's. */
export function effectiveSeverity(f: Finding): Severity {
  return f.triage?.severity || f.severity;
}

/** A finding's STRIDE categories ("Unclassified" when the rule has none). */
export function strideOf(f: Finding): string[] {
  return f.stride?.length ? f.stride : ['Unclassified'];
}

function strideOrder(key: string): number {
  const i = (STRIDE as readonly string[]).indexOf(key);
  return i < 0 ? STRIDE.length : i;
}

/** Function9 before Function10. */
export function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity);
  return i < 0 ? SEVERITIES.length : i;
}

export function statusOf(f: Finding): TriageStatus {
  return f.triage?.status ?? 'open';
}

export function filterFindings(all: Finding[], f: FindingFilter): Finding[] {
  const text = (f.text ?? '').trim().toLowerCase();
  return all.filter((x) => {
    if (x.suppressed && !f.showSuppressed) return false;
    if (f.severities?.length && !f.severities.includes(effectiveSeverity(x))) return false;
    if (f.stride?.length && !strideOf(x).some((c) => f.stride!.includes(c))) return false;
    if (f.statuses?.length && !f.statuses.includes(statusOf(x))) return false;
    if (f.resource && x.resource !== f.resource) return false;
    if (text) {
      const hay = `${x.rule} ${x.title} ${x.resource} ${x.message} ${x.owasp} ${(x.stride ?? []).join(' ')} ${x.triage?.owner ?? ''} ${x.triage?.ticket ?? ''}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  });
}

function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Most severe first, then rule id, then resource: a stable order for lists. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(effectiveSeverity(a)) - severityRank(effectiveSeverity(b)) ||
    a.rule.localeCompare(b.rule) ||
    natural(a.resource, b.resource) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** Groups findings by OWASP category, severity (the effective one) or
 * STRIDE category; a finding with two STRIDE categories is in both groups
 * (only in those of onlyStride when given). */
export function groupFindings(list: Finding[], by: GroupBy, onlyStride: string[] = []): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of list) {
    let keys = by === 'owasp' ? [f.owasp || '?'] : by === 'stride' ? strideOf(f) : [effectiveSeverity(f)];
    // Filtered by STRIDE and grouped by it: only the groups asked for.
    if (by === 'stride' && onlyStride.length) keys = keys.filter((k) => onlyStride.includes(k));
    for (const key of keys) {
      let g = groups.get(key);
      if (!g) {
        const title = by === 'owasp' ? owaspTitle(key) : by === 'stride' ? key : key[0].toUpperCase() + key.slice(1);
        g = { key, title, findings: [], bySeverity: emptyCounts() };
        groups.set(key, g);
      }
      g.findings.push(f);
      const sev = effectiveSeverity(f);
      if (sev in g.bySeverity) g.bySeverity[sev]++;
    }
  }
  const out = [...groups.values()];
  for (const g of out) g.findings.sort(compareFindings);
  out.sort((a, b) =>
    by === 'owasp'
      ? owaspOrder(a.key) - owaspOrder(b.key)
      : by === 'stride'
        ? strideOrder(a.key) - strideOrder(b.key)
        : severityRank(a.key) - severityRank(b.key),
  );
  return out;
}

export function countByStatus(list: Finding[]): Record<TriageStatus, number> {
  const c: Record<TriageStatus, number> = { open: 0, 'needs-investigation': 0, mitigated: 0, accepted: 0, 'false-positive': 0 };
  for (const f of list) if (!f.suppressed) c[statusOf(f)]++;
  return c;
}

export function countBySeverity(list: Finding[], onlyOpen = false): Record<Severity, number> {
  const c = emptyCounts();
  for (const f of list) {
    if (f.suppressed) continue;
    if (onlyOpen && !isOpen(f)) continue;
    const sev = effectiveSeverity(f);
    if (sev in c) c[sev]++;
  }
  return c;
}

/** Open or needs investigation: nobody has closed it yet. */
export function isOpen(f: Finding): boolean {
  const s = statusOf(f);
  return s === 'open' || s === 'needs-investigation';
}
