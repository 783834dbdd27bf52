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

/** A file name for a report of a revision, e.g. "template-r3.pdf". */
export function reportName(fileName: string, seq: number, ext: string): string {
  const stem = fileName.replace(/\.(ya?ml|json|template)$/i, '') || 'template';
  return `${stem}-r${seq}.${ext}`;
}

/** The file:line prefix of a backend error message, if any ("template.yaml:42: ..."). */
export function splitLocation(msg: string): { where: string; text: string } | null {
  const m = /^(.+?:\d+)(?::\d+)?:\s+(.*)$/.exec(msg);
  return m ? { where: m[1], text: m[2] } : null;
}
