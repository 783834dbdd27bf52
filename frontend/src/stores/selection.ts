// What the side panel shows: a node of the diagram (function, resource, entry
// point, third party) picked in the diagram or a table.
import { writable } from 'svelte/store';

export const selected = writable<string | null>(null);

export function select(id: string | null): void {
  selected.set(id);
}
