// Grouping, filtering and counting of findings for the Findings view.
import { SEVERITIES, type Finding, type Severity, type TriageStatus } from '../api/types';
import { owaspOrder, owaspTitle } from './owasp';

export type GroupBy = 'owasp' | 'severity';

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
    if (f.severities?.length && !f.severities.includes(x.severity)) return false;
    if (f.statuses?.length && !f.statuses.includes(statusOf(x))) return false;
    if (f.resource && x.resource !== f.resource) return false;
    if (text) {
      const hay = `${x.rule} ${x.title} ${x.resource} ${x.message} ${x.owasp} ${x.triage?.owner ?? ''}`.toLowerCase();
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
    severityRank(a.severity) - severityRank(b.severity) ||
    a.rule.localeCompare(b.rule) ||
    natural(a.resource, b.resource) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

export function groupFindings(list: Finding[], by: GroupBy): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of list) {
    const key = by === 'owasp' ? f.owasp || '?' : f.severity;
    let g = groups.get(key);
    if (!g) {
      const title = by === 'owasp' ? owaspTitle(key) : key[0].toUpperCase() + key.slice(1);
      g = { key, title, findings: [], bySeverity: emptyCounts() };
      groups.set(key, g);
    }
    g.findings.push(f);
    if (f.severity in g.bySeverity) g.bySeverity[f.severity]++;
  }
  const out = [...groups.values()];
  for (const g of out) g.findings.sort(compareFindings);
  out.sort((a, b) =>
    by === 'owasp' ? owaspOrder(a.key) - owaspOrder(b.key) : severityRank(a.key) - severityRank(b.key),
  );
  return out;
}

export function countByStatus(list: Finding[]): Record<TriageStatus, number> {
  const c: Record<TriageStatus, number> = { open: 0, mitigated: 0, accepted: 0, 'false-positive': 0 };
  for (const f of list) if (!f.suppressed) c[statusOf(f)]++;
  return c;
}

export function countBySeverity(list: Finding[], onlyOpen = false): Record<Severity, number> {
  const c = emptyCounts();
  for (const f of list) {
    if (f.suppressed) continue;
    if (onlyOpen && statusOf(f) !== 'open') continue;
    if (f.severity in c) c[f.severity]++;
  }
  return c;
}
