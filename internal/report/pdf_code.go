package report

import (
	"bytes"
	"image/png"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

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
