package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
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

type tocEntry struct {
	h      heading
	link   int
	tocPg  int     // page of the contents the entry is on
	tocY   float64 // and its line
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
	png    []byte
	reason string
	// current font, for width measurement and sanitising
	cur     *pdfFont
	curSize float64
	widths  map[string]map[rune]float64
	images  int
	sizes   map[int][2]float64 // page number -> width, height
}

func writePDF(ctx context.Context, w io.Writer, d *document, date time.Time, diagramPNG []byte, reason string) error {
	fonts, err := loadFonts()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	f, err := newFpdf(fonts, date)
	if err != nil {
		return err
	}
	p := &pdfDoc{ctx: ctx, f: f, fonts: fonts, d: d, date: date, toc: map[string]*tocEntry{}, png: diagramPNG, reason: reason,
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

	p.cover()
	p.contents()
	for i, b := range d.Blocks {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p.block(b)
		if err := f.Error(); err != nil {
			return fmt.Errorf("report: PDF: %w", err)
		}
	}
	p.finish()
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

func (p *pdfDoc) newPage() { p.addPage("P") }

// addPage starts a page in orientation "P" or "L" and remembers its size
// for the footers, which are written once the page count is known.
func (p *pdfDoc) addPage(orient string) {
	p.f.AddPageFormat(orient, fpdf.SizeType{Wd: pageW, Ht: pageH})
	w, h := p.f.GetPageSize()
	if p.sizes != nil {
		p.sizes[p.f.PageNo()] = [2]float64{w, h}
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
		p.text(marginL+p.contentW()-12, e.tocY, 12, e.lh, strconv.Itoa(e.target), "R")
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
	p.text(marginL, ph-11, pw-marginL-marginR-46, 4, left, "L")
	p.text(pw-marginR-40, ph-11, 40, 4, fmt.Sprintf("Page %d of %d", n, last), "R")
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

func (p *pdfDoc) contents() {
	p.newPage()
	p.headingText(1, "Contents")
	n := 0
	for _, b := range flatten(p.d.Blocks) {
		h, ok := b.(heading)
		if !ok || !h.TOC || h.Level > 2 || h.ID == "" {
			continue
		}
		n++
		e := &tocEntry{h: h, link: p.f.AddLink()}
		p.toc[h.ID] = e
		p.tocSeq = append(p.tocSeq, e)
	}
	f := p.f
	cw := p.contentW()
	for _, e := range p.tocSeq {
		lh := 6.2
		indent := 0.0
		if e.h.Level == 1 {
			p.setFont("sans", "B", 10)
			p.need(lh + 2)
			f.SetY(f.GetY() + 1.5)
		} else {
			p.setFont("sans", "", 9)
			lh = 5
			indent = 6
			p.need(lh)
		}
		y := f.GetY()
		title := p.safe(headingText(e.h), false)
		maxW := cw - indent - 16
		for p.width(title) > maxW && len([]rune(title)) > 4 {
			title = clip(title, len([]rune(title))-2)
		}
		p.color(colText)
		p.text(marginL+indent, y, maxW, lh, title, "L")
		// dotted leader up to the page-number column
		tw := p.width(title)
		p.draw(colMuted)
		f.SetLineWidth(0.25)
		f.SetDashPattern([]float64{0.25, 1.3}, 0)
		if x0 := marginL + indent + tw + 2; x0 < marginL+cw-13 {
			f.Line(x0, y+lh-1.6, marginL+cw-12, y+lh-1.6)
		}
		f.SetDashPattern([]float64{}, 0)
		// The page number is written by finish, once it is known.
		e.tocPg, e.tocY, e.lh = f.PageNo(), y, lh
		f.Link(marginL, y, cw, lh, e.link)
		f.SetXY(marginL, y+lh)
	}
	if len(p.tocSeq) == 0 {
		p.para(para{Spans: []span{txt("This report has no sections.")}})
	}
}

// ---------------------------------------------------------------- blocks

func (p *pdfDoc) block(b block) {
	switch v := b.(type) {
	case heading:
		p.heading(v)
	case para:
		p.para(v)
	case bullets:
		p.bullets(v)
	case facts:
		p.facts(v)
	case table:
		p.table(v)
	case codeBlock:
		p.code(v)
	case chart:
		p.chart(v)
	case diagramBlock:
		p.diagram()
	case group:
		p.group(v)
	}
}

// group keeps a finding with its evidence on one page when it fits, and
// marks it with a bar in its severity's colour.
func (p *pdfDoc) group(g group) {
	var h float64
	for _, b := range g.Blocks {
		h += p.measure(b)
	}
	if h <= p.bottom()-marginT && h > p.room() {
		p.newPage()
	}
	page, y0 := p.f.PageNo(), p.f.GetY()
	for _, b := range g.Blocks {
		if h, ok := b.(heading); ok && h.Level == 2 {
			// The group already made room; do not let the heading's own
			// rule push it further.
			p.f.SetY(p.f.GetY() + 3)
			p.headingAt(h)
			continue
		}
		p.block(b)
	}
	if col, ok := colSev[g.Sev]; ok && p.f.PageNo() == page {
		p.fill(col)
		p.f.Rect(marginL-4, y0+0.6, 1.2, p.f.GetY()-y0-3.6, "F")
	}
}

// measure is the height a block will take (an estimate for the ones that
// never sit in a group).
func (p *pdfDoc) measure(b block) float64 {
	switch v := b.(type) {
	case para:
		size, lh := bodySize, bodyLine
		if v.Small {
			size, lh = smallSize, 4.0
		}
		return float64(len(p.layout(v.Spans, p.contentW(), size)))*lh + 1.8
	case facts:
		return p.factsHeight(v) + 3
	case codeBlock:
		return p.codeHeight(v)
	case table:
		return p.tableHeight(v)
	case heading:
		return 14
	}
	return 20
}

// tableHeight is the height of a table that does not break across pages.
func (p *pdfDoc) tableHeight(t table) float64 {
	ws := p.columnWidths(t, p.contentW())
	rowH := func(cells []string, font func(int)) float64 {
		n := 1
		for i := range t.Cols {
			if i >= len(cells) {
				continue
			}
			font(i)
			if l := len(p.wrap(p.safe(cells[i], true), ws[i]-2*cellPad)); l > n {
				n = l
			}
		}
		return float64(n)*tableLine + 2*cellPad
	}
	titles := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		titles[i] = c.Title
	}
	h := rowH(titles, func(int) { p.setFont("sans", "B", tableSize) }) + 3.5
	for _, r := range t.Rows {
		h += rowH(r, func(i int) { p.cellFont(t.Cols[i]) })
	}
	return h
}

func (p *pdfDoc) heading(h heading) {
	switch h.Level {
	case 1:
		if h.ID == "architecture" && p.diagramWide() {
			p.addPage("L")
		} else {
			p.newPage()
		}
	case 2:
		p.need(40)
		p.f.SetY(p.f.GetY() + 3)
	default:
		p.need(28)
		p.f.SetY(p.f.GetY() + 1.5)
	}
	p.headingAt(h)
}

// headingAt writes a heading where the cursor is: link target, alias for
// the contents, bookmark, text.
func (p *pdfDoc) headingAt(h heading) {
	y := p.f.GetY()
	if e := p.toc[h.ID]; e != nil {
		p.f.SetLink(e.link, y, p.f.PageNo())
		e.target = p.f.PageNo()
	}
	if h.ID != "" {
		p.setFont("sans", "", 9)
		p.f.Bookmark(p.safe(headingText(h), false), h.Level-1, y)
	}
	p.headingText(h.Level, headingText(h))
}

func (p *pdfDoc) headingText(level int, s string) {
	f := p.f
	size, lh, after := 16.0, 8.0, 3.0
	switch level {
	case 2:
		size, lh, after = 12.5, 6.4, 1.6
	case 3:
		size, lh, after = 10.5, 5.4, 1.0
	}
	p.setFont("sans", "B", size)
	if level <= 2 {
		p.color(colAccent)
	} else {
		p.color(colText)
	}
	lines := p.wrap(p.safe(s, false), p.contentW())
	for _, l := range lines {
		p.text(marginL, f.GetY(), p.contentW(), lh, l, "L")
		f.SetXY(marginL, f.GetY()+lh)
	}
	if level == 1 {
		p.draw(colAccent)
		f.SetLineWidth(0.5)
		f.Line(marginL, f.GetY()+0.5, marginL+p.contentW(), f.GetY()+0.5)
		f.SetY(f.GetY() + 2)
	}
	p.color(colText)
	f.SetXY(marginL, f.GetY()+after)
}

// word is a piece of inline text: safe text in one style.
type word struct {
	text string
	st   style
	lead float64 // width of the space before it (0 at line start)
	w    float64 // width of the text
}

func (p *pdfDoc) useStyle(st style, size float64) {
	fam, sty := p.fontFor(st)
	if st == mono {
		size *= 0.86
	}
	p.setFont(fam, sty, size)
}

// layout places spans on lines of width w.
func (p *pdfDoc) layout(spans []span, w, size float64) [][]word {
	type tok struct {
		text  string
		st    style
		space bool
	}
	var toks []tok
	pending := false
	for _, s := range spans {
		p.useStyle(s.Style, size)
		t := p.safe(s.Text, false)
		for i, part := range strings.Split(t, " ") {
			if i > 0 {
				pending = true
			}
			if part == "" {
				continue
			}
			toks = append(toks, tok{part, s.Style, pending})
			pending = false
		}
	}
	var lines [][]word
	var line []word
	x := 0.0
	for _, t := range toks {
		p.useStyle(t.st, size)
		pieces := []string{t.text}
		if p.width(t.text) > w {
			pieces = p.wrap(t.text, w)
		}
		for j, piece := range pieces {
			p.useStyle(t.st, size)
			pw := p.width(piece)
			lead := 0.0
			if t.space && j == 0 && len(line) > 0 {
				fam, sty := p.fontFor(t.st)
				p.setFont(fam, sty, size)
				lead = p.width(" ")
			}
			if len(line) > 0 && x+lead+pw > w {
				lines = append(lines, line)
				line, x, lead = nil, 0, 0
			}
			line = append(line, word{text: piece, st: t.st, lead: lead, w: pw})
			x += lead + pw
		}
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

// inline draws laid-out lines at x from the current y.
func (p *pdfDoc) inline(lines [][]word, x, size, lh float64, base rgb) {
	f := p.f
	for _, line := range lines {
		if p.room() < lh {
			p.newPage()
		}
		y := f.GetY()
		cx := x
		for _, wd := range line {
			cx += wd.lead
			p.useStyle(wd.st, size)
			if wd.st == mono {
				p.fill(colCode)
				f.Rect(cx-0.3, y+0.4, wd.w+0.6, lh-0.8, "F")
			}
			p.color(base)
			p.text(cx, y, wd.w+0.5, lh, wd.text, "L")
			cx += wd.w
		}
		f.SetXY(marginL, y+lh)
	}
}

func (p *pdfDoc) para(v para) {
	size, lh, col := bodySize, bodyLine, colText
	if v.Small {
		size, lh, col = smallSize, 4.0, colMuted
	}
	lines := p.layout(v.Spans, p.contentW(), size)
	if len(lines) <= 3 {
		p.need(lh * float64(len(lines)))
	} else {
		p.need(lh * 2)
	}
	p.inline(lines, marginL, size, lh, col)
	p.f.SetY(p.f.GetY() + 1.8)
}

func (p *pdfDoc) bullets(v bullets) {
	indent := 5.0
	if v.Ordered {
		indent = 6.5
	}
	for i, it := range v.Items {
		lines := p.layout(it, p.contentW()-indent, bodySize)
		p.need(bodyLine * minF(2, float64(len(lines))))
		y := p.f.GetY()
		if v.Ordered {
			p.setFont("sans", "B", bodySize)
			p.color(colAccent)
			p.text(marginL, y, indent, bodyLine, strconv.Itoa(i+1)+".", "L")
		} else {
			p.setFont("sans", "", bodySize)
			p.color(colAccent)
			p.text(marginL+1, y, indent, bodyLine, "•", "L")
		}
		p.f.SetXY(marginL, y)
		p.inline(lines, marginL+indent, bodySize, bodyLine, colText)
		p.f.SetY(p.f.GetY() + 1.2)
	}
	p.f.SetY(p.f.GetY() + 1)
}

func minF(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

const factsKeyW = 40.0

func (p *pdfDoc) factsRow(v facts, i int) (kl, vl []string, h float64) {
	r := v.Rows[i]
	p.setFont("sans", "B", tableSize)
	kl = p.wrap(p.safe(r[0], false), factsKeyW-2)
	if v.Mono[i] {
		p.setFont("mono", "", monoSize)
	} else {
		p.setFont("sans", "", bodySize-0.5)
	}
	vl = p.wrap(p.safe(r[1], true), p.contentW()-factsKeyW)
	n := len(vl)
	if len(kl) > n {
		n = len(kl)
	}
	return kl, vl, float64(n)*4.3 + 1.2
}

func (p *pdfDoc) factsHeight(v facts) float64 {
	var h float64
	for i := range v.Rows {
		_, _, rh := p.factsRow(v, i)
		h += rh
	}
	return h
}

func (p *pdfDoc) codeHeight(v codeBlock) float64 {
	gutter := 0.0
	if v.FirstLine > 0 {
		gutter = 9
	}
	p.setFont("mono", "", codeSize)
	n := 0
	for _, l := range strings.Split(strings.TrimRight(v.Text, "\n"), "\n") {
		n += len(p.wrap(p.safe(l, false), p.contentW()-gutter-4))
	}
	h := float64(n)*codeLine + 6
	if v.Caption != "" {
		h += 4.2
	}
	return h
}

func (p *pdfDoc) facts(v facts) {
	f := p.f
	valW := p.contentW() - factsKeyW
	const lh = 4.3
	for i := range v.Rows {
		kl, vl, h := p.factsRow(v, i)
		if p.room() < h {
			p.newPage()
		}
		y := f.GetY()
		p.setFont("sans", "B", tableSize)
		p.color(colMuted)
		for j, l := range kl {
			p.text(marginL, y+0.6+float64(j)*lh, factsKeyW-2, lh, l, "L")
		}
		if v.Mono[i] {
			p.setFont("mono", "", monoSize)
		} else {
			p.setFont("sans", "", bodySize-0.5)
		}
		p.color(colText)
		for j, l := range vl {
			p.text(marginL+factsKeyW, y+0.6+float64(j)*lh, valW, lh, l, "L")
		}
		p.draw(colLine)
		f.SetLineWidth(0.15)
		f.Line(marginL, y+h, marginL+p.contentW(), y+h)
		f.SetXY(marginL, y+h)
	}
	f.SetY(f.GetY() + 3)
}

func (p *pdfDoc) cellFont(c column) {
	if c.Mono {
		p.setFont("mono", "", monoSize)
	} else if c.Sev {
		p.setFont("sans", "B", tableSize)
	} else {
		p.setFont("sans", "", tableSize)
	}
}

func (p *pdfDoc) table(t table) {
	f := p.f
	cw := p.contentW()
	ws := p.columnWidths(t, cw)
	header := func() {
		p.setFont("sans", "B", tableSize)
		var hl [][]string
		n := 1
		for i, c := range t.Cols {
			l := p.wrap(p.safe(c.Title, false), ws[i]-2*cellPad)
			hl = append(hl, l)
			if len(l) > n {
				n = len(l)
			}
		}
		h := float64(n)*tableLine + 2*cellPad
		y := f.GetY()
		p.fill(colHead)
		f.Rect(marginL, y, cw, h, "F")
		p.color(colText)
		x := marginL
		for i := range t.Cols {
			align := "L"
			if t.Cols[i].Right {
				align = "R"
			}
			for j, l := range hl[i] {
				p.text(x+cellPad, y+cellPad+float64(j)*tableLine, ws[i]-2*cellPad, tableLine, l, align)
			}
			x += ws[i]
		}
		f.SetXY(marginL, y+h)
	}
	p.need(4 * tableLine * 2)
	header()
	for ri, row := range t.Rows {
		if ri%100 == 0 && p.ctx.Err() != nil {
			return
		}
		cells := make([][]string, len(t.Cols))
		n := 1
		for i := range t.Cols {
			s := ""
			if i < len(row) {
				s = row[i]
			}
			p.cellFont(t.Cols[i])
			cells[i] = p.wrap(p.safe(s, true), ws[i]-2*cellPad)
			if len(cells[i]) > n {
				n = len(cells[i])
			}
		}
		// A row taller than what is left goes to the next page; a row
		// taller than a whole page is split across pages.
		rowH := float64(n)*tableLine + 2*cellPad
		if rowH > p.room() && rowH <= p.bottom()-marginT-4*tableLine {
			p.newPage()
			header()
		}
		for start := 0; start < n; {
			avail := int((p.room() - 2*cellPad) / tableLine)
			if avail < 1 {
				p.newPage()
				header()
				continue
			}
			end := n
			if end-start > avail {
				end = start + avail
			}
			h := float64(end-start)*tableLine + 2*cellPad
			y := f.GetY()
			if ri%2 == 1 {
				p.fill(colZebra)
				f.Rect(marginL, y, cw, h, "F")
			}
			x := marginL
			for i, c := range t.Cols {
				p.cellFont(c)
				p.color(colText)
				if c.Sev && i < len(row) {
					if col, ok := colSev[strings.ToLower(row[i])]; ok {
						p.color(col)
					}
				}
				align := "L"
				if c.Right {
					align = "R"
				}
				for j := start; j < end && j < len(cells[i]); j++ {
					p.text(x+cellPad, y+cellPad+float64(j-start)*tableLine, ws[i]-2*cellPad, tableLine, cells[i][j], align)
				}
				x += ws[i]
			}
			p.draw(colLine)
			f.SetLineWidth(0.15)
			f.Line(marginL, y+h, marginL+cw, y+h)
			f.SetXY(marginL, y+h)
			start = end
		}
	}
	p.color(colText)
	f.SetY(f.GetY() + 3.5)
}

// columnWidths sizes columns from their content, the way browsers lay out
// automatic tables: each column gets at least its longest word, and the
// remaining width goes to the columns whose text would wrap the most.
func (p *pdfDoc) columnWidths(t table, cw float64) []float64 {
	n := len(t.Cols)
	natural := make([]float64, n)
	minw := make([]float64, n)
	for i, c := range t.Cols {
		p.setFont("sans", "B", tableSize)
		title := p.safe(c.Title, false)
		natural[i] = p.width(title)
		for _, w := range strings.Fields(title) {
			minw[i] = maxF(minw[i], p.width(w))
		}
		p.cellFont(c)
		for _, r := range t.Rows {
			if i >= len(r) {
				continue
			}
			cell := p.safe(r[i], true)
			for _, line := range strings.Split(cell, "\n") {
				natural[i] = maxF(natural[i], p.width(line))
				for _, w := range strings.Fields(line) {
					// Short words stay whole; long ones (URLs, ARNs,
					// paths) may break after their punctuation.
					if ww := p.width(w); ww <= 42 {
						minw[i] = maxF(minw[i], ww)
						continue
					}
					for _, piece := range splitBreakable(w) {
						minw[i] = maxF(minw[i], p.width(piece))
					}
				}
			}
		}
		natural[i] += 2*cellPad + 0.5
		minw[i] = minF(minw[i]+2*cellPad+0.5, cw*0.3)
		natural[i] = maxF(natural[i], minw[i])
	}
	var sumN, sumM float64
	for i := range natural {
		sumN += natural[i]
		sumM += minw[i]
	}
	ws := make([]float64, n)
	switch {
	case sumN <= cw:
		for i := range ws {
			ws[i] = natural[i] + (cw-sumN)*natural[i]/sumN
		}
	case sumM >= cw:
		// Even the longest words do not fit: narrow columns keep theirs,
		// wide ones share what is left and break their words.
		const narrow = 20.0
		rest, wide := cw, 0.0
		for i := range ws {
			if minw[i] <= narrow {
				ws[i] = minw[i]
				rest -= minw[i]
			} else {
				wide += minw[i]
			}
		}
		for i := range ws {
			if minw[i] > narrow {
				ws[i] = minw[i] * rest / wide
			}
		}
	default:
		extra := cw - sumM
		for i := range ws {
			ws[i] = minw[i] + extra*(natural[i]-minw[i])/(sumN-sumM)
		}
	}
	return ws
}

// splitBreakable cuts a word after the punctuation wrap may break at.
func splitBreakable(w string) []string {
	var out []string
	start := 0
	for i, r := range w {
		if breakable(r) {
			out = append(out, w[start:i+len(string(r))])
			start = i + len(string(r))
		}
	}
	if start < len(w) {
		out = append(out, w[start:])
	}
	return out
}

func maxF(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

func (p *pdfDoc) code(v codeBlock) {
	f := p.f
	cw := p.contentW()
	gutter := 0.0
	if v.FirstLine > 0 {
		gutter = 9
	}
	p.setFont("mono", "", codeSize)
	type cl struct {
		num   string
		text  string
		first bool // first piece of a source line (where a key can start)
	}
	var lines []cl
	for i, l := range strings.Split(strings.TrimRight(v.Text, "\n"), "\n") {
		num := ""
		if v.FirstLine > 0 {
			num = strconv.Itoa(v.FirstLine + i)
		}
		wrapped := p.wrap(p.safe(l, false), cw-gutter-4)
		for j, wl := range wrapped {
			if j > 0 {
				num = ""
			}
			lines = append(lines, cl{num, wl, j == 0})
		}
	}
	capH := 0.0
	if v.Caption != "" {
		capH = 4.2
	}
	total := capH + float64(len(lines))*codeLine + 3
	if total <= p.bottom()-marginT && p.room() < total {
		p.newPage()
	} else {
		p.need(capH + 3*codeLine + 3)
	}
	if v.Caption != "" {
		p.setFont("sans", "I", 7.5)
		p.color(colMuted)
		cap := p.safe(v.Caption, false)
		for p.width(cap) > cw && len([]rune(cap)) > 4 {
			cap = clip(cap, len([]rune(cap))-3)
		}
		p.text(marginL, f.GetY(), cw, 4, cap, "L")
		f.SetY(f.GetY() + capH)
	}
	for i := 0; i < len(lines); {
		avail := int((p.room() - 3) / codeLine)
		if avail < 1 {
			p.newPage()
			continue
		}
		end := i + avail
		if end > len(lines) {
			end = len(lines)
		}
		y := f.GetY()
		h := float64(end-i)*codeLine + 3
		p.fill(colCode)
		f.Rect(marginL, y, cw, h, "F")
		if gutter > 0 {
			p.fill(rgb{232, 236, 240})
			f.Rect(marginL, y, gutter, h, "F")
		}
		p.setFont("mono", "", codeSize)
		for j := i; j < end; j++ {
			ly := y + 1.5 + float64(j-i)*codeLine
			if lines[j].num != "" {
				p.color(colMuted)
				p.text(marginL, ly, gutter-1.5, codeLine, lines[j].num, "R")
			}
			x := marginL + gutter + 2
			for _, seg := range yamlSegments(lines[j].text, lines[j].first && v.Lang == "yaml") {
				p.color(seg.col)
				w := p.width(seg.text)
				p.text(x, ly, w+0.5, codeLine, seg.text, "L")
				x += w
			}
		}
		f.SetXY(marginL, y+h)
		i = end
	}
	p.color(colText)
	f.SetY(f.GetY() + 3)
}

type segment struct {
	text string
	col  rgb
}

var (
	colKey     = rgb{31, 95, 153}
	colTag     = rgb{128, 60, 150}
	colComment = rgb{120, 128, 138}
	colString  = rgb{40, 120, 60}
	yamlKeyRe  = regexp.MustCompile(`^(\s*(?:- )?)([^\s#'"{\[][^:#]*?:)(\s|$)`)
)

// yamlSegments colours a line of YAML: keys, tags (!Ref, !Sub...), quoted
// strings and comments. Continuation pieces of a wrapped line stay plain
// except for tags and strings.
func yamlSegments(line string, highlight bool) []segment {
	if !highlight {
		return []segment{{line, colText}}
	}
	trim := strings.TrimSpace(line)
	if strings.HasPrefix(trim, "#") {
		return []segment{{line, colComment}}
	}
	var out []segment
	rest := line
	if m := yamlKeyRe.FindStringSubmatchIndex(line); m != nil {
		out = append(out, segment{line[:m[3]], colText}, segment{line[m[4]:m[5]], colKey})
		rest = line[m[5]:]
	}
	v := strings.TrimLeft(rest, " ")
	lead := rest[:len(rest)-len(v)]
	switch {
	case strings.HasPrefix(v, "!"):
		tag, after, _ := strings.Cut(v, " ")
		out = append(out, segment{lead + tag, colTag})
		if after != "" {
			out = append(out, segment{" " + after, colText})
		}
	case strings.HasPrefix(v, "\"") || strings.HasPrefix(v, "'"):
		out = append(out, segment{rest, colString})
	default:
		out = append(out, segment{rest, colText})
	}
	return out
}

func (p *pdfDoc) chart(c chart) {
	f := p.f
	cw := p.contentW()
	labelW, valueW := 72.0, 16.0
	barMax := cw - labelW - valueW - 2
	bh, gap := 4.2, 1.4
	p.need(6 + float64(len(c.Bars))*(bh+gap))
	p.setFont("sans", "B", 8.5)
	p.color(colText)
	p.text(marginL, f.GetY(), cw, 5, p.safe(c.Title, false), "L")
	f.SetY(f.GetY() + 6)
	var max int64
	for _, b := range c.Bars {
		if b.Value > max {
			max = b.Value
		}
	}
	for _, b := range c.Bars {
		y := f.GetY()
		p.setFont("sans", "", 8)
		p.color(colText)
		l := p.safe(b.Label, false)
		for p.width(l) > labelW-2 && len([]rune(l)) > 4 {
			l = clip(l, len([]rune(l))-2)
		}
		p.text(marginL, y, labelW-2, bh, l, "L")
		p.fill(colLine)
		f.Rect(marginL+labelW, y+0.4, barMax, bh-0.8, "F")
		if max > 0 && b.Value > 0 {
			col := colAccent
			if sc, ok := colSev[b.Color]; ok {
				col = sc
			}
			p.fill(col)
			bw := barMax * float64(b.Value) / float64(max)
			if bw < 0.8 {
				bw = 0.8
			}
			f.Rect(marginL+labelW, y+0.4, bw, bh-0.8, "F")
		}
		p.setFont("sans", "B", 8)
		p.text(marginL+labelW+barMax+2, y, valueW, bh, strconv.FormatInt(b.Value, 10), "L")
		f.SetXY(marginL, y+bh+gap)
	}
	f.SetY(f.GetY() + 3)
}

// diagramSize is the natural size of the diagram image in millimetres;
// ok is false when there is no usable image.
func (p *pdfDoc) diagramSize() (w, h float64, ok bool) {
	if len(p.png) == 0 {
		return 0, 0, false
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(p.png))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return 0, 0, false
	}
	return float64(cfg.Width) / diagramDPI * 25.4, float64(cfg.Height) / diagramDPI * 25.4, true
}

func fitScale(nw, nh, aw, ah float64) float64 {
	s := 1.0
	if aw/nw < s {
		s = aw / nw
	}
	if ah/nh < s {
		s = ah / nh
	}
	return s
}

const diagramCapH = 8.0

// diagramWide: a wide diagram that would shrink on a portrait page gets a
// landscape page, with the Architecture part's opening.
func (p *pdfDoc) diagramWide() bool {
	nw, nh, ok := p.diagramSize()
	if !ok {
		return false
	}
	portrait := fitScale(nw, nh, pageW-marginL-marginR, pageH-marginT-marginB-diagramCapH)
	landscape := fitScale(nw, nh, pageH-marginL-marginR, pageW-marginT-marginB-diagramCapH-30)
	return landscape > portrait*1.15
}

func (p *pdfDoc) diagram() {
	f := p.f
	nw, nh, ok := p.diagramSize()
	if !ok {
		why := p.reason
		if len(p.png) > 0 {
			why = "the renderer's image could not be read"
		}
		p.para(para{Spans: []span{strong("The data-flow diagram could not be drawn"), txt(" (" + dashIfEmpty(why) + "). The tables below list the same elements and flows.")}})
		return
	}
	p.images++
	name := "diagram" + strconv.Itoa(p.images)
	info := f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(p.png))
	if info == nil || f.Error() != nil {
		f.ClearError()
		p.para(para{Spans: []span{strong("The data-flow diagram could not be drawn"), txt(" (the PDF library could not embed the image). The tables below list the same elements and flows.")}})
		return
	}
	cw := p.contentW()
	full := fitScale(nw, nh, cw, p.bottom()-marginT-diagramCapH)
	s := fitScale(nw, nh, cw, p.room()-diagramCapH)
	if s < full*0.8 {
		pw, ph := p.pageSize()
		orient := "P"
		if pw > ph {
			orient = "L"
		}
		p.addPage(orient)
		s = full
	}
	w, h := nw*s, nh*s
	y := f.GetY()
	f.ImageOptions(name, marginL+(cw-w)/2, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	f.SetXY(marginL, y+h+2)
	p.diagramCaption(cw)
}

func (p *pdfDoc) diagramCaption(w float64) {
	p.setFont("sans", "I", 7.5)
	p.color(colMuted)
	p.text(marginL, p.f.GetY(), w, 4, "Figure 1. Data-flow diagram with trust boundaries, drawn from the template.", "C")
	p.f.SetY(p.f.GetY() + 2)
	p.color(colText)
	p.f.SetY(p.f.GetY() + 6)
}
