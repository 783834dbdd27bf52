// What the Findings view shows (kept while switching views): grouping and filters.
import { writable } from 'svelte/store';
import type { FindingFilter, GroupBy } from '../lib/findings';

export const groupBy = writable<GroupBy>('owasp');
export const findingFilter = writable<FindingFilter>({ text: '', severities: [], statuses: [], resource: '' });
