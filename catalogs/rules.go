package catalogs

import "embed"

// The rule catalog (one YAML per rule), the OWASP Serverless Top Ten mapping
// and the Lambda runtime deprecation dates, read by internal/rules.

//go:embed rules/*.yaml
var rulesFS embed.FS

//go:embed owasp/*.yaml
var owaspFS embed.FS

//go:embed runtimes.yaml
var runtimesYAML []byte

//go:embed rule_equivalents.yaml
var ruleEquivalentsYAML []byte

// RulesFS holds rules/<ID>.yaml.
func RulesFS() embed.FS { return rulesFS }

// OWASPFS holds owasp/<S1..S10>.yaml.
func OWASPFS() embed.FS { return owaspFS }

// RuntimesYAML is the Lambda runtime deprecation catalog.
func RuntimesYAML() []byte { return runtimesYAML }

// RuleEquivalentsYAML is the checked list of scanner checks the rules
// correspond to (tool, id, what it checks, exact or partial).
func RuleEquivalentsYAML() []byte { return ruleEquivalentsYAML }
