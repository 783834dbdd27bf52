package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goccy/go-graphviz/cgraph"

	"github.com/samthreat/samthreat/internal/model"
)

func renderSVG(t testing.TB, m *model.Model, o Options) []byte {
	t.Helper()
	o.Format = "svg"
	out, err := Render(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// svgDoc is what checkSVG learns from an SVG document.
type svgDoc struct {
	ids      map[string]string // id -> element name
	titles   map[string]string // id of a node/edge <g> -> its tooltip
	texts    []string
	elements map[string]int
}

// allowedSVG is every element Graphviz's SVG output uses for these diagrams.
var allowedSVG = map[string]bool{"svg": true, "g": true, "title": true, "polygon": true, "path": true, "ellipse": true,
	"text": true, "a": true, "polyline": true}

// checkSVG parses an SVG strictly and fails on anything but Graphviz's own
// markup: an element or attribute a template could have injected, an
// undefined entity, an invalid character.
func checkSVG(t testing.TB, svg []byte) *svgDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	doc := &svgDoc{ids: map[string]string{}, titles: map[string]string{}, elements: map[string]int{}}
	var stack []string
	groupID := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			doc.elements[name]++
			if !allowedSVG[name] {
				t.Fatalf("unexpected SVG element <%s>", name)
			}
			stack = append(stack, name)
			for _, a := range tok.Attr {
				switch {
				case strings.HasPrefix(strings.ToLower(a.Name.Local), "on"):
					t.Fatalf("event handler attribute %s=%q in SVG", a.Name.Local, a.Value)
				case a.Name.Local == "href" && a.Value != "":
					t.Fatalf("link %q in SVG", a.Value)
				case a.Name.Local == "id":
					if prev, dup := doc.ids[a.Value]; dup {
						t.Fatalf("duplicate SVG id %q (<%s> and <%s>)", a.Value, prev, name)
					}
					doc.ids[a.Value] = name
					if name == "g" {
						// Graphviz wraps a tooltip in <g id="a_ID"><a xlink:title>.
						groupID = strings.TrimPrefix(a.Value, "a_")
					}
				case a.Name.Local == "title" && name == "a" && groupID != "":
					if _, seen := doc.titles[groupID]; !seen {
						doc.titles[groupID] = a.Value
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				doc.texts = append(doc.texts, string(tok))
			}
		case xml.Directive:
			if !bytes.HasPrefix(tok, []byte("DOCTYPE svg")) {
				t.Fatalf("unexpected directive %q", tok)
			}
		}
	}
	return doc
}

// TestSVGForTheUI: every node and edge of the model has its stable id and a
// tooltip in the SVG.
func TestSVGForTheUI(t *testing.T) {
	for name, m := range map[string]*model.Model{"handbuilt": handBuilt(), "freshtracks": analyse(t, freshTracksPath(t, "template.yaml"))} {
		t.Run(name, func(t *testing.T) {
			doc := checkSVG(t, renderSVG(t, m, Options{}))
			want := []string{}
			for _, f := range m.Functions {
				want = append(want, f.ID)
			}
			for _, r := range m.Resources {
				if r.Kind != "api" {
					want = append(want, r.ID)
				}
			}
			for _, e := range m.EntryPoints {
				want = append(want, e.ID)
			}
			for _, tp := range m.ThirdParties {
				want = append(want, tp.ID)
			}
			for _, id := range want {
				nid := NodeID(id)
				if doc.ids[nid] != "g" {
					t.Errorf("no <g id=%q> for %s", nid, id)
					continue
				}
				if strings.TrimSpace(doc.titles[nid]) == "" {
					t.Errorf("node %s has no tooltip", id)
				}
			}
			edges := 0
			for id := range doc.ids {
				if strings.HasPrefix(id, "e-") && doc.ids[id] == "g" {
					edges++
					if doc.titles[id] == "" {
						t.Errorf("edge %s has no tooltip", id)
					}
				}
			}
			if edges < len(m.Edges) {
				t.Errorf("%d edges in the SVG for %d model edges", edges, len(m.Edges))
			}
			for _, b := range []string{clusterID(bInternet), clusterID(bAPI), clusterID(bAccount)} {
				if doc.ids[b] != "g" {
					t.Errorf("trust boundary %s missing", b)
				}
			}
		})
	}
}

// TestEscaping: names from a template cannot inject markup. Logical ids,
// paths, hosts and descriptions carry markup, quotes, ampersands and
// entity-looking text, backslash escapes, control characters and emoji; the
// SVG must stay well-formed with only Graphviz's elements, and show the text
// literally.
func TestEscaping(t *testing.T) {
	nasty := []string{
		`<script>alert("x")</script>`,
		`Tom & "Jerry" 🚀`,
		`a&nbsp;b &#0; &lt;i&gt;`,
		`back\N\G\\ slash\`,
		"bell\x07 ]]> <!-- --> ' \"",
		"bad\xffutf8",
	}
	m := &model.Model{Template: `/t/<b>evil</b>&.yaml`, Description: nasty[0]}
	m.Clients = []*model.Client{{ID: "internet", Label: nasty[1], Boundary: model.BoundaryInternet}}
	for i, s := range nasty {
		fid := s
		m.Functions = append(m.Functions, &model.Function{ID: fid, Type: "AWS::Serverless::Function", Runtime: s, Handler: s, File: s, Line: i + 1, Blast: blastOf(i * 17)})
		rid := "res " + s
		m.Resources = append(m.Resources, &model.Resource{ID: rid, Type: s, Kind: "table", Boundary: model.BoundaryAccount, File: s})
		eid := "api " + s
		m.EntryPoints = append(m.EntryPoints, &model.EntryPoint{ID: eid, Kind: "route", API: "API " + s, APIType: "rest", Method: "GET", Path: "/" + s, Auth: s, Public: true, Function: fid})
		tid := "tp " + s
		m.ThirdParties = append(m.ThirdParties, &model.ThirdParty{ID: tid, Host: s, URL: "https://" + s, Kind: "http", Via: s, Functions: []string{fid}})
		m.Edges = append(m.Edges,
			&model.Edge{From: "internet", To: eid, Kind: model.EdgeTrigger, Label: s},
			&model.Edge{From: eid, To: fid, Kind: model.EdgeTrigger, Label: s},
			&model.Edge{From: fid, To: rid, Kind: model.EdgeAccess, Access: []string{s, "read"}, Actions: []string{s}, Label: s},
			&model.Edge{From: fid, To: tid, Kind: model.EdgeOutbound, Label: s},
			&model.Edge{From: fid, To: "missing " + s, Kind: s, Label: s},
		)
		m.Findings = append(m.Findings, &model.Finding{Severity: "high", Resource: fid, Message: s})
	}
	for _, o := range []Options{{}, {Focus: nasty[0]}, {Collapse: CollapseTrigger}} {
		dot, err := DOT(m, o)
		if err != nil {
			t.Fatal(err)
		}
		// The DOT text itself parses with Graphviz's parser.
		if g, err := cgraph.ParseBytes(dot); err != nil {
			t.Fatalf("%+v: Graphviz cannot parse the DOT: %v", o, err)
		} else {
			g.Close()
		}
		doc := checkSVG(t, renderSVG(t, m, o))
		if doc.elements["script"] > 0 {
			t.Fatal("script element in SVG")
		}
		text := strings.Join(doc.texts, "")
		if o.Focus == "" && o.Collapse == "" {
			for _, s := range nasty[:4] {
				if !strings.Contains(text, truncate(cleanText(s), 48)) {
					t.Errorf("%q not shown literally in the SVG text", s)
				}
			}
			for _, s := range nasty {
				if doc.ids[NodeID(s)] != "g" {
					t.Errorf("function %q has no node id", s)
				}
			}
			if tip := doc.titles[NodeID(nasty[2])]; !strings.Contains(tip, "a&nbsp;b &#0; &lt;i&gt;") {
				t.Errorf("tooltip does not carry the text literally: %q", tip)
			}
			if tip := doc.titles[NodeID(nasty[3])]; !strings.Contains(tip, "back\u29F5N\u29F5G") {
				t.Errorf("backslashes in tooltips: %q", tip)
			}
		}
	}
}

// TestAPIMatchesDOT: the graph built object by object through go-graphviz's
// API and the DOT text parsed by Graphviz lay out to the same SVG, so the
// DOT users get is exactly what Render draws.
func TestAPIMatchesDOT(t *testing.T) {
	for name, m := range map[string]*model.Model{"handbuilt": handBuilt(), "freshtracks": analyse(t, freshTracksPath(t, "template.yaml"))} {
		t.Run(name, func(t *testing.T) {
			viaAPI := renderSVG(t, m, Options{})
			dot, err := DOT(m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			viaDOT, err := renderDOT(context.Background(), dot, "svg")
			if err != nil {
				t.Fatal(err)
			}
			// Edges created through the API carry their id as key; the parser
			// gives anonymous edges. Nothing else may differ.
			if !bytes.Equal(viaAPI, viaDOT) {
				al, dl := strings.Split(string(viaAPI), "\n"), strings.Split(string(viaDOT), "\n")
				for i := range al {
					if i >= len(dl) || al[i] != dl[i] {
						t.Fatalf("SVG via API and via DOT differ at line %d:\n api: %s\n dot: %s", i+1, al[i], dl[min(i, len(dl)-1)])
					}
				}
				t.Fatalf("SVG via DOT has %d more lines", len(dl)-len(al))
			}
		})
	}
}

func TestPNG(t *testing.T) {
	m := analyse(t, freshTracksPath(t, "template.yaml"))
	sizes := map[int][2]int{}
	for _, dpi := range []int{0, 48} {
		out, err := Render(context.Background(), m, Options{Format: "png", DPI: dpi})
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("DPI %d: not a PNG: %v", dpi, err)
		}
		b := img.Bounds()
		if b.Dx() < 200 || b.Dy() < 200 || b.Dx() > maxPNGSide || b.Dy() > maxPNGSide {
			t.Fatalf("DPI %d: PNG is %dx%d", dpi, b.Dx(), b.Dy())
		}
		// Something is drawn: count non-white pixels on a grid.
		ink := 0
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			for x := b.Min.X; x < b.Max.X; x += 4 {
				if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
					ink++
				}
			}
		}
		if ink < b.Dx()*b.Dy()/16/20 {
			t.Fatalf("DPI %d: PNG is nearly blank (%d inked samples)", dpi, ink)
		}
		sizes[dpi] = [2]int{b.Dx(), b.Dy()}
	}
	// Half the resolution, about half the pixels on each side.
	if r := float64(sizes[48][0]) / float64(sizes[0][0]); r < 0.4 || r > 0.6 {
		t.Errorf("48 dpi width / 96 dpi width = %.2f", r)
	}
}

// TestRenderConcurrent: Render serialises go-graphviz internally; parallel
// callers all get the same, complete SVG.
func TestRenderConcurrent(t *testing.T) {
	m := handBuilt()
	want := renderSVG(t, m, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			o := Options{}
			if i%2 == 1 {
				o.Format = "png"
			}
			out, err := Render(context.Background(), m, o)
			if err != nil {
				errs <- err
				return
			}
			if o.Format == "" && !bytes.Equal(out, want) {
				errs <- errors.New("concurrent SVG differs")
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRenderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, handBuilt(), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

// TestCorpus: every corpus template the pipeline reads draws to DOT that
// Graphviz parses; a sample renders to well-formed SVG.
func TestCorpus(t *testing.T) {
	files := corpusTemplates(t)
	drawn := 0
	for i, f := range files {
		if strings.Contains(f, "functions-1000") {
			continue // covered by TestLargeTemplateCollapsesByDefault
		}
		m, err := analysisOf(f)
		if err != nil {
			continue // a template the pipeline rejects (deliberately invalid inputs)
		}
		name, _ := filepath.Rel(sharedDir(t), f)
		dot, err := DOT(m, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		g, err := cgraph.ParseBytes(dot)
		if err != nil {
			t.Errorf("%s: Graphviz cannot parse the DOT: %v", name, err)
			continue
		}
		g.Close()
		drawn++
		if i%15 == 0 || strings.Contains(f, "functions-100.yaml") {
			checkSVG(t, renderSVG(t, m, Options{}))
		}
	}
	if drawn < len(files)*9/10 {
		t.Fatalf("only %d of %d corpus templates drawn", drawn, len(files))
	}
	t.Logf("%d of %d corpus templates drawn", drawn, len(files))
}
