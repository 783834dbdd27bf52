import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './router';

describe('hash routes', () => {
  const cases: [string, { view: string; rev: number | null }][] = [
    ['', { view: 'diagram', rev: null }],
    ['#/findings', { view: 'findings', rev: null }],
    ['#/findings?rev=12', { view: 'findings', rev: 12 }],
    ['#/nope?rev=3', { view: 'diagram', rev: 3 }],
    ['#/compare?rev=-1', { view: 'compare', rev: null }],
    ['#/export?rev=abc', { view: 'export', rev: null }],
  ];
  for (const [hash, want] of cases) it(hash || '(empty)', () => expect(parseHash(hash)).toEqual(want));

  it('round-trips', () => {
    expect(formatHash({ view: 'functions', rev: 4 })).toBe('#/functions?rev=4');
    expect(parseHash(formatHash({ view: 'functions', rev: 4 }))).toEqual({ view: 'functions', rev: 4 });
    expect(formatHash({ view: 'import', rev: null })).toBe('#/import');
  });
});
