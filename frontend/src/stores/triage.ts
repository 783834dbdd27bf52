// Triage decisions on findings: kept by the backend per (project, fingerprint)
// so a decision follows the finding across revisions.
import { get, writable } from 'svelte/store';
import { api } from '../api';
import type { Severity, TriageChange, TriageStatus } from '../api/types';
import { errorText, notify } from './notify';
import { applyTriage, currentRevision } from './workspace';

export const saving = writable<Record<string, boolean>>({});

/** The details of a decision beyond status, justification and owner. */
export interface TriageDetails {
  due: string; // YYYY-MM-DD or ''
  ticket: string;
  severity: Severity | '';
}

/** Records a decision. Without details (the quick keys), the backend keeps
 * the finding's due date, ticket and severity override; with them, they are
 * set as given. */
export async function setTriage(
  fingerprint: string,
  status: TriageStatus,
  justification: string,
  owner: string,
  details?: TriageDetails,
): Promise<boolean> {
  const rev = get(currentRevision);
  if (!rev) return false;
  saving.update((s) => ({ ...s, [fingerprint]: true }));
  try {
    const rec = details
      ? await api.setTriageDetails(rev.projectId, fingerprint, {
          status,
          justification: justification.trim(),
          owner: owner.trim(),
          due: details.due.trim(),
          ticket: details.ticket.trim(),
          severity: details.severity,
        })
      : await api.setTriage(rev.projectId, fingerprint, status, justification.trim(), owner.trim());
    applyTriage(fingerprint, {
      status: rec.status,
      justification: rec.justification,
      owner: rec.owner,
      ...(rec.due ? { due: rec.due } : {}),
      ...(rec.ticket ? { ticket: rec.ticket } : {}),
      ...(rec.severity ? { severity: rec.severity } : {}),
    });
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
