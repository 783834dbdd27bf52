import { describe, expect, it } from 'vitest';
import { smallModel } from '../test/fixtures';
import { countBySeverity, countByStatus, filterFindings, groupFindings } from './findings';

describe('groupFindings', () => {
  const all = filterFindings(smallModel().findings!, {});

  it('orders OWASP groups S1..S10 numerically, not as strings', () => {
    expect(groupFindings(all, 'owasp').map((g) => g.key)).toEqual(['S2', 'S3', 'S5', 'S10']);
  });

  it('orders severity groups from critical to info and counts per group', () => {
    const gs = groupFindings(all, 'severity');
    expect(gs.map((g) => [g.key, g.findings.length])).toEqual([
      ['critical', 1],
      ['high', 2],
      ['medium', 1],
      ['low', 1],
    ]);
  });

  it('sorts findings inside a group by severity then rule', () => {
    const s5 = groupFindings(all, 'owasp').find((g) => g.key === 'S5')!;
    expect(s5.findings.map((f) => f.rule)).toEqual(['SLS-IAM-001', 'SLS-IAM-003']);
    expect(s5.bySeverity).toEqual({ critical: 0, high: 1, medium: 1, low: 0, info: 0 });
    expect(s5.title).toBe('Broken Access Control');
  });
});

describe('filterFindings', () => {
  const fs = smallModel().findings!;
  const cases: { name: string; f: Parameters<typeof filterFindings>[1]; want: string[] }[] = [
    { name: 'hides suppressed by default', f: {}, want: ['SLS-LOG-001', 'SLS-API-001', 'SLS-IAM-001', 'SLS-SEC-001', 'SLS-IAM-003'] },
    { name: 'shows suppressed on request', f: { showSuppressed: true, resource: 'publishToIoT' }, want: ['SLS-IAM-001', 'SLS-SEC-001', 'SLS-FN-003'] },
    { name: 'by severity', f: { severities: ['high', 'critical'] }, want: ['SLS-API-001', 'SLS-IAM-001', 'SLS-SEC-001'] },
    { name: 'by status (untriaged is open)', f: { statuses: ['open'] }, want: ['SLS-LOG-001', 'SLS-API-001', 'SLS-SEC-001', 'SLS-IAM-003'] },
    { name: 'by status mitigated', f: { statuses: ['mitigated'] }, want: ['SLS-IAM-001'] },
    { name: 'text matches owner, case-insensitive', f: { text: 'ANA' }, want: ['SLS-IAM-001'] },
    { name: 'text matches resource', f: { text: 'parsegpx' }, want: ['SLS-LOG-001', 'SLS-IAM-003'] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(filterFindings(fs, c.f).map((x) => x.rule)).toEqual(c.want));
  }
});

describe('counts', () => {
  it('counts by status and severity, leaving suppressed findings out', () => {
    const fs = smallModel().findings!;
    expect(countByStatus(fs)).toEqual({ open: 4, 'needs-investigation': 0, mitigated: 1, accepted: 0, 'false-positive': 0 });
    expect(countBySeverity(fs)).toEqual({ critical: 1, high: 2, medium: 1, low: 1, info: 0 });
    expect(countBySeverity(fs, true)).toEqual({ critical: 1, high: 1, medium: 1, low: 1, info: 0 });
  });
});

describe('STRIDE, needs investigation and severity overrides', () => {
  const fs = () => {
    const m = smallModel().findings!.map((f) => ({ ...f }));
    const by = (rule: string) => m.find((f) => f.rule === rule)!;
    by('SLS-LOG-001').stride = ['Repudiation'];
    by('SLS-API-001').stride = ['Spoofing', 'Elevation of privilege'];
    by('SLS-IAM-001').stride = ['Elevation of privilege'];
    by('SLS-SEC-001').stride = ['Information disclosure'];
    // SLS-IAM-003 has no STRIDE category.
    by('SLS-LOG-001').triage = { status: 'needs-investigation', severity: 'high', due: '2026-12-01', ticket: 'SEC-1' };
    return filterFindings(m, {});
  };

  it('groups by STRIDE in STRIDE order; a finding with two categories is in both', () => {
    const gs = groupFindings(fs(), 'stride');
    expect(gs.map((g) => [g.key, g.findings.map((f) => f.rule)])).toEqual([
      ['Spoofing', ['SLS-API-001']],
      ['Repudiation', ['SLS-LOG-001']],
      ['Information disclosure', ['SLS-SEC-001']],
      ['Elevation of privilege', ['SLS-API-001', 'SLS-IAM-001']],
      ['Unclassified', ['SLS-IAM-003']],
    ]);
  });

  it('grouped by STRIDE and filtered by it, only the chosen groups show', () => {
    const only = ['Elevation of privilege'];
    const gs = groupFindings(filterFindings(fs(), { stride: only }), 'stride', only);
    expect(gs.map((g) => g.key)).toEqual(['Elevation of privilege']);
  });

  it('filters by STRIDE category and finds tickets by text', () => {
    expect(filterFindings(fs(), { stride: ['Elevation of privilege'] }).map((f) => f.rule)).toEqual(['SLS-API-001', 'SLS-IAM-001']);
    expect(filterFindings(fs(), { text: 'sec-1' }).map((f) => f.rule)).toEqual(['SLS-LOG-001']);
  });

  it('counts the override, not the rule severity, and needs-investigation as open', () => {
    const all = fs();
    expect(countBySeverity(all, true)).toEqual({ critical: 1, high: 2, medium: 1, low: 0, info: 0 });
    expect(countByStatus(all)['needs-investigation']).toBe(1);
    expect(groupFindings(all, 'severity').find((g) => g.key === 'low')).toBeUndefined();
    expect(filterFindings(all, { severities: ['high'] }).map((f) => f.rule).sort()).toEqual(['SLS-API-001', 'SLS-IAM-001', 'SLS-LOG-001']);
  });
});
