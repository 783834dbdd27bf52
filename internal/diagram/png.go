package diagram

import (
	"bytes"
	"context"
	"image/color"
	"math"
	"strconv"
	"sync"

	"github.com/fogleman/gg"
	"github.com/goccy/go-graphviz/gvc"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// pngRenderer draws Graphviz's render calls into a bitmap with gg. It
// replaces go-graphviz v0.2.10's own PNG renderer, which misdraws this kind of
// diagram (unstroked ellipses, edges filled as blobs, system font lookups),
// and follows Graphviz's cairo renderer instead: the same transform, fill
// then stroke, transparent colours honoured, edge splines never filled (the
// filled flag go-graphviz passes to callbacks is always set, so the diagram
// only draws filled node and cluster shapes). Text uses the Go fonts
// compiled into the binary and is
// narrowed when it would be wider than the space Graphviz measured for it, so
// no label runs out of its box.
type pngRenderer struct {
	*gvc.DefaultRenderEngine
	dc       *gg.Context
	sx, sy   float64 // device pixels per point
	tx, ty   float64 // translation, in points
	faceSize map[string]font.Face
}

func newPNGRenderer() *pngRenderer {
	return &pngRenderer{DefaultRenderEngine: &gvc.DefaultRenderEngine{}, faceSize: map[string]font.Face{}}
}

// pngPlugins are the render and device plugins for "png".
func pngPlugins(ctx context.Context) ([]gvc.Plugin, error) {
	r, err := gvc.NewRenderPlugin(ctx, "png", newPNGRenderer(),
		gvc.WithRenderFeatures(gvc.RenderYGoesDown, gvc.RenderDoesTransform),
		gvc.WithRenderColorType(gvc.RGBAByte))
	if err != nil {
		return nil, err
	}
	d, err := gvc.NewDevicePlugin(ctx, "png:png",
		gvc.WithDeviceFeatures(gvc.DeviceBinaryFormat, gvc.DeviceDoesTrueColor),
		gvc.WithDeviceDPI(DefaultDPI, DefaultDPI))
	if err != nil {
		return nil, err
	}
	return []gvc.Plugin{r, d}, nil
}

func (r *pngRenderer) BeginPage(_ context.Context, job *gvc.Job) error {
	w, h := int(job.Width()), int(job.Height())
	if w <= 0 || h <= 0 || w > 4*maxPNGSide || h > 4*maxPNGSide {
		w, h = max(1, min(w, 4*maxPNGSide)), max(1, min(h, 4*maxPNGSide))
	}
	r.dc = gg.NewContext(w, h)
	r.dc.SetColor(color.White)
	r.dc.Clear()
	s, t := job.Scale(), job.Translation()
	r.sx, r.sy = s.X(), s.Y()
	r.tx, r.ty = t.X(), t.Y()
	return nil
}

func (r *pngRenderer) EndPage(_ context.Context, job *gvc.Job) error {
	var buf bytes.Buffer
	if err := r.dc.EncodePNG(&buf); err != nil {
		return err
	}
	job.SetOutputData(buf.Bytes())
	job.SetOutputDataPosition(uint(buf.Len()))
	r.dc = nil
	return nil
}

// pt maps a Graphviz point to device pixels (cairo: translate, flip y, scale).
func (r *pngRenderer) pt(p *gvc.PointFloat) (float64, float64) {
	return r.sx * (p.X() + r.tx), r.sy * (-p.Y() - r.ty)
}

func rgba(c *gvc.Color) color.NRGBA {
	v := c.RGBAUint()
	return color.NRGBA{R: uint8(v[0]), G: uint8(v[1]), B: uint8(v[2]), A: uint8(v[3])}
}

// finish fills (when asked) and strokes the current path like cairo does.
func (r *pngRenderer) finish(job *gvc.Job, filled bool) {
	o := job.Object()
	if filled {
		r.dc.SetColor(rgba(o.FillColor()))
		r.dc.FillPreserve()
	}
	pen := rgba(o.PenColor())
	if o.Pen() == gvc.PenNone || pen.A == 0 {
		r.dc.ClearPath()
		return
	}
	r.dc.SetColor(pen)
	w := o.PenWidth() * r.sx
	r.dc.SetLineWidth(math.Max(w, 0.5))
	switch o.Pen() {
	case gvc.PenDashed:
		r.dc.SetDash(6*r.sx, 3*r.sx)
	case gvc.PenDotted:
		r.dc.SetDash(1*r.sx, 3*r.sx)
	default:
		r.dc.SetDash()
	}
	r.dc.Stroke()
	r.dc.SetDash()
}

func (r *pngRenderer) Ellipse(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	if len(p) < 2 {
		return nil
	}
	cx, cy := r.pt(p[0])
	rx := math.Abs(p[1].X()-p[0].X()) * r.sx
	ry := math.Abs(p[1].Y()-p[0].Y()) * r.sy
	r.dc.NewSubPath()
	r.dc.DrawEllipse(cx, cy, rx, ry)
	r.finish(job, filled)
	return nil
}

func (r *pngRenderer) Polygon(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	if len(p) == 0 {
		return nil
	}
	r.dc.NewSubPath()
	r.dc.MoveTo(r.pt(p[0]))
	for _, q := range p[1:] {
		r.dc.LineTo(r.pt(q))
	}
	r.dc.ClosePath()
	r.finish(job, filled)
	return nil
}

func (r *pngRenderer) BezierCurve(_ context.Context, job *gvc.Job, p []*gvc.PointFloat, filled bool) error {
	if len(p) == 0 {
		return nil
	}
	// Edge splines are never filled (this diagram uses no tapered edges);
	// filled Beziers are rounded node and cluster outlines. go-graphviz
	// v0.2.10 reports every Bezier and polygon as filled, which is why the
	// diagram fills every node and cluster it draws.
	if job.Object().Type() == gvc.EdgeObjectType {
		filled = false
	}
	r.dc.NewSubPath()
	r.dc.MoveTo(r.pt(p[0]))
	for i := 1; i+2 < len(p); i += 3 {
		x1, y1 := r.pt(p[i])
		x2, y2 := r.pt(p[i+1])
		x3, y3 := r.pt(p[i+2])
		r.dc.CubicTo(x1, y1, x2, y2, x3, y3)
	}
	if filled {
		r.dc.ClosePath()
	}
	r.finish(job, filled)
	return nil
}

func (r *pngRenderer) Polyline(_ context.Context, job *gvc.Job, p []*gvc.PointFloat) error {
	if len(p) == 0 {
		return nil
	}
	r.dc.NewSubPath()
	r.dc.MoveTo(r.pt(p[0]))
	for _, q := range p[1:] {
		r.dc.LineTo(r.pt(q))
	}
	r.finish(job, false)
	return nil
}

func (r *pngRenderer) TextSpan(_ context.Context, job *gvc.Job, p *gvc.PointFloat, span *gvc.TextSpan) error {
	text := span.Text()
	if text == "" {
		return nil
	}
	f := span.Font()
	style := int(f.Flags()) & (htmlBold | htmlItalic)
	size := f.Size() * r.sx
	if size <= 0.5 {
		return nil
	}
	face := r.face(style, size)
	width := span.Size().X() * r.sx
	if w, _ := measure(face, text); width > 0 && w > width*1.02 {
		face = r.face(style, size*width/w)
	}
	w, _ := measure(face, text)
	x, y := r.pt(p)
	switch span.Just() {
	case 'r':
		x -= w
	case 'l':
	default:
		x -= w / 2
	}
	y -= (span.YOffsetCenterLine() + span.YOffsetLayout()) * r.sy
	r.dc.SetFontFace(face)
	r.dc.SetColor(rgba(job.Object().PenColor()))
	r.dc.DrawString(text, x, y)
	return nil
}

func measure(face font.Face, s string) (float64, float64) {
	d := &font.Drawer{Face: face}
	adv := d.MeasureString(s)
	return float64(adv) / 64, 0
}

var (
	fontOnce  sync.Once
	fontFiles map[int]*truetype.Font
)

const (
	htmlBold   = 1 << 0 // Graphviz HTML_BF
	htmlItalic = 1 << 1 // Graphviz HTML_IF
)

func (r *pngRenderer) face(style int, size float64) font.Face {
	fontOnce.Do(func() {
		fontFiles = map[int]*truetype.Font{}
		for s, data := range map[int][]byte{0: goregular.TTF, htmlBold: gobold.TTF, htmlItalic: goitalic.TTF, htmlBold | htmlItalic: gobolditalic.TTF} {
			if ft, err := truetype.Parse(data); err == nil {
				fontFiles[s] = ft
			}
		}
	})
	key := strconv.Itoa(style) + "/" + strconv.FormatFloat(size, 'f', 2, 64)
	if f := r.faceSize[key]; f != nil {
		return f
	}
	ft := fontFiles[style]
	if ft == nil {
		ft = fontFiles[0]
	}
	f := truetype.NewFace(ft, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingNone})
	r.faceSize[key] = f
	return f
}
