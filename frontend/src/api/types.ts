// JSON shapes of the workbench API (app/API.md) and of the threat model
// (internal/model/model.go, the contract of `samthreat analyze --format json`).
// They are generated from the Go types into types.gen.ts (`make types`;
// `make lint` fails when it drifts): import them from here. Only what the
// Go types cannot say is written by hand below.

export * from './types.gen';

/** STRIDE categories as the rule catalog names them, in STRIDE order. */
export const STRIDE = [
  'Spoofing',
  'Tampering',
  'Repudiation',
  'Information disclosure',
  'Denial of service',
  'Elevation of privilege',
] as const;
