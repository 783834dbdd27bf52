package report

import (
	"strconv"
	"strings"
)

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
	case chart:
		return 9 + float64(len(v.Bars))*5.6
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

// lateParts may start on the page the part before them left half empty.
var lateParts = map[string]bool{"third-parties": true, "appendix": true, "findings": true, "functions": true}

func (p *pdfDoc) heading(h heading) {
	switch h.Level {
	case 1:
		// A part starts a page, except a late part that fits in what is
		// left of a page more than half empty (no near-empty pages).
		_, ph := p.pageSize()
		if lateParts[h.ID] && p.room() > (ph-marginT-marginB)*0.55 {
			p.f.SetY(p.f.GetY() + 8)
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
