package blast

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/testshared"
)

func sharedDir(t testing.TB) string { return testshared.Dir(t) }

// reference is the SAM policy templates of the shared reference data.
type reference struct {
	Templates map[string]struct {
		Definition json.RawMessage
		Parameters map[string]any
	}
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "sam", "policy_templates.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

// withReferenceIAM makes this stage read the SAM policy templates from the
// shared reference data, so that its own logic is tested whatever state the
// IAM catalogs are in (wildcards count as one action).
func withReferenceIAM(t testing.TB) *reference {
	t.Helper()
	ref := loadReference(t)
	oldT, oldN, oldE := iamPolicyTemplate, iamPolicyTemplateNames, iamExpandAction
	if tt, ok := t.(*testing.T); ok {
		tt.Cleanup(func() { iamPolicyTemplate, iamPolicyTemplateNames, iamExpandAction = oldT, oldN, oldE })
	}
	iamPolicyTemplate = func(name string) ([]byte, []string, bool) {
		tp, ok := ref.Templates[name]
		if !ok {
			return nil, nil, false
		}
		var params []string
		for p := range tp.Parameters {
			params = append(params, p)
		}
		sort.Strings(params)
		return tp.Definition, params, true
	}
	iamPolicyTemplateNames = func() []string {
		var out []string
		for n := range ref.Templates {
			out = append(out, n)
		}
		sort.Strings(out)
		return out
	}
	iamExpandAction = func(p string) []string { return []string{p} }
	return ref
}

// managed holds the two AWS managed policies Fresh Tracks' functions get
// (from their policy documents), for models built while the IAM catalog
// cannot expand them.
var managed = map[string][]string{
	"AWSLambdaBasicExecutionRole":    {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
	"AWSLambdaDynamoDBExecutionRole": {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
}

// build loads and models a template; when the model builder could not
// expand policy templates and managed policies (IAM catalog not there), the
// grants are filled from the reference data: each template's actions on the
// resource its parameter references, managed policies' actions on *.
func build(t testing.TB, ref *reference, path string) *model.Model {
	t.Helper()
	tpl, err := sam.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := adapt.Build(tpl)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		expanded := false
		for _, p := range f.Policies {
			if p.Known && p.Kind != "inline" {
				expanded = true
			}
		}
		if expanded {
			continue
		}
		for _, p := range f.Policies {
			switch p.Kind {
			case "template":
				tp, ok := ref.Templates[p.Name]
				if !ok {
					continue
				}
				var def struct {
					Statement []struct{ Action json.RawMessage }
				}
				_ = json.Unmarshal(tp.Definition, &def)
				target := "*"
				for _, v := range p.Params {
					target = strings.TrimSuffix(strings.TrimPrefix(v, "${"), "}")
				}
				for _, st := range def.Statement {
					for _, a := range stringList(st.Action) {
						f.Grants = append(f.Grants, model.Grant{Action: a, Access: testAccess(a), Target: target, Origin: p.Name})
					}
				}
			case "managed":
				for _, a := range managed[p.Name] {
					f.Grants = append(f.Grants, model.Grant{Action: a, Access: testAccess(a), Target: "*", Origin: p.Name})
				}
			}
		}
		seen := map[string]bool{}
		f.Granted = f.Granted[:0]
		for _, g := range f.Grants {
			if !seen[g.Action] {
				seen[g.Action] = true
				f.Granted = append(f.Granted, g.Action)
			}
		}
		sort.Strings(f.Granted)
	}
	if err := Compute(context.Background(), m, Options{Template: tpl}); err != nil {
		t.Fatal(err)
	}
	return m
}

// testAccess is a rough access level for hand-expanded grants (the real
// levels come from the IAM catalog).
func testAccess(a string) string {
	_, name, _ := strings.Cut(a, ":")
	for _, p := range []string{"Get", "Describe", "Query", "Scan", "BatchGet"} {
		if strings.HasPrefix(name, p) {
			return model.AccessRead
		}
	}
	if strings.HasPrefix(name, "List") {
		return model.AccessList
	}
	return model.AccessWrite
}

func fn(m *model.Model, id string) *model.Function {
	for _, f := range m.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func freshTracks(t testing.TB, name string) string {
	return filepath.Join(sharedDir(t), "fixtures", "freshtracks", name)
}
