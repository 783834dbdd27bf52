// Which keyboard shortcuts may fire where: single-key shortcuts must not
// swallow what the user types, but a focused button, radio, checkbox or
// select (a triage control, say) is no reason to turn them off.

const TEXT_INPUTS = new Set(['', 'text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'week', 'time']);

/** True when keys typed at the target are text (text inputs, textareas,
 * editable content): single-key shortcuts stay off there. */
export function isTextEntry(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA') return true;
  if (el.tagName === 'INPUT') return TEXT_INPUTS.has(((el as HTMLInputElement).getAttribute('type') ?? '').toLowerCase());
  return false;
}

/** True when the target uses arrow keys itself (radios, selects, text
 * entry): list navigation with the arrows stays off there. */
export function usesArrows(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return isTextEntry(el) || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && ['radio', 'range'].includes((el as HTMLInputElement).type));
}
