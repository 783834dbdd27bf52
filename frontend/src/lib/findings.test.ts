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
    expect(countByStatus(fs)).toEqual({ open: 4, mitigated: 1, accepted: 0, 'false-positive': 0 });
    expect(countBySeverity(fs)).toEqual({ critical: 1, high: 2, medium: 1, low: 1, info: 0 });
    expect(countBySeverity(fs, true)).toEqual({ critical: 1, high: 1, medium: 1, low: 1, info: 0 });
  });
});
