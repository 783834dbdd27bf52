// JSON shapes of the workbench API (app/API.md) and of the threat model
// (internal/model/model.go, the contract of `samthreat analyze --format json`).
// Keys there are only ever added, so every field the UI does not strictly
// need is optional here.

export interface Source {
  file: string;
  line: number;
  column?: number;
  logicalId?: string;
}

export interface EnvVar {
  name: string;
  value: string;
  kind: string;
  refs?: string[];
  dynamic?: string;
  masked?: boolean;
}

export interface PolicyRef {
  kind: string;
  name?: string;
  params?: Record<string, string>;
  known: boolean;
  source: Source;
}

export interface Statement {
  effect: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  targets?: string[];
  condition?: boolean;
  origin: string;
  source: Source;
}

export interface Grant {
  action: string;
  access: string;
  target: string;
  origin: string;
}

export interface ModelEvent {
  name: string;
  type: string;
  source?: string;
  detail?: string;
  async: boolean;
  condition?: string;
  where: Source;
}

export interface SDKCall {
  service: string;
  method: string;
  actions: string[];
  file: string;
  line: number;
  target?: string;
}

export interface SuggestedPolicy {
  template?: string;
  params?: Record<string, string>;
  statement?: Statement;
  sam: string;
}

export interface Blast {
  complexity: number;
  complexityEstimated?: boolean;
  codeFiles?: string[];
  language?: string;
  codeParsed?: boolean;
  codeNote?: string;
  dependencies: number;
  dependencyNames?: string[];
  importedDependencies?: string[];
  manifest?: string;
  resources: number;
  reachedResources?: string[];
  resourcesByAccess?: Record<string, number>;
  blastRadius: number;
  blastScore: number;
  sdkCalls?: SDKCall[];
  used: string[] | null;
  unused: string[] | null;
  notGranted?: string[];
  suggestedPolicies: SuggestedPolicy[] | null;
}

export interface ModelFunction extends Partial<Blast> {
  /** One ranking of functions by risk (1 = riskiest): the worst open
   * finding's severity plus exposure, ties to the larger blast radius
   * (internal/risk). Absent in models written before it existed. */
  riskRank?: number;
  riskScore?: number;
  exposure?: string; // public | authenticated | private | internal
  worstSeverity?: Severity | '';
  id: string;
  type: string;
  runtime?: string;
  handler?: string;
  codeUri?: string;
  inlineCode?: boolean;
  packageType?: string;
  memorySize?: number;
  timeout?: number;
  environment?: EnvVar[];
  functionUrl?: { authType: string; corsOrigins?: string[] };
  role?: string;
  policies?: PolicyRef[];
  statements?: Statement[];
  grants?: Grant[];
  granted: string[] | null;
  events?: ModelEvent[];
  tracing?: string;
  layers?: string[];
  file: string;
  line: number;
}

export interface Resource {
  id: string;
  type: string;
  kind: string;
  service?: string;
  external?: boolean;
  boundary: string;
  file: string;
  line: number;
}

export interface EntryPoint {
  id: string;
  kind: string;
  api?: string;
  apiType?: string;
  method?: string;
  path?: string;
  auth: string;
  public: boolean;
  function: string;
  source: Source;
}

export interface ThirdParty {
  id: string;
  host?: string;
  url?: string;
  kind: string;
  via?: string;
  functions?: string[];
  source: Source;
}

export interface Edge {
  from: string;
  to: string;
  kind: string;
  access?: string[];
  actions?: string[];
  label?: string;
}

export interface Location {
  file: string;
  line: number;
  snippet?: string;
}

export type TriageStatus = 'open' | 'needs-investigation' | 'mitigated' | 'accepted' | 'false-positive';
export const TRIAGE_STATUSES: TriageStatus[] = ['open', 'needs-investigation', 'mitigated', 'accepted', 'false-positive'];

export interface Triage {
  status: TriageStatus;
  justification?: string;
  owner?: string;
  /** YYYY-MM-DD */
  due?: string;
  /** Issue tracker link (http/https) or key such as SEC-123. */
  ticket?: string;
  /** The reviewer's severity; the rule's stays in Finding.severity. */
  severity?: Severity;
}

/** app.TriageInput: a whole decision (SetTriageDetails). */
export interface TriageInput {
  status: TriageStatus;
  justification: string;
  owner: string;
  due: string;
  ticket: string;
  severity: Severity | '';
}

/** STRIDE categories as the rule catalog names them, in STRIDE order. */
export const STRIDE = [
  'Spoofing',
  'Tampering',
  'Repudiation',
  'Information disclosure',
  'Denial of service',
  'Elevation of privilege',
] as const;

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface Finding {
  rule: string;
  title: string;
  owasp: string;
  stride?: string[];
  severity: Severity;
  resource: string;
  message: string;
  evidence: Location[] | null;
  remediation?: string;
  fingerprint: string;
  suppressed?: boolean;
  suppressReason?: string;
  triage?: Triage;
}

export interface Diagnostic {
  level: string;
  message: string;
  source: Source;
}

export interface Summary {
  functions: number;
  resources: number;
  entryPoints: number;
  thirdParties: number;
  edges: number;
  codeFound: number;
  codeParsed: number;
  attackSurface?: number;
  monolithImpact?: number;
  splitImpact?: number;
  findingsBySeverity?: Record<string, number>;
  findingsByOwasp?: Record<string, number>;
  hardeningControls?: number;
  hardeningGaps?: number;
}

/** model.HardeningControl: one baseline control and the resources that have
 * it or lack it (a checklist row, not a threat). */
export interface HardeningControl {
  rule: string;
  title: string;
  owasp: string;
  severity: Severity;
  covered: string[] | null;
  missing: HardeningGap[] | null;
  remediation?: string;
  extra?: Record<string, string>;
}

export interface HardeningGap {
  resource: string;
  message: string;
  evidence: Location;
  fingerprint: string;
  suppressed?: boolean;
  suppressReason?: string;
}

export interface Model {
  template: string;
  description?: string;
  sam: boolean;
  checksum: string;
  functions: ModelFunction[] | null;
  resources: Resource[] | null;
  entryPoints: EntryPoint[] | null;
  thirdParties: ThirdParty[] | null;
  clients?: { id: string; label: string; boundary: string }[] | null;
  edges: Edge[] | null;
  findings: Finding[] | null;
  diagnostics?: Diagnostic[];
  /** The baseline controls checklist (absent before the threat/hardening split). */
  hardening?: HardeningControl[] | null;
  summary: Summary;
}

// ---- workbench API types (app/types.go) ----

export interface Status {
  version: string;
  mode: 'desktop' | 'web';
  workspace: string;
  projects: number;
  exampleLoaded: boolean;
  exampleRevisionId: number;
  exampleVariants: Record<string, number> | null;
}

export interface Figures {
  template: string;
  functions: number;
  complexity: number;
  dependencies: number;
  resources: number;
  attackSurface: number;
  monolithImpact: number;
  splitImpact: number;
  codeFound: number;
  codeParsed: number;
  findings: number;
}

export interface Revision {
  id: number;
  projectId: number;
  seq: number;
  sha256: string;
  fileName: string;
  sourcePath: string;
  imported: string;
  figures?: Figures;
}

export interface Project {
  id: number;
  name: string;
  key: string;
  created: string;
  updated: string;
  revisions: number;
  latest?: Revision;
}

export interface ImportedRevision {
  revision: Revision;
  project: Project;
  created: boolean;
}

export interface ImportError {
  path: string;
  error: string;
}

export interface ImportResult {
  imported: ImportedRevision[] | null;
  errors: ImportError[] | null;
  /** The user stopped a folder import; `remaining` templates were not read. */
  stopped?: boolean;
  remaining?: number;
}

export interface TriageRecord {
  projectId: number;
  fingerprint: string;
  status: TriageStatus;
  justification: string;
  owner: string;
  updated: string;
  due: string;
  ticket: string;
  severity: Severity | '';
}

export interface TriageChange {
  status: TriageStatus;
  justification: string;
  owner: string;
  changed: string;
  due?: string;
  ticket?: string;
  severity?: Severity;
}

export interface ExportResult {
  path: string;
  format: string;
  bytes: number;
}

export interface RecentFile {
  path: string;
  kind: 'file' | 'folder' | 'project';
  opened: string;
  exists: boolean;
}

export interface Progress {
  job: string;
  done: number;
  total: number;
  item: string;
}

export interface FunctionFigures {
  complexity: number;
  dependencies: number;
  resources: number;
  blastRadius: number;
}

export interface FunctionDelta {
  id: string;
  base?: FunctionFigures;
  other?: FunctionFigures;
  blastRadiusDelta: number;
}

export interface Comparison {
  base: Figures;
  other: Figures;
  ratio: number | null;
  functions: FunctionDelta[] | null;
  findingsAdded: Finding[] | null;
  findingsRemoved: Finding[] | null;
  merged?: string[];
}

export type ExportFormat = 'pdf' | 'md' | 'html' | 'sarif' | 'json';
export type DiagramFormat = 'svg' | 'png';

/** app.ExportOptions: what a report leaves out. The zero value is the full report. */
export interface ExportOptions {
  title: string;
  /** '' keeps every finding. */
  minSeverity: Severity | '';
  /** Leaves out findings triaged as accepted risk or false positive. */
  excludeAccepted: boolean;
}
