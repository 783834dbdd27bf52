package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strconv"

	"github.com/go-pdf/fpdf"
	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
)

// The diagram pages: each part of the diagram (internal/diagram.Paper) on a
// landscape A4 page of its own, printed at the largest scale up to 1 that
// fits diagramBox, which lies inside both A4 and Letter landscape so the
// page prints at full size on either paper. Paper splits the drawing by
// trust boundary until every part's smallest text is minDiagramPt or more at
// that scale.
const (
	diagramBoxW  = 259.0 // mm: Letter's 279.4 less two 10 mm margins
	diagramBoxH  = 175.0 // mm: below the header line, above caption and footer
	diagramTop   = 17.0  // mm: the header line is at 14
	minDiagramPt = 7.0
)

// diagramPaper is the drawing area handed to the layout.
var diagramPaper = diagram.PaperOptions{Width: diagramBoxW / 25.4 * 72, Height: diagramBoxH / 25.4 * 72, MinPt: minDiagramPt, DPI: diagramDPI}

// renderPaper lays the diagram out for the PDF. It is a variable so tests
// can replace it.
var renderPaper = func(ctx context.Context, m *model.Model) ([]diagram.PaperPage, error) {
	return diagram.Paper(ctx, m, diagramPaper)
}

// drawPaper returns the diagram's pages or, when it cannot be drawn, the
// reason as one line for the report to print.
func drawPaper(ctx context.Context, m *model.Model, o Options) (pages []diagram.PaperPage, reason string) {
	o.progress("diagram")
	pages, err := safePaper(ctx, m)
	if err != nil {
		return nil, oneLine(err.Error())
	}
	if len(pages) == 0 {
		return nil, "the renderer returned nothing"
	}
	return pages, ""
}

func safePaper(ctx context.Context, m *model.Model) (pages []diagram.PaperPage, err error) {
	defer func() {
		if r := recover(); r != nil {
			pages, err = nil, fmt.Errorf("internal error in the diagram renderer: %v", r)
		}
	}()
	return renderPaper(ctx, m)
}

// placedDiagram records where a diagram part was printed (for tests).
type placedDiagram struct {
	page          int
	x, y, w, h    float64 // mm
	pageW, pageH  float64 // mm
	pt            float64 // smallest text, printed
	captionBottom float64 // mm
}

// diagramLegend explains the drawing (the PNG leaves its legend out so it
// can use the page).
const diagramLegend = "Fill: blast-radius score 0–100, darker is larger · heavy red border: the three riskiest functions (risk #N) · badges: open findings at the element's most severe level · " +
	"access edges: R read, L list, W write, T tagging, Perm permissions management (grey: writes to logs) · red flow: public route without authentication · green flow: route with authentication · dashed: outbound call · ×N: merged flows · boxes: trust boundaries · dashed grey box: an element drawn on another part, named with its boundary and part."

// diagram prints the data-flow diagram's parts on landscape pages; the
// legend goes on the current page, before them.
func (p *pdfDoc) diagram() {
	if p.diagramUnusable() {
		return
	}
	intro := "The data-flow diagram follows on a landscape page of its own."
	if n := len(p.pages); n > 1 {
		intro = "The data-flow diagram follows on " + strconv.Itoa(n) + " landscape pages, one or more trust boundaries each, so that its text prints at " +
			fmt.Sprintf("%.0f", minDiagramPt) + " pt or more; a flow to an element of another part ends in a dashed grey box naming it and its part."
	}
	p.para(para{Spans: []span{txt(intro)}, Small: true})
	p.para(para{Spans: []span{strong("Legend. "), txt(diagramLegend)}, Small: true})
	for _, pg := range p.pages {
		p.diagramPage(pg)
	}
	p.newPage()
}

// diagramUnusable says why no part can be printed, in the report, and
// reports whether that is the case.
func (p *pdfDoc) diagramUnusable() bool {
	why := p.reason
	ok := len(p.pages) > 0
	for _, pg := range p.pages {
		if cfg, err := png.DecodeConfig(bytes.NewReader(pg.PNG)); err != nil || cfg.Width == 0 || cfg.Height == 0 || pg.Width <= 0 || pg.Height <= 0 {
			ok, why = false, "the renderer's image could not be read"
		}
	}
	if ok {
		return false
	}
	p.para(para{Spans: []span{strong("The data-flow diagram could not be drawn"), txt(" (" + dashIfEmpty(why) + "). The tables below list the same elements and flows.")}})
	return true
}

func (p *pdfDoc) diagramPage(pg diagram.PaperPage) {
	f := p.f
	p.images++
	name := "diagram" + strconv.Itoa(p.images)
	info := f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(pg.PNG))
	if info == nil || f.Error() != nil {
		f.ClearError()
		p.para(para{Spans: []span{strong("The data-flow diagram could not be drawn"), txt(" (the PDF library could not embed the image). The tables below list the same elements and flows.")}})
		return
	}
	p.addPage("L")
	pw, _ := p.pageSize()
	s := pg.Scale
	w, h := pg.Width*s*25.4/72, pg.Height*s*25.4/72
	x := (pw - w) / 2
	f.ImageOptions(name, x, diagramTop, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	capText := "Figure 1. Data-flow diagram with trust boundaries, drawn from the template."
	if pg.Parts > 1 {
		capText = fmt.Sprintf("Figure 1, part %d of %d: %s. Dashed grey boxes are elements drawn on another part.", pg.Part, pg.Parts, pg.Title)
	}
	p.setFont("sans", "I", 7.5)
	p.color(colMuted)
	y := diagramTop + h + 1
	cw := pw - 2*marginL
	lines := p.wrap(p.safe(capText, false), cw)
	for i, l := range lines {
		p.text(marginL, y+float64(i)*3.6, cw, 3.6, l, "C")
	}
	p.color(colText)
	_, ph := p.pageSize()
	p.placed = append(p.placed, placedDiagram{page: f.PageNo(), x: x, y: diagramTop, w: w, h: h, pageW: pw, pageH: ph,
		pt: pg.PrintedPt(), captionBottom: y + float64(len(lines))*3.6})
}
