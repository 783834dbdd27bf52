package diagram

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz/cgraph"

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

// BenchmarkDOTFile renders DOT text with go-graphviz exactly as given (no
// analysis, no DOT generation), for comparing with Graphviz's own dot on the
// same text: scripts/bench-diagram.sh sets SAMTHREAT_BENCH_DOT to a
// comma-separated list of DOT files. Without it, the Fresh Tracks DOT is used.
func BenchmarkDOTFile(b *testing.B) {
	inputs := map[string][]byte{}
	if list := os.Getenv("SAMTHREAT_BENCH_DOT"); list != "" {
		for _, f := range strings.Split(list, ",") {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			inputs[strings.TrimSuffix(filepath.Base(f), ".dot")] = data
		}
	} else {
		data, err := DOT(analyse(b, freshTracksPath(b, "template.yaml")), Options{})
		if err != nil {
			b.Fatal(err)
		}
		inputs["freshtracks"] = data
	}
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, format := range []string{"svg", "png"} {
			b.Run(name+"/"+format, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := renderDOT(context.Background(), inputs[name], format); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// renderDOT lays out and renders DOT text through go-graphviz's parser.
func renderDOT(ctx context.Context, dot []byte, format string) ([]byte, error) {
	gvMu.Lock()
	defer gvMu.Unlock()
	c, err := instance(ctx)
	if err != nil {
		return nil, err
	}
	g, err := cgraph.ParseBytes(dot)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	return layoutAndRender(ctx, c, g, format)
}
