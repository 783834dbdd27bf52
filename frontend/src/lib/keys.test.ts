// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { isTextEntry, usesArrows } from './keys';

function el(html: string): HTMLElement {
  const d = document.createElement('div');
  d.innerHTML = html;
  return d.firstElementChild as HTMLElement;
}

describe('isTextEntry and usesArrows', () => {
  const cases: [string, boolean, boolean][] = [
    ['<input>', true, true],
    ['<input type="text">', true, true],
    ['<input type="search">', true, true],
    ['<input type="date">', true, true],
    ['<textarea></textarea>', true, true],
    ['<input type="radio">', false, true],
    ['<input type="checkbox">', false, false],
    ['<select><option>a</option></select>', false, true],
    ['<button>x</button>', false, false],
    ['<div tabindex="0"></div>', false, false],
  ];
  for (const [html, text, arrows] of cases) {
    it(html, () => {
      expect(isTextEntry(el(html))).toBe(text);
      expect(usesArrows(el(html))).toBe(arrows);
    });
  }
  it('null and non-elements', () => {
    expect(isTextEntry(null)).toBe(false);
    expect(usesArrows(window)).toBe(false);
  });
});
