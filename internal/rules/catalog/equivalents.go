package catalog

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/catalogs"
)

// Equivalent is one scanner check a rule corresponds to, verified against
// the scanner's own rule source (catalogs/rule_equivalents.yaml).
type Equivalent struct {
	Rule    string `yaml:"rule" json:"rule"`
	Tool    string `yaml:"tool" json:"tool"` // checkov | cfn_nag | cfn-lint
	ID      string `yaml:"id" json:"id"`
	Checks  string `yaml:"checks" json:"checks"`
	Match   string `yaml:"match" json:"match"` // exact | partial
	Differs string `yaml:"differs,omitempty" json:"differs,omitempty"`
}

// Ref is the form rules list equivalents in: tool:id.
func (e Equivalent) Ref() string { return e.Tool + ":" + e.ID }

// Validate checks one entry; messages start with the rule id.
func (e Equivalent) Validate() error {
	var probs []string
	if !builtinIDRe.MatchString(e.Rule) {
		probs = append(probs, fmt.Sprintf("rule %q is not a rule id", e.Rule))
	}
	switch e.Tool {
	case "checkov", "cfn_nag", "cfn-lint":
	default:
		probs = append(probs, fmt.Sprintf("tool %q is not checkov, cfn_nag or cfn-lint", e.Tool))
	}
	if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Checks) == "" {
		probs = append(probs, "id and checks are required")
	}
	switch e.Match {
	case "exact":
	case "partial":
		if strings.TrimSpace(e.Differs) == "" {
			probs = append(probs, e.Ref()+": a partial equivalent says how it differs")
		}
	default:
		probs = append(probs, fmt.Sprintf("%s: match %q is not exact or partial", e.Ref(), e.Match))
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s: %s", e.Rule, strings.Join(probs, "; "))
	}
	return nil
}

var (
	eqOnce sync.Once
	eqList []Equivalent
	eqErr  error
)

// Equivalents returns the checked list (decoded once, strictly).
func Equivalents() ([]Equivalent, error) {
	eqOnce.Do(func() {
		var doc struct {
			Equivalents []Equivalent `yaml:"equivalents"`
		}
		dec := yaml.NewDecoder(bytes.NewReader(catalogs.RuleEquivalentsYAML()))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			eqErr = fmt.Errorf("rule_equivalents.yaml: %w", err)
			return
		}
		seen := map[string]bool{}
		for _, e := range doc.Equivalents {
			if err := e.Validate(); err != nil {
				eqErr = fmt.Errorf("rule_equivalents.yaml: %w", err)
				return
			}
			if k := e.Rule + " " + e.Ref(); seen[k] {
				eqErr = fmt.Errorf("rule_equivalents.yaml: %s: %s listed twice", e.Rule, e.Ref())
				return
			} else {
				seen[k] = true
			}
		}
		eqList = doc.Equivalents
	})
	return eqList, eqErr
}

// EquivalentsOf returns the checked entries of one rule, in list order.
func EquivalentsOf(ruleID string) []Equivalent {
	all, err := Equivalents()
	if err != nil {
		return nil
	}
	var out []Equivalent
	for _, e := range all {
		if e.Rule == ruleID {
			out = append(out, e)
		}
	}
	return out
}
