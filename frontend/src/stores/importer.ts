// Import: templates from a path (desktop dialogs, typed path, recent files,
// dropped on the desktop window) or uploaded text (browser file picker, drag
// and drop), and whole-project files.
import { get, writable } from 'svelte/store';
import { api, onEvent } from '../api';
import type { ImportResult, Progress, Project, RecentFile } from '../api/types';
import { errorText, notify } from './notify';
import { forgetProject, openRevision, refreshProjects } from './workspace';

export interface ImportState {
  busy: boolean;
  /** What is being imported, for the progress line. */
  what: string;
  result: ImportResult | null;
}

export const importState = writable<ImportState>({ busy: false, what: '', result: null });
/** The backend's progress while an import runs (folders: one item per template). */
export const importProgress = writable<Progress | null>(null);

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  onEvent<Progress>('progress', (p) => {
    if (p && (p.job === 'import' || p.job === 'analysis') && get(importState).busy) importProgress.set(p);
  });
}
importState.subscribe((s) => {
  if (!s.busy) importProgress.set(null);
});
export const recent = writable<RecentFile[]>([]);

export async function loadRecent(): Promise<void> {
  try {
    recent.set((await api.recentFiles()) ?? []);
  } catch {
    recent.set([]);
  }
}

/** Merges several results (one per uploaded file) into one. */
export function mergeResults(rs: ImportResult[]): ImportResult {
  return {
    imported: rs.flatMap((r) => r.imported ?? []),
    errors: rs.flatMap((r) => r.errors ?? []),
  };
}

async function finish(result: ImportResult): Promise<void> {
  importState.set({ busy: false, what: '', result });
  void loadRecent();
  await refreshProjects();
  for (const i of result.imported ?? []) forgetProject(i.project.id);
  const imported = result.imported ?? [];
  const errors = result.errors ?? [];
  const created = imported.filter((i) => i.created).length;
  if (imported.length) {
    notify(
      'success',
      imported.length === 1
        ? `${imported[0].revision.fileName}: ${imported[0].created ? `revision ${imported[0].revision.seq} added` : 'unchanged, nothing stored'}`
        : `${imported.length} templates imported (${created} new revisions)`,
    );
    // Show the first template imported.
    await openRevision(imported[0].revision.id);
  }
  if (errors.length) notify('error', `${errors.length} template${errors.length > 1 ? 's' : ''} not imported`, errors[0].error);
  if (result.stopped) notify('info', `Import stopped: ${result.remaining ?? 0} template${result.remaining === 1 ? '' : 's'} not read`);
}

/** Stops a running folder import after its current template. */
export async function stopImport(): Promise<void> {
  try {
    await api.cancelImport();
  } catch (e) {
    notify('error', 'Could not stop the import', errorText(e));
  }
}

async function guarded(what: string, f: () => Promise<ImportResult>): Promise<boolean> {
  listen();
  importState.set({ busy: true, what, result: null });
  try {
    const r = await f();
    await finish(r);
    return (r.errors ?? []).length === 0;
  } catch (e) {
    // A single file or upload that fails is the call's error: show it like a folder's.
    importState.set({ busy: false, what: '', result: { imported: [], errors: [{ path: what, error: errorText(e) }] } });
    notify('error', `${what} not imported`, errorText(e));
    return false;
  }
}

export function importPath(path: string): Promise<boolean> {
  const p = path.trim();
  if (!p) return Promise.resolve(false);
  return guarded(p, () => api.importPath(p));
}

export function importPaths(paths: string[]): Promise<boolean> {
  const ps = paths.map((p) => p.trim()).filter(Boolean);
  if (!ps.length) return Promise.resolve(false);
  if (ps.length === 1) return importPath(ps[0]);
  return guarded(`${ps.length} files`, async () => {
    const out: ImportResult[] = [];
    for (const p of ps) {
      try {
        out.push(await api.importPath(p));
      } catch (e) {
        out.push({ imported: [], errors: [{ path: p, error: errorText(e) }] });
      }
    }
    return mergeResults(out);
  });
}

export interface TextFile {
  name: string;
  text: string;
}

/** Uploads (browser file picker or drop): each file's text under its name. */
export function importTexts(files: TextFile[]): Promise<boolean> {
  if (!files.length) return Promise.resolve(false);
  const label = files.length === 1 ? files[0].name : `${files.length} files`;
  return guarded(label, async () => {
    const out: ImportResult[] = [];
    for (const f of files) {
      try {
        if (looksLikeProjectFile(f.text)) {
          const p = await api.importProjectText(f.text);
          const revs = (await api.revisions(p.id)) ?? [];
          out.push({ imported: revs.slice(0, 1).map((revision) => ({ revision, project: p, created: true })), errors: [] });
        } else {
          out.push(await api.importText(f.name, f.text));
        }
      } catch (e) {
        out.push({ imported: [], errors: [{ path: f.name, error: errorText(e) }] });
      }
    }
    return mergeResults(out);
  });
}

/** A project file (ExportProject) is JSON with revisions and triage; a
 * template (even a JSON one) has Resources. */
export function looksLikeProjectFile(text: string): boolean {
  const head = text.slice(0, 4096);
  return /^\s*\{/.test(head) && /"revisions"\s*:/.test(head) && !/"Resources"\s*:/.test(text);
}

async function projectImported(p: Project): Promise<void> {
  await refreshProjects();
  forgetProject(p.id);
  importState.set({ busy: false, what: '', result: null });
  notify('success', `Project ${p.name} imported`, `${p.revisions} revision${p.revisions === 1 ? '' : 's'}`);
  if (p.latest) await openRevision(p.latest.id);
  void loadRecent();
}

function failed(path: string, msg: string, title: string): false {
  importState.set({ busy: false, what: '', result: { imported: [], errors: [{ path, error: msg }] } });
  notify('error', title, msg);
  return false;
}

export async function importProjectPath(path: string): Promise<boolean> {
  importState.set({ busy: true, what: path, result: null });
  try {
    await projectImported(await api.importProject(path));
    return true;
  } catch (e) {
    return failed(path, errorText(e), 'Project not imported');
  }
}

/** Desktop: native dialogs. Returns false when cancelled. */
export async function chooseAndImport(kind: 'file' | 'folder'): Promise<boolean> {
  try {
    const path =
      kind === 'file'
        ? await api.openFileDialog('Open a SAM or CloudFormation template')
        : await api.openFolderDialog('Open a folder of templates');
    if (!path) return false;
    return /\.json$/i.test(path) && kind === 'file' ? importFileMaybeProject(path) : importPath(path);
  } catch (e) {
    notify('error', 'Cannot open the dialog', errorText(e));
    return false;
  }
}

async function importFileMaybeProject(path: string): Promise<boolean> {
  // A .json file may be a template or a project file: try the template first.
  importState.set({ busy: true, what: path, result: null });
  try {
    await finish(await api.importPath(path));
    return true;
  } catch (e) {
    const msg = errorText(e);
    try {
      await projectImported(await api.importProject(path));
      return true;
    } catch {
      return failed(path, msg, `${path} not imported`);
    }
  }
}
