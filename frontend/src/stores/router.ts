// The current view and revision live in the location hash (#/findings?rev=3)
// so a reload, or a link, comes back to the same place.
import { writable } from 'svelte/store';

export const VIEWS = ['projects', 'import', 'diagram', 'functions', 'findings', 'compare', 'export', 'hardening'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  rev: number | null;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path, query = ''] = h.split('?');
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'diagram';
  const rev = Number(new URLSearchParams(query).get('rev'));
  return { view, rev: Number.isInteger(rev) && rev > 0 ? rev : null };
}

export function formatHash(r: Route): string {
  return `#/${r.view}${r.rev ? `?rev=${r.rev}` : ''}`;
}

function initial(): Route {
  return typeof location === 'undefined' ? { view: 'diagram', rev: null } : parseHash(location.hash);
}

export const route = writable<Route>(initial());

let current = initial();
route.subscribe((r) => {
  const viewChanged = r.view !== current.view;
  current = r;
  if (typeof location !== 'undefined' && typeof history !== 'undefined') {
    const h = formatHash(r);
    // A new view is a history entry (Back works); a new revision replaces it.
    if (location.hash !== h) {
      if (viewChanged) history.pushState(null, '', h);
      else history.replaceState(null, '', h);
    }
  }
});

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const r = parseHash(location.hash);
    if (r.view !== current.view || r.rev !== current.rev) route.set(r);
  });
}

export function go(view: View): void {
  route.update((r) => ({ ...r, view }));
}

export function setRouteRevision(rev: number | null): void {
  route.update((r) => ({ ...r, rev }));
}
