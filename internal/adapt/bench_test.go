package adapt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

type corpusFile struct {
	name string
	data []byte
}

func readCorpus(b *testing.B) []corpusFile {
	var out []corpusFile
	for _, f := range corpusFiles(b) {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, corpusFile{f, d})
	}
	return out
}

// BenchmarkParseCorpus is the floor: yaml.v3 into a node tree, nothing else.
func BenchmarkParseCorpus(b *testing.B) {
	files := readCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			var n yaml.Node
			_ = yaml.Unmarshal(f.data, &n)
		}
	}
}

// BenchmarkBuildCorpus loads and models every corpus template.
func BenchmarkBuildCorpus(b *testing.B) {
	files := readCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			t, err := sam.Parse(f.name, f.data)
			if err != nil {
				continue
			}
			if _, err := Build(t); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func synthetic1000(b *testing.B) corpusFile {
	p := filepath.Join(sharedDir(b), "corpus", "synthetic", "functions-1000.yaml")
	d, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	return corpusFile{p, d}
}

func BenchmarkParse1000(b *testing.B) {
	f := synthetic1000(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var n yaml.Node
		_ = yaml.Unmarshal(f.data, &n)
	}
}

func BenchmarkBuild1000(b *testing.B) {
	f := synthetic1000(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := sam.Parse(f.name, f.data)
		if err != nil {
			b.Fatal(err)
		}
		m, err := Build(t)
		if err != nil || len(m.Functions) != 1000 {
			b.Fatalf("%v, %d functions", err, len(m.Functions))
		}
	}
}
