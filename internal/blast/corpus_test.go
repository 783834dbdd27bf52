package blast

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/sam"
)

// TestCorpus runs the stage over every template of the shared corpus (which
// ships manifests but no handler code): no panic, every function gets
// figures, code that is not there is estimated with a reason, and the
// summary says how many functions had code found and parsed.
func TestCorpus(t *testing.T) {
	root := filepath.Join(sharedDir(t), "corpus")
	var templates, unreadable, functions, found, parsed, estimated int
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		if d.IsDir() {
			return nil
		}
		tpl, err := sam.Load(p)
		if err != nil {
			unreadable++ // deliberately broken inputs: the loader's business
			return nil
		}
		m, err := adapt.Build(tpl)
		if err != nil {
			unreadable++
			return nil
		}
		templates++
		if err := Compute(context.Background(), m, Options{}); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		for _, f := range m.Functions {
			functions++
			b := f.Blast
			switch {
			case b == nil:
				t.Errorf("%s: %s has no figures", p, f.ID)
			case b.Complexity < 1 || b.Dependencies < 1:
				t.Errorf("%s: %s: complexity %d dependencies %d", p, f.ID, b.Complexity, b.Dependencies)
			case b.ComplexityEstimated && b.CodeNote == "":
				t.Errorf("%s: %s estimated without a reason", p, f.ID)
			case b.BlastRadius != int64(b.Complexity)*int64(b.Dependencies)*int64(b.ResourceCount):
				t.Errorf("%s: %s: blast radius is not the product", p, f.ID)
			}
			if b != nil && b.ComplexityEstimated {
				estimated++
			}
		}
		found += m.Summary.CodeFound
		parsed += m.Summary.CodeParsed
		return nil
	})
	if err != nil && !errors.Is(err, filepath.SkipAll) {
		t.Fatal(err)
	}
	if templates == 0 || functions == 0 {
		t.Fatal("empty corpus")
	}
	t.Logf("%d templates (%d unreadable), %d functions: code found for %d, parsed for %d, estimated for %d", templates, unreadable, functions, found, parsed, estimated)
}
