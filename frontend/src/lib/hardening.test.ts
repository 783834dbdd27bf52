import { describe, expect, it } from 'vitest';
import type { HardeningControl, Model } from '../api/types';
import { smallModel } from '../test/fixtures';
import { checklist, progress } from './hardening';

const control = (rule: string, severity: HardeningControl['severity'], covered: string[], missing: [string, boolean?][]): HardeningControl => ({
  rule,
  title: `${rule} title`,
  owasp: 'S10',
  severity,
  covered,
  missing: missing.map(([resource, suppressed]) => ({
    resource,
    message: `${resource} lacks it`,
    evidence: { file: 'template.yaml', line: 3 },
    fingerprint: `${rule}@${resource}`,
    suppressed,
  })),
});

describe('checklist', () => {
  const m: Model = {
    ...smallModel(),
    hardening: [
      control('SLS-H-3', 'low', ['a'], [['b']]),
      control('SLS-H-1', 'medium', ['a', 'b'], []),
      control('SLS-H-2', 'high', [], [['a'], ['b', true]]),
      control('SLS-H-4', 'low', [], [['c', true]]),
    ],
  };
  it('puts controls with gaps first, most severe first; suppressed gaps do not count', () => {
    const rows = checklist(m);
    expect(rows.map((r) => [r.control.rule, r.gaps, r.suppressed, r.done])).toEqual([
      ['SLS-H-2', 1, 1, false],
      ['SLS-H-3', 1, 0, false],
      ['SLS-H-1', 0, 0, true],
      ['SLS-H-4', 0, 1, true],
    ]);
    expect(progress(rows)).toEqual({ done: 2, total: 4, gaps: 2 });
  });
  it('is empty for models without a checklist', () => {
    expect(checklist(smallModel())).toEqual([]);
    expect(checklist(null)).toEqual([]);
  });
});
