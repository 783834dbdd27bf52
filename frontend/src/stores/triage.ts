// Triage decisions on findings: kept by the backend per (project, fingerprint)
// so a decision follows the finding across revisions.
import { get, writable } from 'svelte/store';
import { api } from '../api';
import type { TriageChange, TriageStatus } from '../api/types';
import { errorText, notify } from './notify';
import { applyTriage, currentRevision } from './workspace';

export const saving = writable<Record<string, boolean>>({});

export async function setTriage(
  fingerprint: string,
  status: TriageStatus,
  justification: string,
  owner: string,
): Promise<boolean> {
  const rev = get(currentRevision);
  if (!rev) return false;
  saving.update((s) => ({ ...s, [fingerprint]: true }));
  try {
    const rec = await api.setTriage(rev.projectId, fingerprint, status, justification.trim(), owner.trim());
    applyTriage(fingerprint, { status: rec.status, justification: rec.justification, owner: rec.owner });
    return true;
  } catch (e) {
    notify('error', 'Triage not saved', errorText(e));
    return false;
  } finally {
    saving.update((s) => {
      const c = { ...s };
      delete c[fingerprint];
      return c;
    });
  }
}

export async function history(fingerprint: string): Promise<TriageChange[]> {
  const rev = get(currentRevision);
  if (!rev) return [];
  return (await api.triageHistory(rev.projectId, fingerprint)) ?? [];
}
