package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// sanitizeSVG re-writes an SVG drawing keeping only drawing elements and
// presentation attributes from an allowlist. The diagram's labels come from
// the template, and the SVG goes inline into the HTML report: whatever the
// renderer produced, the result holds no script, no event handler, no link,
// no external reference and no foreign content. Every attribute value and
// text is re-escaped on the way out.
func sanitizeSVG(in []byte) ([]byte, error) {
	dec := xml.NewDecoder(bytes.NewReader(in))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity
	var z svgSanitizer
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("diagram SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := z.start(t); err != nil {
				return nil, err
			}
		case xml.EndElement:
			z.end()
		case xml.CharData:
			if z.skip == 0 && len(z.stack) > 0 {
				xml.EscapeText(&z.out, t)
			}
		}
		// Comments, processing instructions and directives (DOCTYPE,
		// entity declarations) are dropped.
	}
	if !z.rootSeen {
		return nil, errors.New("diagram SVG: no <svg> element")
	}
	return z.out.Bytes(), nil
}

// svgSanitizer is sanitizeSVG's state.
type svgSanitizer struct {
	out      bytes.Buffer
	stack    []string // emitted element names ("" for unwrapped ones)
	skip     int      // depth inside a dropped subtree
	rootSeen bool
}

func (z *svgSanitizer) start(t xml.StartElement) error {
	if z.skip > 0 {
		z.skip++
		return nil
	}
	name := strings.ToLower(t.Name.Local)
	if t.Name.Space != "" && t.Name.Space != svgNS {
		z.skip = 1
		return nil
	}
	if !z.rootSeen {
		if name != "svg" {
			return errors.New("diagram SVG: the root element is not <svg>")
		}
		z.rootSeen = true
	}
	if unwrapSVG[name] {
		z.stack = append(z.stack, "")
		return nil
	}
	if !allowedSVG[name] {
		z.skip = 1
		return nil
	}
	z.out.WriteString("<" + t.Name.Local)
	if name == "svg" && len(z.stack) == 0 {
		z.out.WriteString(` xmlns="` + svgNS + `" role="img"`)
	}
	for _, a := range t.Attr {
		an := a.Name.Local
		if a.Name.Space != "" || !allowedAttr[an] || !safeValue(a.Value) {
			continue
		}
		z.out.WriteString(" " + an + `="`)
		xml.EscapeText(&z.out, []byte(a.Value))
		z.out.WriteString(`"`)
	}
	z.out.WriteString(">")
	z.stack = append(z.stack, t.Name.Local)
	return nil
}

func (z *svgSanitizer) end() {
	if z.skip > 0 {
		z.skip--
		return
	}
	if len(z.stack) == 0 {
		return
	}
	name := z.stack[len(z.stack)-1]
	z.stack = z.stack[:len(z.stack)-1]
	if name != "" {
		z.out.WriteString("</" + name + ">")
	}
}

const svgNS = "http://www.w3.org/2000/svg"

var allowedSVG = setOf("svg", "g", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle", "rect",
	"line", "text", "tspan", "defs", "lineargradient", "radialgradient", "stop", "marker", "clippath")

// unwrapSVG elements are dropped but their children kept (Graphviz wraps
// nodes with URLs in <a>).
var unwrapSVG = setOf("a", "switch")

var allowedAttr = setOf("id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
	"viewBox", "points", "d", "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap",
	"stroke-linejoin", "stroke-opacity", "fill-opacity", "opacity", "font-family", "font-size", "font-weight",
	"font-style", "text-anchor", "transform", "dominant-baseline", "preserveAspectRatio", "offset",
	"stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "markerWidth", "markerHeight", "refX", "refY", "orient",
	"clip-path", "fill-rule", "text-decoration", "letter-spacing", "version")

var urlRe = regexp.MustCompile(`url\(\s*#[A-Za-z0-9_.:-]+\s*\)`)

// safeValue accepts values that cannot reach outside the drawing: any
// url() must point at an element of the same SVG.
func safeValue(v string) bool {
	l := strings.ToLower(v)
	if strings.Contains(l, "javascript:") || strings.Contains(l, "expression(") || strings.Contains(l, "data:") {
		return false
	}
	if strings.Contains(l, "url(") {
		return strings.Count(l, "url(") == len(urlRe.FindAllString(v, -1))
	}
	return true
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
		m[strings.ToLower(n)] = true
	}
	return m
}
