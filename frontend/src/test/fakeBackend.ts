// A fake Workbench behind the api module's Transport: records calls and
// answers from handlers, so stores are tested exactly as the UI drives them.
import type { Transport } from '../api';

export type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export function fakeTransport(handlers: Record<string, Handler>, mode: 'desktop' | 'web' = 'web') {
  const calls: { method: string; args: unknown[] }[] = [];
  const listeners = new Map<string, ((d: unknown) => void)[]>();
  const transport: Transport = {
    mode,
    async call(method, args) {
      calls.push({ method, args });
      const h = handlers[method];
      if (!h) throw new Error(`fake backend: no handler for ${method}`);
      return await h(...args);
    },
    on(event, cb) {
      listeners.set(event, [...(listeners.get(event) ?? []), cb]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((x) => x !== cb));
    },
  };
  const emit = (event: string, data: unknown) => (listeners.get(event) ?? []).forEach((cb) => cb(data));
  return { transport, calls, emit };
}
