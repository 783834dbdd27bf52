// Export: reports (PDF, Markdown, HTML, SARIF, JSON) and whole-project files,
// with progress and a note of where each file went. On the desktop the
// backend writes the file (Downloads, or a path from the save dialog); in the
// browser the file is downloaded from /api/export.
import { writable } from 'svelte/store';
import { api, downloads, mode, onEvent } from '../api';
import { DIAGRAM_FORMATS, EXPORT_FORMATS, REPORT_SECTIONS } from '../api/types';
import type { DiagramFormat, ExportFormat, ExportOptions, Progress, ReportSection, Revision } from '../api/types';
import { reportName } from '../lib/format';
import { errorText, notify } from './notify';

/** The report formats, from the output-format registry (internal/output, generated). */
export const FORMATS = EXPORT_FORMATS;
/** The diagram formats, from the same registry. */
export { DIAGRAM_FORMATS };

export interface ExportJob {
  id: number;
  label: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number; // 0: unknown
  item: string;
  path?: string; // where the file went
  bytes?: number;
  error?: string;
}

export const jobs = writable<ExportJob[]>([]);
let next = 1;
let listening = false;
let active: number | null = null;

function listen() {
  if (listening) return;
  listening = true;
  onEvent<Progress>('progress', (p) => {
    if (p?.job !== 'export' || active === null) return;
    const id = active;
    jobs.update((l) => l.map((j) => (j.id === id ? { ...j, done: p.done, total: p.total, item: p.item } : j)));
  });
}

function start(label: string): number {
  listen();
  const id = next++;
  active = id;
  jobs.update((l) => [{ id, label, state: 'running' as const, done: 0, total: 0, item: '' }, ...l].slice(0, 12));
  return id;
}

function end(id: number, patch: Partial<ExportJob>) {
  if (active === id) active = null;
  jobs.update((l) => l.map((j) => (j.id === id ? { ...j, ...patch } : j)));
}

/** Browser: fetches url and saves it through a download, reporting progress. */
export async function download(url: string, fallbackName: string, onProgress: (done: number, total: number) => void) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try {
      msg = ((await res.json()) as { error?: string }).error ?? msg;
    } catch {
      /* not JSON */
    }
    throw new Error(msg);
  }
  const total = Number(res.headers.get('Content-Length') ?? 0);
  const cd = res.headers.get('Content-Disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)?.[1] ?? fallbackName;
  const chunks: BlobPart[] = [];
  let done = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      chunks.push(value);
      done += value.length;
      onProgress(done, total);
    }
  } else {
    const b = await res.arrayBuffer();
    chunks.push(b);
    done = b.byteLength;
  }
  const blob = new Blob(chunks, { type: res.headers.get('Content-Type') ?? 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = decodeURIComponent(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  return { name: a.download, bytes: blob.size };
}

/** The report options of the Export view; kept for the session. */
export const NO_OPTIONS: ExportOptions = { title: '', minSeverity: '', excludeAccepted: false, sections: [] };
export const reportOptions = writable<ExportOptions>({ ...NO_OPTIONS });

/** True when opts leave the report as it is by default. */
export function isDefault(opts: ExportOptions): boolean {
  return !opts.title.trim() && !opts.minSeverity && !opts.excludeAccepted && !opts.sections?.length;
}

/** True when the report of opts includes section id (no list: every section). */
export function hasSection(opts: ExportOptions, id: ReportSection): boolean {
  return !opts.sections?.length || opts.sections.includes(id);
}

/** opts with section id included or left out; every section is the empty
 * list (the default report), and the last section cannot be left out. */
export function toggleSection(opts: ExportOptions, id: ReportSection, on: boolean): ExportOptions {
  const kept = REPORT_SECTIONS.map((s) => s.id).filter((s) => (s === id ? on : hasSection(opts, s)));
  if (kept.length === 0) return opts;
  return { ...opts, sections: kept.length === REPORT_SECTIONS.length ? [] : kept };
}

/** Exports a report of rev. askPath (desktop): choose where in a save dialog. */
export async function exportReport(
  rev: Revision,
  projectName: string,
  format: ExportFormat,
  askPath = false,
  opts: ExportOptions = NO_OPTIONS,
): Promise<boolean> {
  const f = FORMATS.find((x) => x.id === format)!;
  const name = reportName(projectName || rev.fileName, rev.seq, f.ext);
  if (mode() === 'desktop') {
    let path = '';
    if (askPath) {
      try {
        path = await api.saveFileDialog(`Save the ${f.label} report`, name);
      } catch (e) {
        notify('error', 'Cannot open the dialog', errorText(e));
        return false;
      }
      if (!path) return false;
    }
    const id = start(`${f.label} report of ${rev.fileName} r${rev.seq}`);
    try {
      const r = isDefault(opts) ? await api.export(rev.id, format, path) : await api.exportWith(rev.id, format, path, opts);
      end(id, { state: 'done', path: r.path, bytes: r.bytes, done: 1, total: 1 });
      notify('success', `${f.label} report saved`, r.path);
      return true;
    } catch (e) {
      end(id, { state: 'failed', error: errorText(e) });
      notify('error', `${f.label} report not saved`, errorText(e));
      return false;
    }
  }
  const id = start(`${f.label} report of ${rev.fileName} r${rev.seq}`);
  try {
    const r = await download(downloads.report(rev.id, format, opts), name, (done, total) =>
      jobs.update((l) => l.map((j) => (j.id === id ? { ...j, done, total } : j))),
    );
    end(id, { state: 'done', path: `browser downloads: ${r.name}`, bytes: r.bytes });
    notify('success', `${f.label} report downloaded`, `${r.name}, in your browser's downloads folder`);
    return true;
  } catch (e) {
    end(id, { state: 'failed', error: errorText(e) });
    notify('error', `${f.label} report failed`, errorText(e));
    return false;
  }
}

/** Exports the whole project (revisions, templates, triage) as one file. */
export async function exportProject(projectId: number, projectName: string, askPath = false): Promise<boolean> {
  const name = `${projectName.replace(/[^\w.-]+/g, '-')}.samthreat.json`;
  if (mode() === 'desktop') {
    let path = '';
    if (askPath) {
      try {
        path = await api.saveFileDialog('Save the project file', name);
      } catch (e) {
        notify('error', 'Cannot open the dialog', errorText(e));
        return false;
      }
      if (!path) return false;
    }
    const id = start(`Project file of ${projectName}`);
    try {
      const r = await api.exportProject(projectId, path);
      end(id, { state: 'done', path: r.path, bytes: r.bytes, done: 1, total: 1 });
      notify('success', 'Project file saved', r.path);
      return true;
    } catch (e) {
      end(id, { state: 'failed', error: errorText(e) });
      notify('error', 'Project file not saved', errorText(e));
      return false;
    }
  }
  const id = start(`Project file of ${projectName}`);
  try {
    const r = await download(downloads.project(projectId), name, (done, total) =>
      jobs.update((l) => l.map((j) => (j.id === id ? { ...j, done, total } : j))),
    );
    end(id, { state: 'done', path: `browser downloads: ${r.name}`, bytes: r.bytes });
    notify('success', 'Project file downloaded', `${r.name}, in your browser's downloads folder`);
    return true;
  } catch (e) {
    end(id, { state: 'failed', error: errorText(e) });
    notify('error', 'Project file failed', errorText(e));
    return false;
  }
}

/** Exports the diagram of rev as SVG or PNG, with the focus and view on screen. */
export async function exportDiagram(
  rev: Revision,
  projectName: string,
  format: DiagramFormat,
  focus: string,
  collapse: string,
  askPath = false,
): Promise<boolean> {
  const label = format.toUpperCase();
  const name = reportName(projectName || rev.fileName, rev.seq, format).replace(new RegExp(`\\.${format}$`), `-diagram.${format}`);
  const what = `${label} diagram of ${rev.fileName} r${rev.seq}${focus ? ` (focus ${focus})` : ''}`;
  if (mode() === 'desktop') {
    let path = '';
    if (askPath) {
      try {
        path = await api.saveFileDialog(`Save the diagram as ${label}`, name);
      } catch (e) {
        notify('error', 'Cannot open the dialog', errorText(e));
        return false;
      }
      if (!path) return false;
    }
    const id = start(what);
    try {
      const r = await api.exportDiagram(rev.id, format, focus, collapse, path);
      end(id, { state: 'done', path: r.path, bytes: r.bytes, done: 1, total: 1 });
      notify('success', `${label} diagram saved`, r.path);
      return true;
    } catch (e) {
      end(id, { state: 'failed', error: errorText(e) });
      notify('error', `${label} diagram not saved`, errorText(e));
      return false;
    }
  }
  const id = start(what);
  try {
    const r = await download(downloads.diagram(rev.id, format, focus, collapse), name, (done, total) =>
      jobs.update((l) => l.map((j) => (j.id === id ? { ...j, done, total } : j))),
    );
    end(id, { state: 'done', path: `browser downloads: ${r.name}`, bytes: r.bytes });
    notify('success', `${label} diagram downloaded`, `${r.name}, in your browser's downloads folder`);
    return true;
  } catch (e) {
    end(id, { state: 'failed', error: errorText(e) });
    notify('error', `${label} diagram failed`, errorText(e));
    return false;
  }
}
