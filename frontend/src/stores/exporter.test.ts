import { describe, expect, it } from 'vitest';
import { REPORT_SECTIONS } from '../api/types';
import { downloads } from '../api';
import { hasSection, isDefault, NO_OPTIONS, toggleSection } from './exporter';

describe('report sections', () => {
  it('every section by default, and the empty list is the default report', () => {
    for (const s of REPORT_SECTIONS) expect(hasSection(NO_OPTIONS, s.id)).toBe(true);
    expect(isDefault(NO_OPTIONS)).toBe(true);
  });

  it('leaving one out lists the others; putting it back is the default again', () => {
    const without = toggleSection(NO_OPTIONS, 'method', false);
    expect(without.sections).toEqual(REPORT_SECTIONS.map((s) => s.id).filter((id) => id !== 'method'));
    expect(hasSection(without, 'method')).toBe(false);
    expect(isDefault(without)).toBe(false);
    const back = toggleSection(without, 'method', true);
    expect(back.sections).toEqual([]);
    expect(isDefault(back)).toBe(true);
  });

  it('the last section cannot be left out', () => {
    let o = NO_OPTIONS;
    for (const s of REPORT_SECTIONS.slice(1)) o = toggleSection(o, s.id, false);
    expect(o.sections).toEqual([REPORT_SECTIONS[0].id]);
    expect(toggleSection(o, REPORT_SECTIONS[0].id, false)).toBe(o);
  });

  it('the download URL carries the sections', () => {
    const url = downloads.report(7, 'md', { ...NO_OPTIONS, sections: ['summary', 'findings'] });
    expect(new URL(url, 'http://x').searchParams.get('sections')).toBe('summary,findings');
    expect(downloads.report(7, 'md', NO_OPTIONS)).not.toContain('sections');
  });
});
