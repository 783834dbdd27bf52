package report

import (
	"regexp"
	"strconv"
	"strings"
)

func (p *pdfDoc) code(v codeBlock) {
	f := p.f
	cw := p.contentW()
	gutter := 0.0
	if v.FirstLine > 0 {
		gutter = 9
	}
	p.setFont("mono", "", codeSize)
	lines := p.codeLines(v, cw-gutter-4)
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
		end := min(i+avail, len(lines))
		p.codeRun(lines[i:end], gutter, v.Lang == "yaml")
		i = end
	}
	p.color(colText)
	f.SetY(f.GetY() + 3)
}

// codeLineText is one printed line of a code block.
type codeLineText struct {
	num   string
	text  string
	first bool // first piece of a source line (where a key can start)
}

// codeLines wraps the block's source lines to width w, numbering the first
// piece of each.
func (p *pdfDoc) codeLines(v codeBlock, w float64) []codeLineText {
	var lines []codeLineText
	for i, l := range strings.Split(strings.TrimRight(v.Text, "\n"), "\n") {
		num := ""
		if v.FirstLine > 0 {
			num = strconv.Itoa(v.FirstLine + i)
		}
		for j, wl := range p.wrap(p.safe(l, false), w) {
			if j > 0 {
				num = ""
			}
			lines = append(lines, codeLineText{num, wl, j == 0})
		}
	}
	return lines
}

// codeRun prints lines on the current page: the shaded box, the line-number
// gutter and the text (YAML keys highlighted).
func (p *pdfDoc) codeRun(lines []codeLineText, gutter float64, yaml bool) {
	f := p.f
	cw := p.contentW()
	y := f.GetY()
	h := float64(len(lines))*codeLine + 3
	p.fill(colCode)
	f.Rect(marginL, y, cw, h, "F")
	if gutter > 0 {
		p.fill(rgb{232, 236, 240})
		f.Rect(marginL, y, gutter, h, "F")
	}
	p.setFont("mono", "", codeSize)
	for j, l := range lines {
		ly := y + 1.5 + float64(j)*codeLine
		if l.num != "" {
			p.color(colMuted)
			p.text(marginL, ly, gutter-1.5, codeLine, l.num, "R")
		}
		x := marginL + gutter + 2
		for _, seg := range yamlSegments(l.text, l.first && yaml) {
			p.color(seg.col)
			w := p.width(seg.text)
			p.text(x, ly, w+0.5, codeLine, seg.text, "L")
			x += w
		}
	}
	f.SetXY(marginL, y+h)
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
