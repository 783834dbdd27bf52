// The OWASP Serverless Top Ten (2017) categories findings are mapped to
// (catalogs/owasp in the Go tree holds the full text).
export const OWASP: { id: string; title: string }[] = [
  { id: 'S1', title: 'Injection' },
  { id: 'S2', title: 'Broken Authentication' },
  { id: 'S3', title: 'Sensitive Data Exposure' },
  { id: 'S4', title: 'XML External Entities (XXE)' },
  { id: 'S5', title: 'Broken Access Control' },
  { id: 'S6', title: 'Security Misconfiguration' },
  { id: 'S7', title: 'Cross-Site Scripting (XSS)' },
  { id: 'S8', title: 'Insecure Deserialization' },
  { id: 'S9', title: 'Using Components with Known Vulnerabilities' },
  { id: 'S10', title: 'Insufficient Logging and Monitoring' },
];

export function owaspTitle(id: string): string {
  return OWASP.find((o) => o.id === id)?.title ?? id;
}

/** S1 < S2 < ... < S10, unknown categories last. */
export function owaspOrder(id: string): number {
  const i = OWASP.findIndex((o) => o.id === id);
  return i < 0 ? OWASP.length : i;
}
