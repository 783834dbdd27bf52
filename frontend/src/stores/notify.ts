// Notifications (toasts): what just happened, where a file went, what failed.
import { get, writable } from 'svelte/store';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  detail?: string;
  /** How many times the same message came (shown as ×N instead of a new toast). */
  count: number;
}

/** At most this many toasts are on screen; the oldest goes first. */
export const MAX_TOASTS = 3;

export const toasts = writable<Toast[]>([]);
let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** Shows a toast; errors stay until dismissed, others go after a few
 * seconds. The same message again does not pile up: the toast on screen
 * counts it (and its timer starts again). */
export function notify(kind: ToastKind, text: string, detail?: string): number {
  const same = get(toasts).find((t) => t.kind === kind && t.text === text && (t.detail ?? '') === (detail ?? ''));
  const id = same?.id ?? next++;
  if (same) {
    toasts.update((l) => [...l.filter((t) => t.id !== id), { ...same, count: same.count + 1 }]);
  } else {
    toasts.update((l) => {
      const keep = [...l, { id, kind, text, detail, count: 1 }];
      for (const gone of keep.slice(0, Math.max(0, keep.length - MAX_TOASTS))) clearTimer(gone.id);
      return keep.slice(-MAX_TOASTS);
    });
  }
  clearTimer(id);
  if (kind !== 'error') timers.set(id, setTimeout(() => dismiss(id), kind === 'success' ? 8000 : 5000));
  return id;
}

function clearTimer(id: number): void {
  const t = timers.get(id);
  if (t) clearTimeout(t);
  timers.delete(id);
}

export function dismissAll(): void {
  for (const id of [...timers.keys()]) clearTimer(id);
  toasts.set([]);
}

export function dismiss(id: number): void {
  clearTimer(id);
  toasts.update((l) => l.filter((x) => x.id !== id));
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
