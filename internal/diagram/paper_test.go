package diagram

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// printBox is the report's drawing area on a landscape page (see
// internal/report/pdf_diagram.go): 259 x 175 mm, inside both A4 and Letter.
var printBox = PaperOptions{Width: 259 / 25.4 * 72, Height: 175 / 25.4 * 72, MinPt: 7}

func paperPages(t *testing.T, path string) []PaperPage {
	t.Helper()
	m := analyse(t, path)
	pages, err := Paper(context.Background(), m, printBox)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(pages) == 0 {
		t.Fatalf("%s: no page", path)
	}
	for _, pg := range pages {
		if pg.PrintedPt() < printBox.MinPt-1e-9 {
			t.Errorf("%s: part %d of %d (%s) prints its smallest text at %.2f pt (font %.1f x scale %.3f), want >= %.0f",
				path, pg.Part, pg.Parts, pg.Title, pg.PrintedPt(), pg.MinFont, pg.Scale, printBox.MinPt)
		}
		if pg.MinFont < 8 || pg.Width <= 0 || pg.Height <= 0 || pg.Scale <= 0 || pg.Scale > 1 {
			t.Errorf("%s: part %d: implausible layout %+v", path, pg.Part, pg)
		}
	}
	return pages
}

// The printed text size of every diagram page, for the inputs the issue
// names, with what was measured before the split for comparison (one page:
// Fresh Tracks 7.6 pt on A3, 3-4 pt on A4; the synthetic apps 6.4 pt on A3).
func TestPaperPrintsAtSevenPoints(t *testing.T) {
	for _, tc := range []struct {
		path     string
		maxPages int
	}{
		{freshTracksPath(t, "template.yaml"), 2},
		{freshTracksPath(t, "template-monolith.yaml"), 2},
		{filepath.Join(sharedDir(t), "corpus", "synthetic", "functions-100.yaml"), 3},
		{filepath.Join(sharedDir(t), "corpus", "synthetic", "functions-1000.yaml"), 3},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			pages := paperPages(t, tc.path)
			if len(pages) > tc.maxPages {
				t.Errorf("%d pages, want at most %d", len(pages), tc.maxPages)
			}
			for _, pg := range pages {
				t.Logf("part %d of %d (%s): %d elements, %d stubs, %.0f x %.0f pt at scale %.2f: smallest text %.1f pt",
					pg.Part, pg.Parts, pg.Title, pg.Elements, pg.Stubs, pg.Width, pg.Height, pg.Scale, pg.PrintedPt())
			}
		})
	}
}

// Every serverless-patterns application's diagram prints at 7 pt or more.
func TestPaperCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("whole corpus")
	}
	n, split := 0, 0
	for _, f := range corpusTemplates(t) {
		if !strings.Contains(filepath.ToSlash(f), "/serverless-patterns/") {
			continue
		}
		m, err := analysisOf(f)
		if err != nil {
			continue
		}
		pages, err := Paper(context.Background(), m, printBox)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		n++
		if len(pages) > 1 {
			split++
		}
		for _, pg := range pages {
			if pg.Elements == 0 && pg.MinFont == 0 {
				continue // nothing to draw (a layer's own template)
			}
			if pg.PrintedPt() < printBox.MinPt-1e-9 {
				t.Errorf("%s: part %d of %d prints at %.2f pt", f, pg.Part, pg.Parts, pg.PrintedPt())
			}
		}
	}
	t.Logf("%d applications, %d split over more than one page", n, split)
}
