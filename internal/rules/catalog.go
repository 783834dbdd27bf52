package rules

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/rules/catalog"
	"github.com/samthreat/samthreat/internal/safefs"
)

// The rules' words live in internal/rules/catalog (reports read them
// without the engine); these names are the engine's view of them.
type (
	Rule       = catalog.Rule
	Category   = catalog.Category
	Equivalent = catalog.Equivalent
)

// Rule kinds.
const (
	KindThreat    = catalog.KindThreat
	KindHardening = catalog.KindHardening
)

// Catalog returns the built-in rules, sorted by id.
func Catalog() ([]*Rule, error) { return catalog.Rules() }

// OWASP returns the ten categories in order S1..S10.
func OWASP() ([]*Category, error) { return catalog.OWASP() }

// Equivalents returns the checked scanner equivalents.
func Equivalents() ([]Equivalent, error) { return catalog.Equivalents() }

// EquivalentsOf returns the checked entries of one rule, in list order.
func EquivalentsOf(ruleID string) []Equivalent { return catalog.EquivalentsOf(ruleID) }

// LoadUserRules reads every *.yaml/*.yml in dir as a user rule. A user rule
// reuses a built-in check (check: SLS-IAM-004, with params) or asserts a
// property (check: property); its id must not collide with a built-in one.
func LoadUserRules(dir string) ([]*Rule, error) {
	if dir == "" {
		return nil, nil
	}
	fsys, err := safefs.New(dir)
	if err != nil {
		return nil, fmt.Errorf("--rules %s: %s", dir, safefs.Reason(err))
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--rules %s: %s", dir, safefs.Reason(err))
	}
	builtin, err := Catalog()
	if err != nil {
		return nil, err
	}
	taken := map[string]bool{}
	for _, r := range builtin {
		taken[r.ID] = true
	}
	var out []*Rule
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := fsys.ReadFile(p, safefs.Rule)
		if err != nil {
			return nil, fmt.Errorf("--rules: %w", err)
		}
		r, err := catalog.Decode(p, data, true)
		if err != nil {
			return nil, err
		}
		if taken[r.ID] {
			return nil, fmt.Errorf("%s: %s: id already used by another rule", p, r.ID)
		}
		if r.Check != propertyCheck && !taken[r.Check] {
			return nil, fmt.Errorf("%s: %s: check %q is not a built-in rule id or \"property\"", p, r.ID, r.Check)
		}
		if r.Check == propertyCheck {
			if _, err := parseProperty(r.Params); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", p, r.ID, err)
			}
		}
		taken[r.ID] = true
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// DecodeUserRule decodes and validates one user rule file (for tools and
// fuzzing; LoadUserRules also checks ids against the catalog).
func DecodeUserRule(name string, data []byte) (*Rule, error) {
	r, err := catalog.Decode(name, data, true)
	if err != nil {
		return nil, err
	}
	if r.Check == propertyCheck {
		if _, err := parseProperty(r.Params); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, r.ID, err)
		}
	}
	return r, nil
}
