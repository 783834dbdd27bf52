package diagram

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// Benchmarks for make bench (scripts/bench.sh): DOT generation alone and
// layout + rendering with go-graphviz, on Fresh Tracks and the synthetic
// 100- and 1000-function templates (collapsed by default, as the CLI draws
// them; "flat" is --collapse none). The model is built once, outside the
// timer.
func benchModels(b *testing.B) map[string]*model.Model {
	b.Helper()
	syn := filepath.Join(sharedDir(b), "corpus", "synthetic")
	return map[string]*model.Model{
		"freshtracks":    analyse(b, freshTracksPath(b, "template.yaml")),
		"functions-100":  analyse(b, filepath.Join(syn, "functions-100.yaml")),
		"functions-1000": analyse(b, filepath.Join(syn, "functions-1000.yaml")),
	}
}

var benchCases = []struct {
	model string
	opts  Options
	name  string
}{
	{"freshtracks", Options{}, "freshtracks"},
	{"functions-100", Options{}, "functions-100"},
	{"functions-100", Options{Collapse: CollapseNone}, "functions-100-flat"},
	{"functions-1000", Options{}, "functions-1000"},
}

func BenchmarkDOT(b *testing.B) {
	ms := benchModels(b)
	cases := append(benchCases, struct {
		model string
		opts  Options
		name  string
	}{"functions-1000", Options{Collapse: CollapseNone}, "functions-1000-flat"})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := DOT(ms[c.model], c.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchRender(b *testing.B, format string) {
	ms := benchModels(b)
	for _, c := range benchCases {
		if format == "png" && c.name == "functions-100-flat" {
			continue // a flat 100-function PNG is several seconds and hundreds of MiB; SVG covers it
		}
		b.Run(c.name, func(b *testing.B) {
			o := c.opts
			o.Format = format
			for i := 0; i < b.N; i++ {
				if _, err := Render(context.Background(), ms[c.model], o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSVG(b *testing.B) { benchRender(b, "svg") }
func BenchmarkPNG(b *testing.B) { benchRender(b, "png") }
