package adapt

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// countFunctions counts Lambda functions independently of sam/adapt: a plain
// decode of Resources.*.Type.
func countFunctions(data []byte) (int, error) {
	var plain struct {
		Resources map[string]struct {
			Type string `yaml:"Type"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &plain); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range plain.Resources {
		if r.Type == "AWS::Serverless::Function" || r.Type == "AWS::Lambda::Function" {
			n++
		}
	}
	return n, nil
}

// TestCorpus builds every corpus template: no panic, exactly as many
// functions as the file declares, and a *sam.Error for unreadable files.
func TestCorpus(t *testing.T) {
	built, refused, fns := 0, 0, 0
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, plainErr := countFunctions(data)
		tmpl, err := sam.Parse(f, data)
		if err != nil {
			refused++
			var se *sam.Error
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), f+":") {
				t.Errorf("%s: not a *sam.Error naming the file: %v", f, err)
			}
			continue
		}
		m, err := Build(tmpl)
		if err != nil {
			t.Errorf("%s: build: %v", f, err)
			continue
		}
		built++
		fns += len(m.Functions)
		if plainErr == nil && len(m.Functions) != want {
			t.Errorf("%s: %d functions, the file declares %d", f, len(m.Functions), want)
		}
		for _, e := range m.Edges {
			if e.From == "" || e.To == "" {
				t.Errorf("%s: dangling edge %+v", f, e)
			}
		}
	}
	t.Logf("built %d templates (%d functions), refused %d", built, fns, refused)
}

// TestCorpusFidelity measures on the whole corpus what issue 10 asks: routes
// without a function that integrate with AWS or HTTP and have an outgoing
// flow, entry points of private APIs shown as public (must be none), and the
// principals other than functions found.
func TestCorpusFidelity(t *testing.T) {
	routes, flowing, private, privatePublic, principals := 0, 0, 0, 0, map[string]int{}
	tps, tpsLinked := 0, 0
	var misses []string
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := sam.Parse(f, data)
		if err != nil {
			continue
		}
		m, err := Build(tmpl)
		if err != nil {
			continue
		}
		from := map[string]bool{}
		for _, e := range m.Edges {
			from[e.From] = true
		}
		for _, ep := range m.EntryPoints {
			if ep.Private {
				private++
			}
			if ep.Private && (ep.Public || from["internet"] && edgeTo(m, "internet", ep.ID)) {
				privatePublic++
				t.Errorf("%s: private entry point %s is public", f, ep.ID)
			}
			if ep.Kind != "route" || ep.Function != "" || ep.Integration == "mock" {
				continue
			}
			routes++
			if from[ep.ID] {
				flowing++
			} else if len(misses) < 10 {
				misses = append(misses, f+": "+ep.ID)
			}
		}
		for _, p := range m.Principals {
			principals[p.Kind]++
		}
		to := map[string]bool{}
		for _, e := range m.Edges {
			to[e.To] = true
		}
		for _, tp := range m.ThirdParties {
			if tp.Kind != "http" {
				continue
			}
			tps++
			if to[tp.ID] || from[tp.ID] {
				tpsLinked++
			}
		}
	}
	t.Logf("routes without a function with an outgoing flow: %d/%d; private entry points shown as public: %d of %d; principals: %v", flowing, routes, privatePublic, private, principals)
	t.Logf("http third parties with an edge: %d/%d", tpsLinked, tps)
	for _, miss := range misses {
		t.Logf("no flow: %s", miss)
	}
	if routes > 0 && flowing*10 < routes*9 {
		t.Errorf("only %d of %d routes without a function have a flow (want >= 90%%)", flowing, routes)
	}
}

func edgeTo(m *model.Model, from, to string) bool {
	for _, e := range m.Edges {
		if e.From == from && e.To == to {
			return true
		}
	}
	return false
}
