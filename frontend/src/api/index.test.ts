import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, downloads, httpTransport, loadBoot, setTransport, wailsTransport } from './index';

function fakeFetch(status: number, body: string) {
  const seen: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { f, seen };
}

describe('httpTransport', () => {
  it('POSTs the arguments as a JSON array and returns result', async () => {
    const { f, seen } = fakeFetch(200, '{"result":{"id":3}}');
    const t = httpTransport('/api', f);
    await expect(t.call('SetTriage', [1, 'fp', 'open', '', ''])).resolves.toEqual({ id: 3 });
    expect(seen[0].url).toBe('/api/Workbench/SetTriage');
    expect(seen[0].init.method).toBe('POST');
    expect((seen[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(seen[0].init.body).toBe('[1,"fp","open","",""]');
  });

  it('maps a missing result (a method without one) to null', async () => {
    const { f } = fakeFetch(200, '{}');
    await expect(httpTransport('/api', f).call('DeleteProject', [1])).resolves.toBeNull();
  });

  it('throws the backend error line with the HTTP status', async () => {
    const { f } = fakeFetch(422, '{"error":"template.yaml:4: bad\\nsecond line"}');
    const err = (await httpTransport('/api', f).call('ImportText', ['t.yaml', 'x']).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('template.yaml:4: bad');
    expect(err.status).toBe(422);
    expect(err.method).toBe('ImportText');
  });

  it('says what failed when the body is not JSON', async () => {
    const { f } = fakeFetch(502, '<html>bad gateway</html>');
    await expect(httpTransport('/api', f).call('Status', [])).rejects.toThrow('Status: HTTP 502');
  });

  it('reports an unreachable server', async () => {
    const f = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(httpTransport('/api', f).call('Status', [])).rejects.toThrow('cannot reach samthreat serve: Failed to fetch');
  });
});

describe('wailsTransport', () => {
  it('calls window.go.app.Workbench.<Method> with the arguments', async () => {
    const seen: unknown[][] = [];
    const t = wailsTransport({ go: { app: { Workbench: { Diagram: async (...a: unknown[]) => (seen.push(a), '<svg/>') } } } });
    await expect(t.call('Diagram', [7, 'publishToIoT', ''])).resolves.toBe('<svg/>');
    expect(seen).toEqual([[7, 'publishToIoT', '']]);
    expect(t.mode).toBe('desktop');
  });

  it('turns a rejected string into an ApiError', async () => {
    const t = wailsTransport({ go: { app: { Workbench: { Analysis: async () => Promise.reject('revision 9 not found') } } } });
    await expect(t.call('Analysis', [9])).rejects.toMatchObject({ name: 'ApiError', message: 'revision 9 not found' });
  });

  it('names a method the binding lacks', async () => {
    await expect(wailsTransport({ go: { app: { Workbench: {} } } }).call('Nope', [])).rejects.toThrow('the desktop app has no method Nope');
  });
});

describe('desktop runtime helpers', () => {
  it('routes file drops, titles and quit through the Wails runtime', async () => {
    const { onDesktopFileDrop, quitDesktop, setTransport, setTitle } = await import('./index');
    const calls: string[] = [];
    let drop: ((x: number, y: number, paths: string[]) => void) | undefined;
    const w = {
      go: { app: { Workbench: {} } },
      runtime: {
        EventsOn: () => () => {},
        OnFileDrop: (cb: typeof drop) => (drop = cb),
        OnFileDropOff: () => calls.push('off'),
        WindowSetTitle: (t: string) => calls.push(`title ${t}`),
        Quit: () => calls.push('quit'),
      },
    };
    (globalThis as unknown as { window: unknown }).window = w;
    try {
      setTransport(wailsTransport(w));
      const got: string[][] = [];
      const off = onDesktopFileDrop((p) => got.push(p));
      drop?.(10, 20, ['/a/template.yaml', '/b']);
      off();
      setTitle('samthreat — x r1');
      expect(quitDesktop()).toBe(true);
      expect(got).toEqual([['/a/template.yaml', '/b']]);
      expect(calls).toEqual(['off', 'title samthreat — x r1', 'quit']);
    } finally {
      setTransport(undefined);
      delete (globalThis as { window?: unknown }).window;
    }
  });

  it('does nothing of the kind in the browser', async () => {
    const { onDesktopFileDrop, quitDesktop, setTransport } = await import('./index');
    setTransport(httpTransport('/api', (async () => new Response('{}')) as unknown as typeof fetch));
    try {
      expect(quitDesktop()).toBe(false);
      const off = onDesktopFileDrop(() => {
        throw new Error('no drops in the browser');
      });
      off();
    } finally {
      setTransport(undefined);
    }
  });
});

// A stand-in for the browser's EventSource that records what the transport does.
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  closed = false;
  handlers = new Map<string, (ev: MessageEvent) => void>();
  constructor(public url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(event: string, h: (ev: MessageEvent) => void) {
    this.handlers.set(event, h);
  }
  close() {
    this.closed = true;
  }
}

describe('httpTransport event stream', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    FakeEventSource.opened = [];
  });

  it('stays closed for short calls, so the page goes network-idle', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { f } = fakeFetch(200, '{"result":1}');
    const t = httpTransport('/api', f);
    t.on('progress', () => {});
    t.on('workspace', () => {});
    await t.call('Status', []);
    await t.call('Analysis', [1]);
    expect(FakeEventSource.opened).toHaveLength(0);
  });

  it('opens for a long job, delivers its events, and closes after it', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    const { f } = fakeFetch(200, '{"result":{"ok":true}}');
    const t = httpTransport('/api', f);
    const got: unknown[] = [];
    t.on('progress', (d) => got.push(d));
    const pending = t.call('ImportPath', ['/tmp/x']);
    expect(FakeEventSource.opened).toHaveLength(1);
    const es = FakeEventSource.opened[0];
    expect(es.url).toBe('/api/events');
    es.handlers.get('progress')!({ data: '{"done":1,"total":2}' } as MessageEvent);
    await pending;
    expect(got).toEqual([{ done: 1, total: 2 }]);
    expect(es.closed).toBe(false); // grace period for the last events
    vi.advanceTimersByTime(2000);
    expect(es.closed).toBe(true);
  });
});

describe('boot answers from index.html', () => {
  it('answers the first call from the page, then asks the server', async () => {
    const calls: string[] = [];
    setTransport({
      mode: 'web',
      call: async (method) => {
        calls.push(method);
        return { from: 'server' };
      },
      on: () => () => {},
    });
    let removed = false;
    const doc = {
      getElementById: (id: string) =>
        id === 'samthreat-boot'
          ? {
              textContent: JSON.stringify([
                { m: 'Status', a: [], r: { from: 'page' } },
                { m: 'Diagram', a: [3, '', ''], r: '<svg/>' },
              ]),
              remove: () => {
                removed = true;
              },
            }
          : null,
    } as unknown as Document;
    loadBoot(doc);
    expect(removed).toBe(true);
    await expect(api.status()).resolves.toEqual({ from: 'page' });
    await expect(api.status()).resolves.toEqual({ from: 'server' });
    await expect(api.diagram(3, 'getActivity', '')).resolves.toEqual({ from: 'server' }); // other arguments
    await expect(api.diagram(3, '', '')).resolves.toBe('<svg/>');
    expect(calls).toEqual(['Status', 'Diagram']);
    setTransport(undefined);
  });

  it('ignores a malformed block', () => {
    const doc = { getElementById: () => ({ textContent: '{not json', remove: () => {} }) } as unknown as Document;
    expect(() => loadBoot(doc)).not.toThrow();
  });
});

describe('download URLs', () => {
  it('a report with no options is the plain URL', () => {
    expect(downloads.report(3, 'pdf')).toBe('/api/export?rev=3&format=pdf');
    expect(downloads.report(3, 'pdf', { title: '  ', minSeverity: '', excludeAccepted: false })).toBe('/api/export?rev=3&format=pdf');
  });
  it('carries the report options', () => {
    expect(downloads.report(3, 'md', { title: 'Design review: Q3 & more', minSeverity: 'high', excludeAccepted: true })).toBe(
      '/api/export?rev=3&format=md&title=Design+review%3A+Q3+%26+more&min=high&accepted=0',
    );
  });
  it('the diagram with its focus and view', () => {
    expect(downloads.diagram(7, 'png', 'publishToIoT', '')).toBe('/api/diagram?rev=7&format=png&focus=publishToIoT');
    expect(downloads.diagram(7, 'svg', '', 'api')).toBe('/api/diagram?rev=7&format=svg&collapse=api');
  });
});
