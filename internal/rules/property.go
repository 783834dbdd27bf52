package rules

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules/checks"
	"github.com/samthreat/samthreat/internal/sam"
)

// propertyCheck is the one generic check user rules can use: an assertion on
// one property of every resource of some types. It is deliberately small
// (present, absent, equals, one of): logic beyond that belongs in Go.
const propertyCheck = "property"

type propertyAssertion struct {
	Types  []string
	Path   []string
	Expect string // present | absent | equals | not-equals | one-of
	Values []string
}

func parseProperty(params map[string]any) (*propertyAssertion, error) {
	a := &propertyAssertion{}
	list := func(k string) []string {
		switch v := params[k].(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, x := range v {
				out = append(out, fmt.Sprint(x))
			}
			return out
		}
		return nil
	}
	a.Types = list("types")
	if p, _ := params["path"].(string); p != "" {
		a.Path = strings.Split(p, ".")
	}
	a.Expect, _ = params["expect"].(string)
	a.Values = list("values")
	if v, ok := params["value"]; ok {
		a.Values = append(a.Values, fmt.Sprint(v))
	}
	switch {
	case len(a.Types) == 0:
		return nil, fmt.Errorf("property check: params.types is required")
	case len(a.Path) == 0:
		return nil, fmt.Errorf("property check: params.path is required (dotted, e.g. VersioningConfiguration.Status)")
	}
	switch a.Expect {
	case "present", "absent":
	case "equals", "not-equals", "one-of":
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("property check: expect %s needs value or values", a.Expect)
		}
	default:
		return nil, fmt.Errorf("property check: expect %q is not present, absent, equals, not-equals or one-of", a.Expect)
	}
	return a, nil
}

// run reports the resources whose property breaks the assertion.
func (a *propertyAssertion) run(m *model.Model, t *sam.Template) []checks.Hit {
	if t == nil {
		return nil
	}
	path := strings.Join(a.Path, ".")
	var hits []checks.Hit
	for _, r := range t.Resources {
		match := false
		for _, t := range a.Types {
			if t == r.Type {
				match = true
			}
		}
		if !match {
			continue
		}
		n := r.Properties
		for _, k := range a.Path {
			_, n = sam.GetKey(n, k)
		}
		val := ""
		if n != nil && n.Kind == yaml.ScalarNode {
			val = n.Value
		}
		ok := true
		switch a.Expect {
		case "present":
			ok = n != nil
		case "absent":
			ok = n == nil
		case "equals", "one-of":
			ok = false
			for _, v := range a.Values {
				if strings.EqualFold(v, val) {
					ok = true
				}
			}
		case "not-equals":
			for _, v := range a.Values {
				if strings.EqualFold(v, val) {
					ok = false
				}
			}
		}
		if ok {
			continue
		}
		line := r.Line
		if n != nil && n.Line > 0 {
			line = n.Line
		}
		msg := fmt.Sprintf("%s: %s should be %s", r.ID, path, a.Expect)
		if len(a.Values) > 0 {
			msg += " " + strings.Join(a.Values, " | ")
		}
		if n != nil && val != "" {
			msg += fmt.Sprintf(" (is %q)", val)
		}
		hits = append(hits, checks.Hit{Resource: r.ID, Key: path, Message: msg,
			Evidence: []model.Location{{File: t.File, Line: line}}})
	}
	return hits
}
