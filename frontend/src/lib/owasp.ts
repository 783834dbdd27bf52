// The OWASP Serverless Top Ten (2017) categories findings are mapped to,
// generated from catalogs/owasp (`make types`).
import { OWASP } from '../api/types';

export { OWASP };

export function owaspTitle(id: string): string {
  return OWASP.find((o) => o.id === id)?.title ?? id;
}

/** S1 < S2 < ... < S10, unknown categories last. */
export function owaspOrder(id: string): number {
  const i = OWASP.findIndex((o) => o.id === id);
  return i < 0 ? OWASP.length : i;
}
