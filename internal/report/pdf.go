package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/samthreat/samthreat/internal/diagram"
)

// PDF layout, in millimetres on A4.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 18.0
	marginR      = 18.0
	marginT      = 20.0
	marginB      = 17.0
	bodySize     = 9.5
	bodyLine     = 4.7
	smallSize    = 8.0
	tableSize    = 8.0
	tableLine    = 3.9
	monoSize     = 7.6
	codeSize     = 7.4
	codeLine     = 3.6
	cellPad      = 1.3
	// diagramDPI is the resolution the PNG diagram is requested at; the
	// image is placed at its natural size when that fits.
	diagramDPI = 192
)

type rgb struct{ r, g, b int }

var (
	colText   = rgb{29, 39, 51}
	colMuted  = rgb{91, 103, 118}
	colAccent = rgb{31, 95, 153}
	colLine   = rgb{206, 213, 221}
	colHead   = rgb{233, 238, 244}
	colZebra  = rgb{248, 249, 251}
	colCode   = rgb{244, 246, 248}
	colSev    = map[string]rgb{
		"critical": {128, 0, 32}, "high": {196, 52, 28}, "medium": {201, 128, 0},
		"low": {40, 110, 180}, "info": {110, 120, 130}, "closed": {190, 196, 204},
	}
)

// pdfTrace, when set (by tests), sees the finished document.
var pdfTrace func(*pdfDoc)

type tocEntry struct {
	h      heading
	link   int
	tocPg  int     // page of the contents the entry is on
	tocY   float64 // and its line
	tocX   float64 // its column's left edge
	tocW   float64 // and width
	lh     float64
	target int // page the heading landed on (0: never written)
}

type pdfDoc struct {
	ctx    context.Context
	f      *fpdf.Fpdf
	fonts  map[string]*pdfFont
	d      *document
	date   time.Time
	toc    map[string]*tocEntry // by heading ID
	tocSeq []*tocEntry
	pages  []diagram.PaperPage // the diagram's parts
	reason string
	// current font, for width measurement and sanitising
	cur     *pdfFont
	curSize float64
	widths  map[string]map[rune]float64
	images  int
	sizes   map[int][2]float64 // page number -> width, height
	placed  []placedDiagram
}

func writePDF(ctx context.Context, w io.Writer, d *document, date time.Time, pages []diagram.PaperPage, reason string) error {
	fonts, err := loadFonts()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	f, err := newFpdf(fonts, date)
	if err != nil {
		return err
	}
	p := &pdfDoc{ctx: ctx, f: f, fonts: fonts, d: d, date: date, toc: map[string]*tocEntry{}, pages: pages, reason: reason,
		widths: map[string]map[rune]float64{}, sizes: map[int][2]float64{}}
	p.setFont("sans", "", bodySize)
	f.SetTitle(p.safe(d.Cover.Title+": threat model", false), true)
	f.SetSubject(p.safe("Threat model of "+d.Cover.Template, false), true)
	f.SetAuthor("samthreat", true)
	f.SetCreator(p.safe("samthreat "+d.Cover.Version, false), true)
	f.SetProducer(p.safe("samthreat "+d.Cover.Version+" (go-pdf/fpdf)", false), true)
	f.SetKeywords("threat model, serverless, AWS SAM, OWASP Serverless Top Ten", true)
	f.SetLang("en")
	f.SetHeaderFunc(p.header)

	p.collectTOC()
	p.cover()
	// The executive summary (its top-risks table first) is page 2; the
	// contents are on the cover when they fit there, else they follow the
	// summary, before the second part.
	parts := 0
	placed := p.contentsOnCover()
	for i, b := range d.Blocks {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if h, ok := b.(heading); ok && h.Level == 1 {
			if parts++; parts == 2 && !placed {
				p.contents()
			}
		}
		p.block(b)
		if err := f.Error(); err != nil {
			return fmt.Errorf("report: PDF: %w", err)
		}
	}
	if parts < 2 && !placed {
		p.contents()
	}
	p.finish()
	if pdfTrace != nil {
		pdfTrace(p)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("report: PDF: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// newFpdf sets up a document: A4 in millimetres, fixed dates and sorted
// catalogs (deterministic bytes), page breaks left to the layout code, and
// the embedded fonts.
func newFpdf(fonts map[string]*pdfFont, date time.Time) (*fpdf.Fpdf, error) {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	f.SetCatalogSort(true)
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCompression(true)
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB)
	f.SetCellMargin(0)
	for _, key := range []string{"sans", "sansB", "sansI", "mono"} {
		ft := fonts[key]
		f.AddUTF8FontFromBytes(ft.family, ft.style, ft.data)
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("report: loading fonts: %w", err)
	}
	return f, nil
}

// ---------------------------------------------------------------- primitives

func (p *pdfDoc) setFont(family, style string, size float64) {
	ft := p.fonts[family+style]
	if ft == nil {
		ft = p.fonts[family]
		style = ""
	}
	p.cur, p.curSize = ft, size
	p.f.SetFont(family, style, size)
}

func (p *pdfDoc) fontFor(st style) (string, string) {
	switch st {
	case bold:
		return "sans", "B"
	case italic:
		return "sans", "I"
	case mono:
		return "mono", ""
	}
	return "sans", ""
}

func (p *pdfDoc) color(c rgb) { p.f.SetTextColor(c.r, c.g, c.b) }
func (p *pdfDoc) fill(c rgb)  { p.f.SetFillColor(c.r, c.g, c.b) }
func (p *pdfDoc) draw(c rgb)  { p.f.SetDrawColor(c.r, c.g, c.b) }
func (p *pdfDoc) safe(s string, multiline bool) string {
	return pdfSafe(p.cur, s, multiline)
}

// width of already-safe text in the current font.
func (p *pdfDoc) width(s string) float64 {
	key := p.cur.family + p.cur.style
	m := p.widths[key]
	if m == nil {
		m = map[rune]float64{}
		p.widths[key] = m
	}
	var w float64
	for _, r := range s {
		cw, ok := m[r]
		if !ok {
			cw = float64(p.f.GetStringSymbolWidth(string(r)))
			m[r] = cw
		}
		w += cw
	}
	return w * p.curSize / 1000 * 25.4 / 72
}

func (p *pdfDoc) pageSize() (float64, float64) { return p.f.GetPageSize() }

func (p *pdfDoc) contentW() float64 {
	w, _ := p.pageSize()
	return w - marginL - marginR
}

func (p *pdfDoc) bottom() float64 {
	_, h := p.pageSize()
	return h - marginB
}

func (p *pdfDoc) room() float64 { return p.bottom() - p.f.GetY() }

// newPage starts an A4 portrait page, unless the current one is such a
// page with nothing on it yet.
func (p *pdfDoc) newPage() {
	if w, h := p.pageSize(); p.f.PageNo() > 1 && w < h && w == pageW && p.f.GetY() <= marginT+0.01 {
		return
	}
	p.addPage("P")
}

// addPage starts an A4 page in orientation "P" or "L" (see addPageSize).
func (p *pdfDoc) addPage(orient string) { p.addPageSize(orient, pageW, pageH) }

// addPageSize starts a page of w x h millimetres (portrait measures) in
// orientation "P" or "L", and remembers its size for the footers, which are
// written once the page count is known.
func (p *pdfDoc) addPageSize(orient string, w, h float64) {
	p.f.AddPageFormat(orient, fpdf.SizeType{Wd: w, Ht: h})
	if p.sizes != nil {
		pw, ph := p.f.GetPageSize()
		p.sizes[p.f.PageNo()] = [2]float64{pw, ph}
	}
	p.f.SetXY(marginL, marginT)
}

// need starts a new page unless h millimetres are left.
func (p *pdfDoc) need(h float64) {
	if p.room() < h {
		p.newPage()
	}
}

// breakable says whether r may end a line after it when a word is too long.
func breakable(r rune) bool {
	switch r {
	case '/', ',', ':', ';', '-', '_', '.', '|', '=', '&', '?', ')', ']', '}', '@':
		return true
	}
	return false
}

// wrap splits safe text into lines no wider than w in the current font,
// breaking at spaces, else after punctuation, else anywhere.
func (p *pdfDoc) wrap(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		if len(rs) == 0 {
			out = append(out, "")
			continue
		}
		start := 0
		for start < len(rs) {
			lineW := 0.0
			lastSpace, lastPunct := -1, -1
			i := start
			for ; i < len(rs); i++ {
				cw := p.width(string(rs[i]))
				if lineW+cw > w && i > start {
					break
				}
				lineW += cw
				if rs[i] == ' ' {
					lastSpace = i
				} else if breakable(rs[i]) {
					lastPunct = i
				}
			}
			if i >= len(rs) {
				out = append(out, string(rs[start:]))
				break
			}
			switch {
			case lastSpace > start:
				out = append(out, strings.TrimRight(string(rs[start:lastSpace]), " "))
				start = lastSpace + 1
			case lastPunct >= start && lastPunct < i-1:
				out = append(out, string(rs[start:lastPunct+1]))
				start = lastPunct + 1
			default:
				out = append(out, string(rs[start:i]))
				start = i
			}
			for start < len(rs) && rs[start] == ' ' {
				start++
			}
		}
	}
	return out
}

// text writes one line of safe text at (x, y) in a box of height h.
func (p *pdfDoc) text(x, y, w, h float64, s, align string) {
	p.f.SetXY(x, y)
	p.f.CellFormat(w, h, s, "", 0, align, false, 0, "")
}

// ---------------------------------------------------------------- page furniture

func (p *pdfDoc) header() {
	if p.f.PageNo() == 1 {
		return
	}
	pw, _ := p.pageSize()
	p.setFont("sans", "", 7.5)
	p.color(colMuted)
	title := p.safe(p.d.Cover.Title, false)
	for p.width(title) > pw-marginL-marginR-45 && len([]rune(title)) > 4 {
		title = clip(title, len([]rune(title))-3)
	}
	p.text(marginL, 9, pw-marginL-marginR-45, 4, title, "L")
	p.text(pw-marginR-45, 9, 45, 4, "Threat model report", "R")
	p.draw(colLine)
	p.f.SetLineWidth(0.2)
	p.f.Line(marginL, 14, pw-marginR, 14)
	p.color(colText)
	p.f.SetXY(marginL, marginT)
}

// finish writes what needs the final page numbers, going back to earlier
// pages: every footer ("Page N of M") and the page numbers of the contents.
// One pass over the content, no placeholder text to replace afterwards.
func (p *pdfDoc) finish() {
	f := p.f
	last := f.PageCount()
	for n := 2; n <= last; n++ {
		f.SetPage(n)
		p.footer(n, last)
	}
	for _, e := range p.tocSeq {
		if e.target == 0 || e.tocPg == 0 {
			continue
		}
		f.SetPage(e.tocPg)
		p.forceFont("sans", "", 9)
		p.forceColor(colText)
		p.text(e.tocX+e.tocW-12, p.onPage(pageH, e.tocY), 12, e.lh, strconv.Itoa(e.target), "R")
	}
	f.SetPage(last)
}

// forceFont selects a font even if fpdf believes it is current: after
// SetPage the page's own stream may have ended in another font.
func (p *pdfDoc) forceFont(family, style string, size float64) {
	p.f.SetFont("mono", "", size+0.37)
	p.setFont(family, style, size)
}

// forceColor makes the next cells carry their colour explicitly (fpdf
// writes it only when text and fill colours differ).
func (p *pdfDoc) forceColor(c rgb) {
	p.f.SetFillColor(255, 255, 254)
	p.color(c)
}

// onPage converts y, from the top of a page ph millimetres high, for
// writing on that page after SetPage: fpdf keeps the height of the last page
// added and places y from its top (a landscape page's footer would land in
// the middle of its drawing).
func (p *pdfDoc) onPage(ph, y float64) float64 {
	_, cur := p.f.GetPageSize()
	return cur - ph + y
}

func (p *pdfDoc) footer(n, last int) {
	size, ok := p.sizes[n]
	if !ok {
		size = [2]float64{pageW, pageH}
	}
	pw, ph := size[0], size[1]
	p.forceFont("sans", "", 7.5)
	p.forceColor(colMuted)
	left := p.safe(fmt.Sprintf("samthreat %s · %s · %s", p.d.Cover.Version, p.d.Cover.Template, p.date.Format("2006-01-02")), false)
	for p.width(left) > pw-marginL-marginR-46 && len([]rune(left)) > 4 {
		left = clip(left, len([]rune(left))-3)
	}
	y := p.onPage(ph, ph-11)
	p.text(marginL, y, pw-marginL-marginR-46, 4, left, "L")
	p.text(pw-marginR-40, y, 40, 4, fmt.Sprintf("Page %d of %d", n, last), "R")
}

// ---------------------------------------------------------------- cover and contents

func (p *pdfDoc) cover() {
	f, c := p.f, p.d.Cover
	p.newPage()
	p.fill(colAccent)
	f.Rect(0, 0, pageW, 62, "F")
	f.SetTextColor(255, 255, 255)
	p.setFont("sans", "B", 10)
	p.text(marginL, 18, 120, 5, "THREAT MODEL REPORT", "L")
	p.setFont("sans", "B", 22)
	lines := p.wrap(p.safe(c.Title, false), pageW-marginL-marginR)
	if len(lines) > 3 {
		lines = append(lines[:2], clip(lines[2], 40))
	}
	y := 28.0
	for _, l := range lines {
		p.text(marginL, y, pageW-marginL-marginR, 9, l, "L")
		y += 9
	}
	p.color(colText)
	f.SetXY(marginL, 75)
	rows := [][2]string{{"Template", c.Template}}
	if c.Description != "" {
		rows = append(rows, [2]string{"Description", c.Description})
	}
	rows = append(rows, [2]string{"Date", c.Date}, [2]string{"samthreat version", c.Version})
	if c.Revision != "" {
		rows = append(rows, [2]string{"Revision", c.Revision})
	}
	rows = append(rows, [2]string{"Template SHA-256", c.Checksum})
	p.facts(facts{Rows: rows, Mono: map[int]bool{0: true, len(rows) - 1: true}})

	// The numbers at a glance.
	y = f.GetY() + 10
	n := len(c.Counts)
	gap := 4.0
	bw := (pageW - marginL - marginR - gap*float64(n-1)) / float64(n)
	for i, kv := range c.Counts {
		x := marginL + float64(i)*(bw+gap)
		p.fill(colHead)
		f.Rect(x, y, bw, 24, "F")
		p.setFont("sans", "B", 18)
		p.color(colAccent)
		if kv[0] == "Open findings" && kv[1] != "0" {
			p.color(colSev["high"])
		}
		p.text(x, y+4, bw, 9, p.safe(kv[1], false), "C")
		p.setFont("sans", "", 7.5)
		p.color(colMuted)
		p.text(x, y+15, bw, 4, p.safe(kv[0], false), "C")
	}
	p.color(colText)
	f.SetXY(marginL, y+36)
	p.para(para{Spans: []span{strong("Handle as confidential. "), txt("This report describes weaknesses of the application and where to find them. It was generated by samthreat from the template and the code next to it; the method and its limits are described at the end.")}})
}

// collectTOC lists the contents' entries before any part is written, so
// a part written before the contents page (the executive summary) gets its
// link and page number too.
func (p *pdfDoc) collectTOC() {
	for _, b := range flatten(p.d.Blocks) {
		h, ok := b.(heading)
		if !ok || !h.TOC || h.Level > 2 || h.ID == "" {
			continue
		}
		e := &tocEntry{h: h, link: p.f.AddLink()}
		p.toc[h.ID] = e
		p.tocSeq = append(p.tocSeq, e)
	}
}

func (p *pdfDoc) contents() {
	p.newPage()
	p.headingText(1, "Contents")
	for _, e := range p.tocSeq {
		p.tocLine(e, marginL, p.contentW(), true)
	}
	if len(p.tocSeq) == 0 {
		p.para(para{Spans: []span{txt("This report has no sections.")}})
	}
}

// contentsOnCover writes the contents in two columns under the cover's
// facts when they fit there: a short report then spends no page on a
// contents list that fills half of one. It reports whether it did.
func (p *pdfDoc) contentsOnCover() bool {
	n := len(p.tocSeq)
	if n == 0 {
		return false
	}
	split := p.tocSplit()
	height := func(es []*tocEntry) float64 {
		h := 0.0
		for _, e := range es {
			h += tocLineH
			if e.h.Level == 1 {
				h += tocPartGap
			}
		}
		return h
	}
	need := 4 + 8 + max(height(p.tocSeq[:split]), height(p.tocSeq[split:]))
	if need > p.room()-2 {
		return false
	}
	f := p.f
	f.SetY(f.GetY() + 4)
	p.headingText(2, "Contents")
	top := f.GetY()
	gap := 8.0
	colW := (p.contentW() - gap) / 2
	for i, e := range p.tocSeq {
		if i == split {
			f.SetY(top)
		}
		x := marginL
		if i >= split {
			x += colW + gap
		}
		p.tocLine(e, x, colW, false)
	}
	return true
}

// Line heights of the two-column contents on the cover.
const (
	tocLineH   = 4.3
	tocPartGap = 1.2
)

// tocSplit is where the second column starts: at a part's heading, as
// near the middle as the parts allow.
func (p *pdfDoc) tocSplit() int {
	n := len(p.tocSeq)
	best := n
	for i, e := range p.tocSeq {
		if i == 0 || e.h.Level != 1 {
			continue
		}
		if best == n || absInt(2*i-n) < absInt(2*best-n) {
			best = i
		}
	}
	return best
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// tocLine writes one contents entry in the column at x, w wide, with a
// dotted leader up to the page number finish writes later. Full entries
// (the contents' own page) are larger than the cover's compact ones.
func (p *pdfDoc) tocLine(e *tocEntry, x, w float64, full bool) {
	f := p.f
	lh, indent := tocLineH, 0.0
	boldSize, size := 9.0, 8.0
	if full {
		lh, boldSize, size = 5, 10, 9
	}
	if e.h.Level == 1 {
		p.setFont("sans", "B", boldSize)
		if full {
			lh = 6.2
			p.need(lh + 2)
			f.SetY(f.GetY() + 1.5)
		} else {
			f.SetY(f.GetY() + tocPartGap)
		}
	} else {
		p.setFont("sans", "", size)
		indent = 6
		if full {
			p.need(lh)
		}
	}
	y := f.GetY()
	title := p.safe(headingText(e.h), false)
	maxW := w - indent - 16
	for p.width(title) > maxW && len([]rune(title)) > 4 {
		title = clip(title, len([]rune(title))-2)
	}
	p.color(colText)
	p.text(x+indent, y, maxW, lh, title, "L")
	tw := p.width(title)
	p.draw(colMuted)
	f.SetLineWidth(0.25)
	f.SetDashPattern([]float64{0.25, 1.3}, 0)
	if x0 := x + indent + tw + 2; x0 < x+w-13 {
		f.Line(x0, y+lh-1.6, x+w-12, y+lh-1.6)
	}
	f.SetDashPattern([]float64{}, 0)
	// The page number is written by finish, once it is known.
	e.tocPg, e.tocY, e.lh, e.tocX, e.tocW = f.PageNo(), y, lh, x, w
	f.Link(x, y, w, lh, e.link)
	f.SetXY(marginL, y+lh)
}
