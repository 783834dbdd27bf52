import { afterEach, describe, expect, it } from 'vitest';
import { setTransport } from '../api';
import { fakeTransport } from '../test/fakeBackend';
import { excerpt, sourceLines } from './template';

afterEach(() => setTransport(undefined));

describe('sourceLines', () => {
  it('fetches a cited code file once per revision and file, and retries after a failure', async () => {
    let fail = true;
    const b = fakeTransport({
      SourceFile: (rev: number, file: string) => {
        if (file === '/app/src/flaky.js' && fail) {
          fail = false;
          throw new Error('/app/src/flaky.js: no such file');
        }
        return `// ${rev}\nconst xml2js = require('xml2js');\nparse(body);`;
      },
    });
    setTransport(b.transport);
    const lines = await sourceLines(3, '/app/src/parseGPX.js');
    expect(excerpt(lines, 2, 1)).toEqual({ first: 1, lines: ['// 3', "const xml2js = require('xml2js');", 'parse(body);'], mark: 2 });
    await sourceLines(3, '/app/src/parseGPX.js');
    await sourceLines(4, '/app/src/parseGPX.js');
    expect(b.calls.map((c) => c.args)).toEqual([
      [3, '/app/src/parseGPX.js'],
      [4, '/app/src/parseGPX.js'],
    ]);
    await expect(sourceLines(3, '/app/src/flaky.js')).rejects.toThrow('no such file');
    await expect(sourceLines(3, '/app/src/flaky.js')).resolves.toHaveLength(3);
  });
});
