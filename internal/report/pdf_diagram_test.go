package report

import (
	"bytes"
	"context"
	"image/png"
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/testshared"
)

// pngPage wraps a fake renderer's PNG as one diagram page, its size read
// from the image at diagramDPI and its smallest text taken as 9 pt.
func pngPage(data []byte) diagram.PaperPage {
	pg := diagram.PaperPage{Part: 1, Parts: 1, Title: "whole application", PNG: data, MinFont: 9, Scale: 1}
	if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err == nil {
		pg.Width, pg.Height = float64(cfg.Width)/diagramDPI*72, float64(cfg.Height)/diagramDPI*72
		pg.Scale = min(1, diagramPaper.Width/pg.Width, diagramPaper.Height/pg.Height)
	}
	return pg
}

// Every diagram page of the report is an A4 landscape page whose drawing
// prints its smallest text (the layout's smallest font size times the scale
// the image is placed at) at 7 pt or more, inside the area A4 and Letter
// landscape share, clear of the header line, the caption and the footer.
func TestDiagramPagesOnPaper(t *testing.T) {
	const letterW = 279.4
	for _, tc := range []struct {
		path     string
		maxParts int
	}{
		{testshared.FreshTracks(t, "template.yaml"), 2},
		{testshared.FreshTracks(t, "template-least-privilege.yaml"), 4},
		{testshared.Path(t, "corpus", "synthetic", "functions-100.yaml"), 3},
		{testshared.Path(t, "corpus", "synthetic", "functions-1000.yaml"), 3},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			m := analyse(t, tc.path)
			var placed []placedDiagram
			pdfTrace = func(p *pdfDoc) { placed = p.placed }
			t.Cleanup(func() { pdfTrace = nil })
			var buf bytes.Buffer
			if err := WritePDF(context.Background(), m, &buf, testOptions()); err != nil {
				t.Fatal(err)
			}
			info := readPDF(t, buf.Bytes())
			if len(placed) == 0 || len(placed) > tc.maxParts {
				t.Fatalf("%d diagram pages, want 1 to %d", len(placed), tc.maxParts)
			}
			if len(info.Images) != len(placed) {
				t.Errorf("%d images for %d diagram pages", len(info.Images), len(placed))
			}
			for i, d := range placed {
				t.Logf("page %d: drawing %.0f x %.0f mm, smallest text %.2f pt", d.page, d.w, d.h, d.pt)
				if d.pt < minDiagramPt {
					t.Errorf("diagram page %d prints its smallest text at %.2f pt, want >= %.0f", d.page, d.pt, minDiagramPt)
				}
				if d.pageW != pageH || d.pageH != pageW {
					t.Errorf("diagram page %d is %.0f x %.0f mm, want A4 landscape", d.page, d.pageW, d.pageH)
				}
				if inset := (d.pageW - letterW) / 2; d.x < inset+5 || d.x+d.w > d.pageW-inset-5 {
					t.Errorf("diagram page %d: drawing from x=%.1f to %.1f mm leaves Letter's width", d.page, d.x, d.x+d.w)
				}
				if d.y < 15 || d.captionBottom > d.pageH-12 {
					t.Errorf("diagram page %d: drawing and caption from y=%.1f to %.1f mm run into the header (14) or footer (%.0f)", d.page, d.y, d.captionBottom, d.pageH-11)
				}
				if i > 0 && d.page != placed[i-1].page+1 {
					t.Errorf("diagram parts on pages %d and %d, want consecutive pages", placed[i-1].page, d.page)
				}
			}
		})
	}
}
