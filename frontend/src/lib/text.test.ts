import { describe, expect, it } from 'vitest';
import { excerpt } from '../stores/template';
import { codeSpans } from './text';

describe('codeSpans', () => {
  const cases: [string, { code: boolean; text: string }[]][] = [
    ['plain', [{ code: false, text: 'plain' }]],
    ['mark `Authorizer: NONE` and a suppression', [
      { code: false, text: 'mark ' },
      { code: true, text: 'Authorizer: NONE' },
      { code: false, text: ' and a suppression' },
    ]],
    ['`a``b`', [{ code: true, text: 'a' }, { code: true, text: 'b' }]],
    ['odd ` backtick', [{ code: false, text: 'odd ` backtick' }]],
    ['`x` then odd `', [{ code: true, text: 'x' }, { code: false, text: ' then odd `' }]],
    ['<b>not html</b>', [{ code: false, text: '<b>not html</b>' }]],
  ];
  for (const [s, want] of cases) it(s, () => expect(codeSpans(s)).toEqual(want));
});

describe('excerpt', () => {
  const lines = ['a', 'b', 'c', 'd', 'e', 'f'];
  it('takes context around the line, clipped at the edges', () => {
    expect(excerpt(lines, 3)).toEqual({ first: 1, lines: ['a', 'b', 'c', 'd', 'e'], mark: 3 });
    expect(excerpt(lines, 1, 1)).toEqual({ first: 1, lines: ['a', 'b'], mark: 1 });
    expect(excerpt(lines, 6, 2)).toEqual({ first: 4, lines: ['d', 'e', 'f'], mark: 6 });
  });
  it('refuses lines outside the text', () => {
    expect(excerpt(lines, 0)).toBeNull();
    expect(excerpt(lines, 7)).toBeNull();
  });
});
