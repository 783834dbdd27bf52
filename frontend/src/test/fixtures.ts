// Small hand-built models for unit tests: every figure below is written by
// hand so the tests check the code's arithmetic and ordering, not a copy of it.
import type { Finding, Model, ModelFunction } from '../api/types';

export function finding(p: Partial<Finding> & Pick<Finding, 'rule' | 'owasp' | 'severity' | 'resource'>): Finding {
  return {
    title: p.rule,
    message: `${p.rule} on ${p.resource}`,
    evidence: [],
    fingerprint: `${p.rule}@${p.resource}`,
    ...p,
  };
}

export function fn(p: Partial<ModelFunction> & Pick<ModelFunction, 'id'>): ModelFunction {
  return { type: 'AWS::Serverless::Function', granted: [], file: 'template.yaml', line: 1, ...p };
}

export function smallModel(): Model {
  return {
    template: 'template.yaml',
    sam: true,
    checksum: 'abc',
    functions: [
      fn({ id: 'publishToIoT', runtime: 'nodejs12.x', complexity: 4, dependencies: 4, resources: 2, blastRadius: 32, blastScore: 40, granted: ['iot:Publish', 'iot:DeleteThing'], used: ['iot:Publish'], unused: ['iot:DeleteThing'], events: [{ name: 'Stream', type: 'DynamoDB', async: true, where: { file: 'template.yaml', line: 20 } }] }),
      fn({ id: 'getActivity', runtime: 'nodejs20.x', complexity: 5, dependencies: 1, resources: 1, blastRadius: 5, blastScore: 10, granted: ['dynamodb:GetItem'], used: ['dynamodb:GetItem'], unused: [], events: [{ name: 'Get', type: 'Api', async: false, where: { file: 'template.yaml', line: 40 } }] }),
      fn({ id: 'parseGPX', runtime: 'python3.12', complexity: 12, dependencies: 2, resources: 3, blastRadius: 72, blastScore: 90, granted: [], used: [], unused: [] }),
    ],
    resources: [],
    clients: [],
    entryPoints: [
      { id: 'GET /activities/{id}', kind: 'route', auth: 'NONE', public: true, function: 'getActivity', source: { file: 'template.yaml', line: 41 } },
    ],
    thirdParties: [],
    edges: [],
    findings: [
      finding({ rule: 'SLS-LOG-001', owasp: 'S10', severity: 'low', resource: 'parseGPX' }),
      finding({ rule: 'SLS-API-001', owasp: 'S2', severity: 'high', resource: 'getActivity' }),
      finding({ rule: 'SLS-IAM-001', owasp: 'S5', severity: 'high', resource: 'publishToIoT', triage: { status: 'mitigated', justification: 'PR 12', owner: 'ana' } }),
      finding({ rule: 'SLS-SEC-001', owasp: 'S3', severity: 'critical', resource: 'publishToIoT' }),
      finding({ rule: 'SLS-FN-003', owasp: 'S9', severity: 'medium', resource: 'publishToIoT', suppressed: true }),
      finding({ rule: 'SLS-IAM-003', owasp: 'S5', severity: 'medium', resource: 'parseGPX' }),
    ],
    summary: { functions: 3, resources: 0, entryPoints: 1, thirdParties: 0, edges: 0, codeFound: 3, codeParsed: 3 },
  };
}
