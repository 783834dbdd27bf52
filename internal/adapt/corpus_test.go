package adapt

import (
	"errors"
	"os"
	"strings"
	"testing"

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
