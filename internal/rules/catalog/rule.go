// Package catalog holds the rules' words: each rule's title, severity,
// OWASP category, description, remediation and proof (catalogs/rules), the
// OWASP Serverless Top Ten categories (catalogs/owasp) and the checked
// scanner equivalents (catalogs/rule_equivalents.yaml). Reports read it
// without the engine (internal/rules), its checks or the OSV client.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
)

// Rule is one catalog entry: the words of a rule (its logic is the check
// registered under Check, by default its own id) and its proof (Bad, Good).
type Rule struct {
	ID       string         `yaml:"id" json:"id"`
	Title    string         `yaml:"title" json:"title"`
	OWASP    string         `yaml:"owasp" json:"owasp"`
	STRIDE   []string       `yaml:"stride" json:"stride"`
	CWE      []string       `yaml:"cwe" json:"cwe,omitempty"`
	Severity model.Severity `yaml:"severity" json:"severity"`
	// Kind says how a hit is shown: a threat (a finding: a risk a reviewer
	// would raise for this application) or a hardening control (baseline
	// hygiene, shown once per application as a checklist row). Empty means
	// threat for user rules; built-in rules must say.
	Kind string `yaml:"kind" json:"kind"`
	// Sensitive says the rule's evidence in the template holds a secret
	// value: its findings mark that evidence sensitive, and every output
	// (internal/redact) masks the lines it points at.
	Sensitive bool `yaml:"sensitive,omitempty" json:"sensitive,omitempty"`
	// AppliesTo lists the resource types a hardening control applies to, so
	// the checklist can say which resources have it (covered), not only which
	// lack it.
	AppliesTo []string `yaml:"applies_to,omitempty" json:"appliesTo,omitempty"`
	// ImpliedBy lists rules whose finding on the same resource already says
	// this one (administrator access implies a wildcard action, privilege
	// escalation, ...): the finding is folded into theirs, so one risk is
	// reported once per resource.
	ImpliedBy   []string `yaml:"implied_by,omitempty" json:"impliedBy,omitempty"`
	Description string   `yaml:"description" json:"description"`
	Why         string   `yaml:"why" json:"why"`
	Remediation string   `yaml:"remediation" json:"remediation"`
	Snippet     string   `yaml:"snippet" json:"snippet,omitempty"` // SAM snippet that fixes it
	// Examples are the fix in the code of a function, by the language
	// internal/code reports (javascript, typescript, python, java, go, ruby,
	// csharp): the report shows the one of the affected functions' language.
	Examples       map[string]string `yaml:"examples,omitempty" json:"examples,omitempty"`
	References     []string          `yaml:"references" json:"references,omitempty"`
	Equivalents    []string          `yaml:"equivalents" json:"equivalents,omitempty"` // checkov:CKV_AWS_45, cfn_nag:F13, cfn-lint:E3505
	FalsePositives string            `yaml:"false_positives" json:"falsePositives,omitempty"`
	// Check is the built-in check a user rule reuses (a rule id, or "property");
	// empty for built-in rules, whose check has their own id.
	Check  string         `yaml:"check,omitempty" json:"check,omitempty"`
	Params map[string]any `yaml:"params,omitempty" json:"params,omitempty"`
	// Files are written next to the examples (code, manifests, OSV records).
	Files map[string]string `yaml:"files,omitempty" json:"-"`
	Bad   string            `yaml:"bad" json:"-"`
	Good  string            `yaml:"good" json:"-"`
	// MoreBad and MoreGood are further examples of the same class (a
	// WebSocket API, a PRIVATE API, a Python handler...): the meta-test runs
	// them like Bad and Good.
	MoreBad  []string `yaml:"more_bad,omitempty" json:"-"`
	MoreGood []string `yaml:"more_good,omitempty" json:"-"`
	// User marks rules loaded from --rules DIR.
	User bool   `yaml:"-" json:"user,omitempty"`
	File string `yaml:"-" json:"-"`
}

// Rule kinds.
const (
	KindThreat    = "threat"
	KindHardening = "hardening"
)

// IsHardening reports whether the rule is a hardening control.
func (r *Rule) IsHardening() bool { return r.Kind == KindHardening }

// STRIDE categories as rules name them.
// STRIDE lists the STRIDE categories as the catalog names them, in STRIDE
// order (the workbench's list is generated from it).
var STRIDE = []string{"Spoofing", "Tampering", "Repudiation", "Information disclosure", "Denial of service", "Elevation of privilege"}

var strideNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range STRIDE {
		m[s] = true
	}
	return m
}()

var (
	builtinIDRe = regexp.MustCompile(`^SLS-[A-Z0-9]{2,5}-\d{3}$`)
	userIDRe    = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)
	owaspRe     = regexp.MustCompile(`^S([1-9]|10)$`)
)

// Validate checks a rule's fields; messages start with the id.
var exampleLanguages = map[string]bool{"javascript": true, "typescript": true, "python": true, "java": true, "go": true, "ruby": true, "csharp": true}

func (r *Rule) Validate() error {
	idRe := builtinIDRe
	if r.User {
		idRe = userIDRe
	}
	var probs []string
	if !idRe.MatchString(r.ID) {
		probs = append(probs, fmt.Sprintf("id %q is not well formed (%s)", r.ID, idRe))
	}
	if strings.TrimSpace(r.Title) == "" {
		probs = append(probs, "no title")
	}
	if !owaspRe.MatchString(r.OWASP) {
		probs = append(probs, fmt.Sprintf("owasp %q is not S1..S10", r.OWASP))
	}
	if !r.Severity.Valid() {
		probs = append(probs, fmt.Sprintf("severity %q is not one of %s", r.Severity, model.SeverityNames()))
	}
	switch r.Kind {
	case KindThreat, KindHardening:
	case "":
		if !r.User {
			probs = append(probs, "kind is required (threat or hardening)")
		}
	default:
		probs = append(probs, fmt.Sprintf("kind %q is not threat or hardening", r.Kind))
	}
	for l := range r.Examples {
		if !exampleLanguages[l] {
			probs = append(probs, fmt.Sprintf("examples: unknown language %q (javascript, typescript, python, java, go, ruby, csharp)", l))
		}
	}
	if len(r.AppliesTo) > 0 && r.Kind != KindHardening {
		probs = append(probs, "applies_to is only for hardening controls")
	}
	for _, t := range r.AppliesTo {
		if !strings.Contains(t, "::") {
			probs = append(probs, fmt.Sprintf("applies_to %q is not a resource type (AWS::Service::Type)", t))
		}
	}
	if len(r.STRIDE) == 0 {
		probs = append(probs, "no stride category")
	}
	for _, s := range r.STRIDE {
		if !strideNames[s] {
			probs = append(probs, fmt.Sprintf("stride %q is not a STRIDE category", s))
		}
	}
	if strings.TrimSpace(r.Description) == "" || strings.TrimSpace(r.Remediation) == "" {
		probs = append(probs, "description and remediation are required")
	}
	if !r.User {
		if strings.TrimSpace(r.Why) == "" || strings.TrimSpace(r.Snippet) == "" || len(r.References) == 0 || len(r.CWE) == 0 {
			probs = append(probs, "why, snippet, references and cwe are required for built-in rules")
		}
		if strings.TrimSpace(r.Bad) == "" || strings.TrimSpace(r.Good) == "" {
			probs = append(probs, "bad and good examples are required")
		}
		if r.Check != "" {
			probs = append(probs, "built-in rules use their own check (no check:)")
		}
	} else if r.Check == "" {
		probs = append(probs, "a user rule names the check it reuses (check: SLS-... or property)")
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s: %s", r.ID, strings.Join(probs, "; "))
	}
	return nil
}

// CheckID is the id of the check that implements the rule.
func (r *Rule) CheckID() string {
	if r.Check != "" {
		return r.Check
	}
	return r.ID
}

// Decode decodes and validates one rule file strictly; user marks a rule
// from --rules DIR.
func Decode(name string, data []byte, user bool) (*Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var r Rule
	if err := dec.Decode(&r); err != nil {
		return nil, yamlErr(name, err)
	}
	r.User, r.File = user, name
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if r.Kind == "" { // user rules: a finding unless they say otherwise
		r.Kind = KindThreat
	}
	if want := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)); !user && want != r.ID {
		return nil, fmt.Errorf("%s: %s: file name and id differ", name, r.ID)
	}
	return &r, nil
}

var (
	catOnce sync.Once
	catalog []*Rule
	catErr  error
)

// Rules returns the built-in rules, sorted by id (decoded once, strictly).
func Rules() ([]*Rule, error) {
	catOnce.Do(func() {
		fsys := catalogs.RulesFS()
		err := fs.WalkDir(fsys, "rules", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			r, err := Decode("catalogs/"+p, data, false)
			if err != nil {
				return err
			}
			catalog = append(catalog, r)
			return nil
		})
		if err != nil {
			catErr = err
			return
		}
		sort.Slice(catalog, func(i, j int) bool { return catalog[i].ID < catalog[j].ID })
		for i := 1; i < len(catalog); i++ {
			if catalog[i].ID == catalog[i-1].ID {
				catErr = fmt.Errorf("%s: defined twice", catalog[i].ID)
			}
		}
	})
	return catalog, catErr
}

var yamlLineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErr turns a YAML decoder error (possibly a list, one per line) into
// one line, file:line: first problem (+N more).
func yamlErr(name string, err error) error {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msgs = te.Errors
	}
	first := strings.TrimSpace(msgs[0])
	more := ""
	if len(msgs) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(msgs)-1)
	}
	if m := yamlLineRe.FindStringSubmatch(first); m != nil {
		return fmt.Errorf("%s:%s: %s%s", name, m[1], m[2], more)
	}
	return fmt.Errorf("%s: %s%s", name, strings.Join(strings.Fields(first), " "), more)
}
