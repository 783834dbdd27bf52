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
	var out bytes.Buffer
	var stack []string // emitted element names ("" for unwrapped ones)
	skip := 0          // depth inside a dropped subtree
	rootSeen := false
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
			if skip > 0 {
				skip++
				continue
			}
			name := strings.ToLower(t.Name.Local)
			if t.Name.Space != "" && t.Name.Space != svgNS {
				skip = 1
				continue
			}
			if !rootSeen {
				if name != "svg" {
					return nil, errors.New("diagram SVG: the root element is not <svg>")
				}
				rootSeen = true
			}
			if unwrapSVG[name] {
				stack = append(stack, "")
				continue
			}
			if !allowedSVG[name] {
				skip = 1
				continue
			}
			out.WriteString("<" + t.Name.Local)
			if name == "svg" && len(stack) == 0 {
				out.WriteString(` xmlns="` + svgNS + `" role="img"`)
			}
			for _, a := range t.Attr {
				an := a.Name.Local
				if a.Name.Space != "" || !allowedAttr[an] || !safeValue(a.Value) {
					continue
				}
				out.WriteString(" " + an + `="`)
				xml.EscapeText(&out, []byte(a.Value))
				out.WriteString(`"`)
			}
			out.WriteString(">")
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if name != "" {
				out.WriteString("</" + name + ">")
			}
		case xml.CharData:
			if skip > 0 || len(stack) == 0 {
				continue
			}
			xml.EscapeText(&out, t)
		}
		// Comments, processing instructions and directives (DOCTYPE,
		// entity declarations) are dropped.
	}
	if !rootSeen {
		return nil, errors.New("diagram SVG: no <svg> element")
	}
	return out.Bytes(), nil
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
