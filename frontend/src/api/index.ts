// The one module that talks to the backend (app.Workbench, app/API.md).
//
// On the desktop the Wails runtime injects window.go.app.Workbench; in the
// browser the same methods are POST /api/Workbench/<Method> with a JSON array
// of the arguments. Either way a call resolves with the value or throws an
// ApiError carrying the backend's one-line message, so every feature above
// this module is written once. Only stores (src/stores) import it.

import type {
  Comparison,
  DiagramFormat,
  ExportFormat,
  ExportOptions,
  ExportResult,
  ImportResult,
  Model,
  Project,
  RecentFile,
  Revision,
  Status,
  TriageChange,
  TriageInput,
  TriageRecord,
  TriageStatus,
} from './types';

export type Mode = 'desktop' | 'web';

/** An error from the backend: message is one line, with file:line where known. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How calls reach the backend. Tests install a fake with setTransport. */
export interface Transport {
  mode: Mode;
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Subscribe to a backend event; returns the unsubscribe function. */
  on(event: string, cb: (data: unknown) => void): () => void;
}

type WailsMethod = (...args: unknown[]) => Promise<unknown>;
interface WailsWindow {
  go?: { app?: { Workbench?: Record<string, WailsMethod> } };
  runtime?: {
    EventsOn(name: string, cb: (data: unknown) => void): () => void;
    OnFileDrop?(cb: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean): void;
    OnFileDropOff?(): void;
    WindowSetTitle?(title: string): void;
    Quit?(): void;
  };
}

function wailsWindow(): WailsWindow | undefined {
  return typeof window === 'undefined' ? undefined : (window as unknown as WailsWindow);
}

function oneLine(e: unknown): string {
  const s = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return (s || 'unknown error').split('\n')[0];
}

export function wailsTransport(w: WailsWindow): Transport {
  return {
    mode: 'desktop',
    async call(method, args) {
      const fn = w.go?.app?.Workbench?.[method];
      if (typeof fn !== 'function') throw new ApiError(`the desktop app has no method ${method}`, method);
      try {
        return await fn(...args);
      } catch (e) {
        throw new ApiError(oneLine(e), method);
      }
    },
    on(event, cb) {
      return w.runtime ? w.runtime.EventsOn(event, cb) : () => {};
    },
  };
}

// Methods that run long enough to report progress. The event stream is open
// only while one of them runs: a stream left open for the page's lifetime
// keeps the page "loading" for tools that wait for the network to go idle
// (headless browsers dumping the DOM, crawlers), and nothing else needs it.
const LONG_METHODS = new Set(['ImportPath', 'ImportText', 'ImportProject', 'ImportProjectText', 'Export', 'ExportWith', 'ExportDiagram', 'ExportProject', 'CompareMerge']);

export function httpTransport(base = '/api', fetchFn: typeof fetch = (...a) => fetch(...a)): Transport {
  let source: EventSource | undefined;
  let running = 0;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Map<string, Set<(data: unknown) => void>>();

  function attach(es: EventSource, event: string, set: Set<(data: unknown) => void>) {
    es.addEventListener(event, (ev) => {
      let data: unknown = (ev as MessageEvent).data;
      try {
        data = JSON.parse(String(data));
      } catch {
        /* plain text payload */
      }
      for (const l of set) l(data);
    });
  }
  function openStream() {
    if (closeTimer) {
      clearTimeout(closeTimer);
      closeTimer = undefined;
    }
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(`${base}/events`);
    for (const [event, set] of listeners) attach(source, event, set);
  }
  function closeStreamSoon() {
    // a short grace period lets the last progress events arrive
    closeTimer = setTimeout(() => {
      closeTimer = undefined;
      if (running === 0 && source) {
        source.close();
        source = undefined;
      }
    }, 1500);
  }

  return {
    mode: 'web',
    async call(method, args) {
      const long = LONG_METHODS.has(method);
      if (long) {
        running++;
        openStream();
      }
      try {
        let res: Response;
        try {
          res = await fetchFn(`${base}/Workbench/${method}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(args),
            credentials: 'same-origin',
          });
        } catch (e) {
          throw new ApiError(`cannot reach samthreat serve: ${oneLine(e)}`, method);
        }
        let body: { result?: unknown; error?: string } | undefined;
        try {
          body = await res.json();
        } catch {
          body = undefined;
        }
        if (!res.ok || body === undefined || body.error !== undefined) {
          const msg = body?.error ?? `${method}: HTTP ${res.status} ${res.statusText}`;
          throw new ApiError(oneLine(msg), method, res.status);
        }
        return body.result ?? null;
      } finally {
        if (long && --running === 0) closeStreamSoon();
      }
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set<(data: unknown) => void>();
        listeners.set(event, set);
        if (source) attach(source, event, set);
      }
      set.add(cb);
      const s = set;
      return () => s.delete(cb);
    },
  };
}

function detect(): Transport {
  const w = wailsWindow();
  if (w?.runtime && w.go?.app?.Workbench) return wailsTransport(w);
  return httpTransport();
}

let transport: Transport | undefined;

function t(): Transport {
  if (!transport) transport = detect();
  return transport;
}

/** Replace the transport (tests). */
export function setTransport(tr: Transport | undefined): void {
  transport = tr;
}

export function mode(): Mode {
  return t().mode;
}

/** Answers the server put in index.html for the first view (web mode), each
 * used once: the example is drawn without a round trip, so it is on screen by
 * the page's load event. Later calls always go to the server. */
const boot = new Map<string, unknown>();

export function loadBoot(doc: Document | undefined = typeof document === 'undefined' ? undefined : document): void {
  const el = doc?.getElementById('samthreat-boot');
  if (!el?.textContent) return;
  try {
    for (const c of JSON.parse(el.textContent) as { m: string; a: unknown[]; r: unknown }[]) {
      boot.set(bootKey(c.m, c.a), c.r);
    }
  } catch {
    /* a malformed boot block: ask the server instead */
  }
  el.remove();
}

function bootKey(method: string, args: unknown[]): string {
  return method + JSON.stringify(args);
}

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const key = bootKey(method, args);
  if (boot.has(key)) {
    const r = boot.get(key);
    boot.delete(key);
    return r as T;
  }
  return (await t().call(method, args)) as T;
}

export function onEvent<T>(event: 'progress' | 'workspace', cb: (data: T) => void): () => void {
  return t().on(event, cb as (d: unknown) => void);
}

/** Files dropped on the desktop window arrive as paths (Wails OnFileDrop). */
export function onDesktopFileDrop(cb: (paths: string[]) => void): () => void {
  const w = wailsWindow();
  if (t().mode !== 'desktop' || !w?.runtime?.OnFileDrop) return () => {};
  w.runtime.OnFileDrop((_x, _y, paths) => cb(paths), false);
  return () => w.runtime?.OnFileDropOff?.();
}

/** The window title (desktop) or document title (browser): it names what is
 * on screen, and the desktop smoke test waits for it as the sign that the
 * workspace has loaded and rendered. */
export function setTitle(title: string): void {
  if (typeof document !== 'undefined') document.title = title;
  const w = wailsWindow();
  if (t().mode === 'desktop') w?.runtime?.WindowSetTitle?.(title);
}

/** Desktop: quits the app (Ctrl+Q; Linux windows have no menu to do it). */
export function quitDesktop(): boolean {
  const w = wailsWindow();
  if (t().mode !== 'desktop' || !w?.runtime?.Quit) return false;
  w.runtime.Quit();
  return true;
}

/** Browser download URLs (web mode only). */
export const downloads = {
  report: (revisionId: number, format: ExportFormat, opts?: ExportOptions) => {
    const q = new URLSearchParams({ rev: String(revisionId), format });
    if (opts?.title.trim()) q.set('title', opts.title.trim());
    if (opts?.minSeverity) q.set('min', opts.minSeverity);
    if (opts?.excludeAccepted) q.set('accepted', '0');
    if (opts?.sections?.length) q.set('sections', opts.sections.join(','));
    return `/api/export?${q}`;
  },
  diagram: (revisionId: number, format: DiagramFormat, focus: string, collapse: string) => {
    const q = new URLSearchParams({ rev: String(revisionId), format });
    if (focus) q.set('focus', focus);
    if (collapse) q.set('collapse', collapse);
    return `/api/diagram?${q}`;
  },
  project: (projectId: number) => `/api/project?id=${encodeURIComponent(projectId)}`,
};

/** The workbench methods, one wrapper per backend method (app/API.md). */
export const api = {
  version: () => call<string>('Version'),
  status: () => call<Status>('Status'),
  listProjects: () => call<Project[] | null>('ListProjects'),
  revisions: (projectId: number) => call<Revision[] | null>('Revisions', projectId),
  renameProject: (projectId: number, name: string) => call<Project>('RenameProject', projectId, name),
  deleteProject: (projectId: number) => call<null>('DeleteProject', projectId),
  recentFiles: () => call<RecentFile[] | null>('RecentFiles'),

  importPath: (path: string) => call<ImportResult>('ImportPath', path),
  cancelImport: () => call<boolean>('CancelImport'),
  sourceFile: (revisionId: number, file: string) => call<string>('SourceFile', revisionId, file),
  importText: (name: string, text: string) => call<ImportResult>('ImportText', name, text),
  template: (revisionId: number) => call<string>('Template', revisionId),

  analysis: (revisionId: number) => call<Model>('Analysis', revisionId),
  diagram: (revisionId: number, focus: string, collapse: string) =>
    call<string>('Diagram', revisionId, focus, collapse),

  triage: (projectId: number) => call<TriageRecord[] | null>('Triage', projectId),
  setTriage: (projectId: number, fingerprint: string, status: TriageStatus, justification: string, owner: string) =>
    call<TriageRecord>('SetTriage', projectId, fingerprint, status, justification, owner),
  setTriageDetails: (projectId: number, fingerprint: string, input: TriageInput) =>
    call<TriageRecord>('SetTriageDetails', projectId, fingerprint, input),
  triageHistory: (projectId: number, fingerprint: string) =>
    call<TriageChange[] | null>('TriageHistory', projectId, fingerprint),

  compare: (baseRevisionId: number, otherRevisionId: number) =>
    call<Comparison>('Compare', baseRevisionId, otherRevisionId),
  compareMonolith: (revisionId: number) => call<Comparison>('CompareMonolith', revisionId),
  compareMerge: (revisionId: number, functionIds: string[]) =>
    call<Comparison>('CompareMerge', revisionId, functionIds),

  export: (revisionId: number, format: ExportFormat, path: string) =>
    call<ExportResult>('Export', revisionId, format, path),
  exportWith: (revisionId: number, format: ExportFormat, path: string, opts: ExportOptions) =>
    call<ExportResult>('ExportWith', revisionId, format, path, opts),
  exportDiagram: (revisionId: number, format: DiagramFormat, focus: string, collapse: string, path: string) =>
    call<ExportResult>('ExportDiagram', revisionId, format, focus, collapse, path),
  exportProject: (projectId: number, path: string) => call<ExportResult>('ExportProject', projectId, path),
  importProject: (path: string) => call<Project>('ImportProject', path),
  importProjectText: (text: string) => call<Project>('ImportProjectText', text),

  openFileDialog: (title: string) => call<string>('OpenFileDialog', title),
  openFolderDialog: (title: string) => call<string>('OpenFolderDialog', title),
  saveFileDialog: (title: string, defaultName: string) => call<string>('SaveFileDialog', title, defaultName),
};

export type Api = typeof api;
