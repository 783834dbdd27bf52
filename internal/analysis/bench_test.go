package analysis

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/testshared"
)

// corpusFiles lists the shared corpus templates (tests may read ../shared).
func corpusFiles(tb testing.TB) []string { return testshared.CorpusTemplates(tb) }

func readAll(tb testing.TB, files []string) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[f] = data
	}
	return out
}

// BenchmarkParseOnlyCorpus is the floor: yaml.v3 into a node tree, nothing else.
func BenchmarkParseOnlyCorpus(b *testing.B) {
	data := readAll(b, corpusFiles(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range data {
			var n yaml.Node
			_ = yaml.Unmarshal(d, &n)
		}
	}
}

// BenchmarkAnalyzeCorpus is the whole pipeline (model, blast radius, rules)
// over every corpus template, from bytes already in memory.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	data := readAll(b, corpusFiles(b))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, d := range data {
			_, _ = Bytes(ctx, name, d, Options{})
		}
	}
}

func benchOne(b *testing.B, path string, parseOnly bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if parseOnly {
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if _, err := Bytes(ctx, path, data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func synthetic(n string) string {
	return filepath.Join("..", "..", "..", "shared", "corpus", "synthetic", "functions-"+n+".yaml")
}

func BenchmarkParseOnly1000Functions(b *testing.B) { benchOne(b, synthetic("1000"), true) }
func BenchmarkAnalyze1000Functions(b *testing.B)   { benchOne(b, synthetic("1000"), false) }
func BenchmarkAnalyzeFreshTracks(b *testing.B) {
	benchOne(b, filepath.Join("..", "..", "..", "shared", "fixtures", "freshtracks", "template.yaml"), false)
}

// TestCorpusPipeline runs the whole pipeline over the corpus: no template may
// make it panic; unreadable ones must come back as errors naming the file.
func TestCorpusPipeline(t *testing.T) {
	ctx := context.Background()
	for _, f := range corpusFiles(t) {
		data, _ := os.ReadFile(f)
		m, err := Bytes(ctx, f, data, Options{})
		if err != nil {
			if !strings.Contains(err.Error(), filepath.Base(f)) {
				t.Errorf("error does not name the file: %v", err)
			}
			continue
		}
		if m.Template != f {
			t.Errorf("%s: model names template %q", f, m.Template)
		}
	}
}
