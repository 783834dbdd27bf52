// A revision's stored template text (Template) and the code files its findings
// cite (SourceFile), fetched once, for showing the lines evidence points at.
import { api } from '../api';

const cache = new Map<number, Promise<string[]>>();

export function templateLines(revisionId: number): Promise<string[]> {
  let p = cache.get(revisionId);
  if (!p) {
    p = api.template(revisionId).then((t) => t.split(/\r?\n/));
    p.catch(() => cache.delete(revisionId));
    cache.set(revisionId, p);
  }
  return p;
}

const sources = new Map<string, Promise<string[]>>();

/** A code file cited as evidence (SourceFile), fetched once per revision. */
export function sourceLines(revisionId: number, file: string): Promise<string[]> {
  const key = `${revisionId}|${file}`;
  let p = sources.get(key);
  if (!p) {
    p = api.sourceFile(revisionId, file).then((t) => t.split(/\r?\n/));
    p.catch(() => sources.delete(key));
    sources.set(key, p);
  }
  return p;
}

export interface Excerpt {
  first: number; // line number of lines[0]
  lines: string[];
  mark: number; // the evidence line
}

/** Lines around `line` (1-based), `context` on each side, or null when out of range. */
export function excerpt(lines: string[], line: number, context = 2): Excerpt | null {
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return null;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  return { first, lines: lines.slice(first - 1, last), mark: line };
}
