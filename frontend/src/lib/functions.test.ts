import { describe, expect, it } from 'vitest';
import { smallModel } from '../test/fixtures';
import { defaultSort, filterRows, functionRows, nextSort, sortRows } from './functions';

describe('functionRows', () => {
  const rows = functionRows(smallModel());
  const by = (id: string) => rows.find((r) => r.id === id)!;

  it('derives triggers, public exposure and permission counts', () => {
    expect(by('publishToIoT')).toMatchObject({ triggers: 'DynamoDB', isPublic: false, granted: 2, used: 1, unused: 1 });
    expect(by('getActivity')).toMatchObject({ triggers: 'Api', isPublic: true, granted: 1, unused: 0 });
  });

  it('counts unsuppressed findings and names the worst open one', () => {
    // publishToIoT: critical open, high mitigated, medium suppressed.
    expect(by('publishToIoT')).toMatchObject({ findings: 2, worst: 'critical' });
    expect(by('parseGPX')).toMatchObject({ findings: 2, worst: 'medium' });
  });
});

describe('sortRows', () => {
  const rows = functionRows(smallModel());
  it('sorts numbers numerically in both directions', () => {
    expect(sortRows(rows, { key: 'blastRadius', dir: 'desc' }).map((r) => r.id)).toEqual(['parseGPX', 'publishToIoT', 'getActivity']);
    expect(sortRows(rows, { key: 'complexity', dir: 'asc' }).map((r) => r.id)).toEqual(['publishToIoT', 'getActivity', 'parseGPX']);
  });
  it('sorts text alphabetically and breaks ties by id', () => {
    expect(sortRows(rows, { key: 'id', dir: 'asc' }).map((r) => r.id)).toEqual(['getActivity', 'parseGPX', 'publishToIoT']);
    // unused: 0, 1, 0 -> ties between getActivity and parseGPX resolved by id
    expect(sortRows(rows, { key: 'unused', dir: 'desc' }).map((r) => r.id)).toEqual(['publishToIoT', 'getActivity', 'parseGPX']);
  });
});

describe('natural order', () => {
  it('puts Function9 before Function10', () => {
    const m = smallModel();
    m.functions = ['Function10', 'Function9', 'Function100'].map((id) => ({ ...m.functions![0], id }));
    expect(sortRows(functionRows(m), { key: 'id', dir: 'asc' }).map((r) => r.id)).toEqual(['Function9', 'Function10', 'Function100']);
  });
});

describe('nextSort', () => {
  it('flips the direction on the same column', () => {
    expect(nextSort({ key: 'blastRadius', dir: 'desc' }, 'blastRadius')).toEqual({ key: 'blastRadius', dir: 'asc' });
  });
  it('starts numbers largest first and text A to Z', () => {
    expect(nextSort({ key: 'id', dir: 'asc' }, 'resources')).toEqual({ key: 'resources', dir: 'desc' });
    expect(nextSort({ key: 'resources', dir: 'desc' }, 'runtime')).toEqual({ key: 'runtime', dir: 'asc' });
  });
});

describe('filterRows', () => {
  const rows = functionRows(smallModel());
  const cases: [string, Parameters<typeof filterRows>[1], string[]][] = [
    ['no filter', {}, ['publishToIoT', 'getActivity', 'parseGPX']],
    ['min score 40', { minScore: 40 }, ['publishToIoT', 'parseGPX']],
    ['unused permissions', { onlyUnused: true }, ['publishToIoT']],
    ['public', { onlyPublic: true }, ['getActivity']],
    ['with findings', { onlyFindings: true }, ['publishToIoT', 'getActivity', 'parseGPX']],
    ['text on runtime', { text: 'python' }, ['parseGPX']],
    ['text on trigger', { text: 'dynamodb' }, ['publishToIoT']],
  ];
  for (const [name, f, want] of cases) it(name, () => expect(filterRows(rows, f).map((r) => r.id)).toEqual(want));
});

describe('risk ranking', () => {
  const rows = () => {
    const m = smallModel();
    const rank: Record<string, number> = { parseGPX: 2, publishToIoT: 1 };
    m.functions = m.functions!.map((f) => ({ ...f, riskRank: rank[f.id], exposure: f.id === 'publishToIoT' ? 'public' : 'internal' }));
    return functionRows(m);
  };
  it('is the default order, riskiest first, unranked functions last', () => {
    const rs = rows();
    const s = defaultSort(rs);
    expect(s).toEqual({ key: 'riskRank', dir: 'asc' });
    const ids = sortRows(rs, s).map((r) => r.id);
    expect(ids.slice(0, 2)).toEqual(['publishToIoT', 'parseGPX']);
    // Unranked last also when the direction flips.
    const desc = sortRows(rs, { key: 'riskRank', dir: 'desc' }).map((r) => r.riskRank);
    expect(desc.slice(0, 2)).toEqual([2, 1]);
    expect(desc.slice(2).every((r) => r === Infinity)).toBe(true);
  });
  it('falls back to the blast radius for models without a ranking', () => {
    expect(defaultSort(functionRows(smallModel()))).toEqual({ key: 'blastRadius', dir: 'desc' });
  });
});
