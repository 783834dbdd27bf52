import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOASTS, dismiss, dismissAll, notify, toasts } from './notify';

afterEach(() => {
  dismissAll();
  vi.useRealTimers();
});

describe('notify', () => {
  it('counts a repeated message instead of adding a toast', () => {
    notify('error', 'Diagram failed', 'graphviz: boom');
    notify('error', 'Diagram failed', 'graphviz: boom');
    notify('error', 'Diagram failed', 'graphviz: boom');
    const l = get(toasts);
    expect(l).toHaveLength(1);
    expect(l[0].count).toBe(3);
  });

  it('keeps different details apart', () => {
    notify('error', 'Not imported', 'a.yaml:1: bad');
    notify('error', 'Not imported', 'b.yaml:2: bad');
    expect(get(toasts).map((t) => t.detail)).toEqual(['a.yaml:1: bad', 'b.yaml:2: bad']);
  });

  it(`shows at most ${MAX_TOASTS}, the newest`, () => {
    for (let i = 0; i < 7; i++) notify('error', `error ${i}`);
    expect(get(toasts).map((t) => t.text)).toEqual(['error 4', 'error 5', 'error 6']);
  });

  it('errors stay, others go after a while; dismiss removes one', () => {
    vi.useFakeTimers();
    const e = notify('error', 'stays');
    notify('info', 'goes');
    vi.advanceTimersByTime(6000);
    expect(get(toasts).map((t) => t.text)).toEqual(['stays']);
    dismiss(e);
    expect(get(toasts)).toEqual([]);
  });
});
