// JSON shapes of the workbench API (app/API.md) and of the threat model
// (internal/model/model.go, the contract of `samthreat analyze --format json`).
// They are generated from the Go types into types.gen.ts (`make types`;
// `make lint` fails when it drifts): import them from here. The OWASP and
// STRIDE lists come from the rule catalog.

export * from './types.gen';
