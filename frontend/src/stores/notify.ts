// Notifications (toasts): what just happened, where a file went, what failed.
import { writable } from 'svelte/store';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  detail?: string;
}

export const toasts = writable<Toast[]>([]);
let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** Shows a toast; errors stay until dismissed, others go after a few seconds. */
export function notify(kind: ToastKind, text: string, detail?: string): number {
  const id = next++;
  toasts.update((l) => [...l.slice(-4), { id, kind, text, detail }]);
  if (kind !== 'error') timers.set(id, setTimeout(() => dismiss(id), kind === 'success' ? 8000 : 5000));
  return id;
}

export function dismiss(id: number): void {
  const t = timers.get(id);
  if (t) clearTimeout(t);
  timers.delete(id);
  toasts.update((l) => l.filter((x) => x.id !== id));
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
