// Small display helpers shared by the views.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatInt(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US');
}

/** "3 min ago", "2 days ago", or the date for older times. */
export function relativeTime(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 90) return '1 min ago';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  const d = Math.round(h / 24);
  if (d < 30) return d === 1 ? 'yesterday' : `${d} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}

export function signed(n: number): string {
  if (n > 0) return `+${formatInt(n)}`;
  if (n < 0) return `−${formatInt(-n)}`;
  return '0';
}

export function shortHash(h: string): string {
  return h ? h.slice(0, 10) : '';
}

/** "template.yaml:42" */
export function where(file: string, line?: number): string {
  return line ? `${file}:${line}` : file;
}

/** A file name for a report of a revision, as the backend names it:
 * "Fresh Tracks example: template.yaml", r3, pdf -> "fresh-tracks-example-template-r3.pdf". */
export function reportName(name: string, seq: number, ext: string): string {
  const stem =
    name
      .replace(/\.(ya?ml|json|template)$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'template';
  return `${stem}-r${seq}.${ext}`;
}

export function baseName(p: string): string {
  return p.replace(/\/+$/, '').split(/[\\/]/).pop() ?? p;
}

/** p relative to the folder of the template when it is inside it (evidence
 * in the template or in code beside it), else p unchanged. */
export function relativeTo(p: string, template: string): string {
  const i = Math.max(template.lastIndexOf('/'), template.lastIndexOf('\\'));
  if (i < 0) return p;
  const dir = template.slice(0, i + 1);
  return p.startsWith(dir) ? p.slice(dir.length) : p;
}

/** The file:line prefix of a backend error message, if any ("template.yaml:42: ..."). */
export function splitLocation(msg: string): { where: string; text: string } | null {
  const m = /^(.+?:\d+)(?::\d+)?:\s+(.*)$/.exec(msg);
  return m ? { where: m[1], text: m[2] } : null;
}

/** Says, in words for people, why an import failed when the file is not a
 * SAM or CloudFormation template at all (rather than a broken one), or ''
 * when the error is about something else. */
export function notTemplateHint(error: string): string {
  return /not a (sam|cloudformation|sam or cloudformation)? ?template|no resources|not a mapping|resources section|expected keys such as resources/i.test(error)
    ? 'samthreat reads AWS SAM and CloudFormation templates: YAML or JSON with a Resources section. This file is not one.'
    : '';
}

/** True when an imported revision has nothing in it: no functions and no
 * resources (a file that is not really a template, if the backend took it). */
export function isEmptyImport(figures: { functions: number; resources: number } | undefined): boolean {
  return !!figures && figures.functions === 0 && figures.resources === 0;
}

/** The link of a triage ticket when it is an http(s) URL, else '' (a key
 * such as SEC-123 is shown as text: no tracker URL is configured). */
export function ticketHref(ticket: string): string {
  return /^https?:\/\/[^\s]+$/i.test(ticket.trim()) ? ticket.trim() : '';
}
