package report

import (
	"strings"
)

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
	ws := p.columnWidths(t, p.contentW())
	p.need(4 * tableLine * 2)
	p.tableHeader(t, ws)
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
			n = max(n, len(cells[i]))
		}
		// A row taller than what is left goes to the next page; a row
		// taller than a whole page is split across pages.
		rowH := float64(n)*tableLine + 2*cellPad
		if rowH > p.room() && rowH <= p.bottom()-marginT-4*tableLine {
			p.newPage()
			p.tableHeader(t, ws)
		}
		for start := 0; start < n; {
			avail := int((p.room() - 2*cellPad) / tableLine)
			if avail < 1 {
				p.newPage()
				p.tableHeader(t, ws)
				continue
			}
			end := min(n, start+avail)
			p.tableRowPart(t, ws, ri, row, cells, start, end)
			start = end
		}
	}
	p.color(colText)
	f.SetY(f.GetY() + 3.5)
}

// tableHeader prints the column titles on a shaded band.
func (p *pdfDoc) tableHeader(t table, ws []float64) {
	f := p.f
	p.setFont("sans", "B", tableSize)
	var hl [][]string
	n := 1
	for i, c := range t.Cols {
		l := p.wrap(p.safe(c.Title, false), ws[i]-2*cellPad)
		hl = append(hl, l)
		n = max(n, len(l))
	}
	h := float64(n)*tableLine + 2*cellPad
	y := f.GetY()
	p.fill(colHead)
	f.Rect(marginL, y, p.contentW(), h, "F")
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

// tableRowPart prints lines start to end of row ri's wrapped cells, zebra
// shaded, severities in their colour, with the rule under them.
func (p *pdfDoc) tableRowPart(t table, ws []float64, ri int, row []string, cells [][]string, start, end int) {
	f := p.f
	cw := p.contentW()
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
