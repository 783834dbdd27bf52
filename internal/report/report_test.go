package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules/catalog"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixedDate = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func testOptions() Options {
	return Options{Date: fixedDate, Version: "1.2.3-test", Revision: "r42 (abc1234)"}
}

// goldenModel is Fresh Tracks' model frozen as JSON (so the golden file
// tests the report, not the analysis), with reviewer triage and one
// suppression added, and the template for the evidence snippets.
func goldenModel(t *testing.T) *model.Model {
	t.Helper()
	data, err := os.ReadFile("testdata/golden/model.json")
	if err != nil {
		t.Fatal(err)
	}
	var m model.Model
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile("testdata/golden/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withTemplate(t, &m, "testdata/golden/template.yaml", tmpl)
	return &m
}

// withTemplate gives a model built without the analysis what the analysis
// keeps for quoting: the template text and its NoEcho defaults.
func withTemplate(t *testing.T, m *model.Model, name string, data []byte) {
	t.Helper()
	tmpl, err := sam.Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	m.TemplateText = string(tmpl.Data)
	for _, p := range tmpl.Parameters {
		if p.NoEcho && p.Default != nil {
			m.NoEchoDefaults = append(m.NoEchoDefaults, model.TemplateSecret{Value: sam.Str(p.Default), Line: p.Default.Line})
		}
	}
}

func analyse(t testing.TB, path string) *model.Model {
	t.Helper()
	m, err := analysis.File(context.Background(), path, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// withRenderer swaps the diagram renderer for one test.
func withRenderer(t *testing.T, fn func(context.Context, *model.Model, string) ([]byte, error)) {
	old, oldPaper := renderDiagram, renderPaper
	renderDiagram = fn
	renderPaper = func(ctx context.Context, m *model.Model) ([]diagram.PaperPage, error) {
		data, err := fn(ctx, m, "png")
		if err != nil || data == nil {
			return nil, err
		}
		return []diagram.PaperPage{pngPage(data)}, nil
	}
	t.Cleanup(func() { renderDiagram, renderPaper = old, oldPaper })
}

const zendeskSecret = "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe"

func TestGoldenMarkdown(t *testing.T) {
	m := goldenModel(t)
	var buf bytes.Buffer
	if err := WriteMarkdown(context.Background(), m, &buf, testOptions()); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/golden/freshtracks.md"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Markdown differs from %s (run go test ./internal/report -update and review the diff)", golden)
	}
	// What the golden file must show, checked here so -update cannot
	// silently bless a regression.
	md := buf.String()
	for _, want := range []string{
		"accepted (alice@example.com): Activities are public by design \\| see \\<ADR-12\\> \\& \\*\\*the product brief\\*\\*",
		"mitigated (bob)",
		"false positive: Block set at the account level (s3control)",
		"suppressed in the template: Table is rebuilt from S3 on demand",
		"ZENDESK_API_TOKEN: ****** (masked)",
		"r42 (abc1234)",
		"14 March 2025, 09:26 UTC",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("golden Markdown lacks %q", want)
		}
	}
	if strings.Contains(md, zendeskSecret) {
		t.Error("the plaintext secret of the template is printed")
	}
}

// needles are what the acceptance asks the PDF to contain, computed from
// the model: every function, resource and third party, the OWASP category
// names and every finding (by its stable id).
func needles(t *testing.T, m *model.Model) []string {
	t.Helper()
	var out []string
	for _, f := range m.Functions {
		out = append(out, f.ID)
	}
	for _, r := range m.Resources {
		out = append(out, r.ID)
	}
	for _, tp := range m.ThirdParties {
		out = append(out, tp.ID)
	}
	cats, err := catalog.OWASP()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		out = append(out, c.ID+" "+c.Title)
	}
	for _, f := range m.Findings {
		out = append(out, f.Fingerprint)
	}
	return out
}

func TestFreshTracksPDF(t *testing.T) {
	for _, name := range []string{"template.yaml", "template-least-privilege.yaml", "template-monolith.yaml"} {
		t.Run(name, func(t *testing.T) {
			m := analyse(t, testshared.FreshTracks(t, name))
			if len(m.Findings) == 0 || len(m.Functions) == 0 {
				t.Fatalf("fixture gave %d functions, %d findings", len(m.Functions), len(m.Findings))
			}
			var buf bytes.Buffer
			var steps []string
			o := testOptions()
			o.Progress = func(s string) { steps = append(steps, s) }
			if err := WritePDF(context.Background(), m, &buf, o); err != nil {
				t.Fatal(err)
			}
			info := readPDF(t, buf.Bytes())
			if info.Pages < 5 {
				t.Errorf("%d pages, want at least 5", info.Pages)
			}
			if len(info.Images) < 1 || len(info.Images) > 4 {
				t.Fatalf("%d images in the PDF, want the diagram on one to four pages", len(info.Images))
			}
			for _, im := range info.Images {
				if w := im[0]; w < 800 {
					t.Errorf("diagram is %d pixels wide: too coarse to read", w)
				}
			}
			texts := map[string]string{"internal reader": info.Text}
			if pt, ok := pdftotext(t, buf.Bytes()); ok {
				texts["pdftotext"] = pt
			} else {
				t.Log("pdftotext not installed (scripts/deps.sh installs poppler-utils): checked with the internal reader only")
			}
			for reader, text := range texts {
				flat := squash(text)
				for _, n := range needles(t, m) {
					if !strings.Contains(flat, squash(n)) {
						t.Errorf("%s: PDF text lacks %q", reader, n)
					}
				}
				for _, bad := range []string{"{toc:", "{nb}", zendeskSecret, "could not be drawn"} {
					if strings.Contains(text, bad) {
						t.Errorf("%s: PDF text contains %q", reader, bad)
					}
				}
			}
			if !strings.Contains(strings.Join(steps, ","), "writing PDF") {
				t.Errorf("progress steps %v lack the writing step", steps)
			}
		})
	}
}

func TestMarkdownAndHTMLCarryEverything(t *testing.T) {
	m := analyse(t, testshared.FreshTracks(t, "template.yaml"))
	var md, page bytes.Buffer
	if err := WriteMarkdown(context.Background(), m, &md, testOptions()); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(context.Background(), m, &page, testOptions()); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, page.Bytes())
	var mdHTML bytes.Buffer
	if err := newGoldmark().Convert(md.Bytes(), &mdHTML); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"HTML": squash(textOf(doc)), "Markdown": squash(textOf(parseHTML(t, mdHTML.Bytes())))}
	for _, n := range needles(t, m) {
		for format, text := range texts {
			if !strings.Contains(text, squash(n)) {
				t.Errorf("%s text lacks %q", format, n)
			}
		}
	}
	if find(doc, func(n *html.Node) bool { return n.Data == "svg" }) == nil {
		t.Error("HTML has no inline SVG diagram")
	}
	// The contents' links all land on a heading.
	ids := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			ids[id] = true
		}
	})
	walk(doc, func(n *html.Node) {
		if href := attr(n, "href"); strings.HasPrefix(href, "#") && !ids[href[1:]] {
			t.Errorf("link %s points at no heading", href)
		}
	})
}

func TestDeterministicApartFromDate(t *testing.T) {
	m := analyse(t, testshared.FreshTracks(t, "template.yaml"))
	type writer func(context.Context, *model.Model, *bytes.Buffer, Options) error
	formats := map[string]writer{
		"pdf": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error { return WritePDF(c, m, b, o) },
		"markdown": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error {
			return WriteMarkdown(c, m, b, o)
		},
		"html": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error {
			return WriteHTML(c, m, b, o)
		},
	}
	for name, write := range formats {
		t.Run(name, func(t *testing.T) {
			var a, b, c bytes.Buffer
			o := testOptions()
			if err := write(context.Background(), m, &a, o); err != nil {
				t.Fatal(err)
			}
			if err := write(context.Background(), m, &b, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two runs with the same date differ")
			}
			o.Date = fixedDate.AddDate(1, 2, 3)
			if err := write(context.Background(), m, &c, o); err != nil {
				t.Fatal(err)
			}
			if name == "pdf" {
				// Same pages, same text but for the dates.
				ta, tc := readPDF(t, a.Bytes()), readPDF(t, c.Bytes())
				norm := func(s string) string {
					for _, d := range []time.Time{fixedDate, o.Date} {
						s = strings.ReplaceAll(s, d.Format("2 January 2006, 15:04 MST"), "DATE")
						s = strings.ReplaceAll(s, d.Format("2006-01-02"), "DATE")
					}
					return s
				}
				if ta.Pages != tc.Pages || norm(ta.Text) != norm(tc.Text) {
					t.Error("a different date changes more than the date")
				}
				return
			}
			da := strings.ReplaceAll(a.String(), fixedDate.Format("2 January 2006, 15:04 MST"), "DATE")
			dc := strings.ReplaceAll(c.String(), o.Date.Format("2 January 2006, 15:04 MST"), "DATE")
			if da != dc {
				t.Error("a different date changes more than the date")
			}
		})
	}
}

// The contents list every part with the page it starts on, and each
// number is right: the heading is on that page.
func TestContentsPageNumbers(t *testing.T) {
	m := goldenModel(t)
	d, err := build(context.Background(), m, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, b := range flatten(d.Blocks) {
		if h, ok := b.(heading); ok && h.TOC && h.Level <= 2 {
			titles = append(titles, headingText(h))
		}
	}
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), m, &buf, testOptions()); err != nil {
		t.Fatal(err)
	}
	info := readPDF(t, buf.Bytes())
	if len(info.Page) != info.Pages {
		t.Fatalf("%d page texts for %d pages", len(info.Page), info.Pages)
	}
	// The contents follow the executive summary.
	tocPage := -1
	for i, text := range info.Page {
		if strings.HasPrefix(strings.TrimSpace(text), "Contents") || strings.Contains(text, "\nContents\n") {
			tocPage = i
			break
		}
	}
	if tocPage < 0 {
		t.Fatal("no contents page")
	}
	// The numbers are written last on each contents page, after its footer.
	var numbers []string
	for pg := tocPage; len(numbers) < len(titles) && pg < len(info.Page); pg++ {
		lines := strings.Split(strings.TrimRight(info.Page[pg], "\n"), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, fmt.Sprintf("Page %d of ", pg+1)) {
				numbers = append(numbers, lines[i+1:]...)
				break
			}
		}
	}
	if len(numbers) < len(titles) {
		t.Fatalf("contents list %d page numbers for %d entries", len(numbers), len(titles))
	}
	last := 0
	for i, title := range titles {
		n, err := strconv.Atoi(numbers[i])
		if err != nil || n < 2 || n > info.Pages {
			t.Fatalf("entry %q has page %q", title, numbers[i])
		}
		if n < last {
			t.Errorf("entry %q on page %d comes before the previous entry's page %d", title, n, last)
		}
		last = n
		if !strings.Contains(info.Page[n-1], title) {
			t.Errorf("entry %q says page %d, which does not show it", title, n)
		}
	}
	for n, text := range info.Page[1:] {
		if want := fmt.Sprintf("Page %d of %d", n+2, info.Pages); !strings.Contains(text, want) {
			t.Errorf("page %d has no footer %q", n+2, want)
		}
	}
}

// A renderer that fails (or panics) leaves an honest sentence, never a
// broken report.
func TestDiagramFailureIsSaid(t *testing.T) {
	m := goldenModel(t)
	tests := []struct {
		name   string
		render func(context.Context, *model.Model, string) ([]byte, error)
		reason string
	}{
		{"error", func(context.Context, *model.Model, string) ([]byte, error) {
			return nil, errors.New("graphviz: layout failed")
		}, "graphviz: layout failed"},
		{"panic", func(context.Context, *model.Model, string) ([]byte, error) { panic("boom") }, "internal error in the diagram renderer: boom"},
		{"empty", func(context.Context, *model.Model, string) ([]byte, error) { return nil, nil }, "the renderer returned nothing"},
		{"not an image", func(context.Context, *model.Model, string) ([]byte, error) { return []byte("<svg"), nil }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withRenderer(t, tt.render)
			var pdf, page bytes.Buffer
			if err := WritePDF(context.Background(), m, &pdf, testOptions()); err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(context.Background(), m, &page, testOptions()); err != nil {
				t.Fatal(err)
			}
			info := readPDF(t, pdf.Bytes())
			if len(info.Images) != 0 {
				t.Errorf("%d images, want none", len(info.Images))
			}
			pt := squash(info.Text)
			ht := squash(textOf(parseHTML(t, page.Bytes())))
			for _, text := range []string{pt, ht} {
				if !strings.Contains(text, squash("The data-flow diagram could not be drawn")) || !strings.Contains(text, squash(tt.reason)) {
					t.Errorf("no sentence saying the diagram could not be drawn (%s)", tt.reason)
				}
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	m := goldenModel(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, write := range map[string]func(context.Context, *model.Model, *bytes.Buffer, Options) error{
		"pdf": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error { return WritePDF(c, m, b, o) },
		"md": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error {
			return WriteMarkdown(c, m, b, o)
		},
		"html": func(c context.Context, m *model.Model, b *bytes.Buffer, o Options) error {
			return WriteHTML(c, m, b, o)
		},
	} {
		var b bytes.Buffer
		if err := write(ctx, m, &b, testOptions()); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", name, err)
		}
		if err := write(context.Background(), nil, &b, testOptions()); err == nil {
			t.Errorf("%s: a nil model gives no error", name)
		}
	}
}

func TestTitle(t *testing.T) {
	tests := []struct {
		opt, desc, file, want string
	}{
		{"Payments API", "ignored", "t.yaml", "Payments API"},
		{"", "Fresh Tracks - GPS backend. Split into functions.", "t.yaml", "Fresh Tracks - GPS backend"},
		{"", "  One line\n  wrapped.  ", "t.yaml", "One line wrapped"},
		{"", "", "/x/y/template.yaml", "template.yaml"},
		{"", "", "", "Untitled application"},
		{"  a\n\tb ", "", "", "a b"},
		// tracking tags of AWS samples are not part of the name
		{"", "API Gateway data validation example (uksb-1tthgi812) (tag:apigw-data-validation)", "t.yaml", "API Gateway data validation example"},
		{"", "Quick start (qs-1s3afc0v2). More words.", "t.yaml", "Quick start"},
		{"", "Solution (SO0123) for uploads", "t.yaml", "Solution for uploads"},
		{"", "A (solution) with parentheses", "t.yaml", "A (solution) with parentheses"},
	}
	for _, tt := range tests {
		got := Options{Title: tt.opt}.title(&model.Model{Description: tt.desc, Template: tt.file})
		if got != tt.want {
			t.Errorf("title(%q, %q, %q) = %q, want %q", tt.opt, tt.desc, tt.file, got, tt.want)
		}
	}
}

// ---------------------------------------------------------------- hostile input

// hostileSVG is what a broken or subverted renderer could return.
const hostileSVG = `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x "boom">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt" viewBox="0 0 100 50" onload="alert(1)">
<script>alert(2)</script>
<style>@import url(http://evil/x.css)</style>
<g id="n1" class="node" onclick="alert(3)" style="background:url(javascript:alert(4))">
<a xlink:href="javascript:alert(5)" href="javascript:alert(6)"><text x="1" y="2" fill="url(#ok)">label &lt;script&gt;</text></a>
<polygon fill="url(http://evil/p)" points="0,0 1,1"/>
<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(7)</script></body></foreignObject>
<use xlink:href="http://evil/sprite.svg#a"/>
<image href="data:image/svg+xml;base64,PHN2Zz4="/>
<animate attributeName="href" to="javascript:alert(8)"/>
<set attributeName="onmouseover" to="alert(9)"/>
</g>
</svg>`

func TestHostileTemplate(t *testing.T) {
	m := analyse(t, "testdata/hostile/template.yaml")
	for _, r := range []struct {
		name   string
		render func(context.Context, *model.Model, string) ([]byte, error)
	}{
		{"real diagram", defaultRenderDiagram},
		{"hostile SVG", func(_ context.Context, _ *model.Model, format string) ([]byte, error) {
			if format == "png" {
				return tinyPNG(), nil
			}
			return []byte(hostileSVG), nil
		}},
	} {
		t.Run(r.name, func(t *testing.T) {
			withRenderer(t, r.render)
			var pdf, page, md bytes.Buffer
			if err := WritePDF(context.Background(), m, &pdf, testOptions()); err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(context.Background(), m, &page, testOptions()); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(context.Background(), m, &md, testOptions()); err != nil {
				t.Fatal(err)
			}

			info := readPDF(t, pdf.Bytes())
			texts := []string{info.Text}
			if pt, ok := pdftotext(t, pdf.Bytes()); ok {
				texts = append(texts, pt)
			}
			for _, text := range texts {
				for _, want := range []string{`<script>alert("desc")</script>`, "Привет мир", "index.handler<svg onload=alert(8)>", "[U+1F525]", "[U+4F60]", "[U+202E]", "Bad<script>alert(4)</script>Table", "партнёр.example.org"} {
					if !strings.Contains(squash(text), squash(want)) {
						t.Errorf("PDF text lacks %q", want)
					}
				}
				if strings.Contains(text, "Zq8#kP2!vL9$wX4@tR7&yN1^mB5*cD3") {
					t.Error("PDF prints the template's secret")
				}
			}

			doc := parseHTML(t, page.Bytes())
			assertNoActiveContent(t, doc)
			text := textOf(doc)
			for _, want := range []string{`<script>alert("desc")</script>`, "<img src=x onerror=alert(2)>", "Bad<script>alert(4)</script>Table",
				"/items/{id}/<script>alert(10)</script>/😀", "Привет мир", "🔥", "[click me](javascript:alert(1))", "[U+202E]reversed[U+202C]", "zero[U+200B]width"} {
				if !strings.Contains(squash(text), squash(want)) {
					t.Errorf("HTML does not show %q as text", want)
				}
			}
			if strings.ContainsAny(text, "\u202e\u202c\u200b") {
				t.Error("HTML passes invisible bidirectional or zero-width characters through")
			}
			if strings.Contains(page.String(), "Zq8#kP2!vL9$wX4@tR7&amp;yN1^mB5*cD3") || strings.Contains(md.String(), "Zq8#kP2!vL9$wX4@tR7&yN1^mB5*cD3") {
				t.Error("HTML or Markdown prints the template's secret")
			}
		})
	}
}

// assertNoActiveContent fails on anything in a page that could run code or
// load something: script elements, event handlers, javascript: or external
// URLs, frames, objects, forms, meta refresh; and requires the CSP.
func assertNoActiveContent(t *testing.T, doc *html.Node) {
	t.Helper()
	csp := false
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch strings.ToLower(n.Data) {
		case "script", "iframe", "frame", "object", "embed", "form", "foreignobject", "use", "image", "animate", "set", "link", "base":
			t.Errorf("page contains <%s>", n.Data)
		case "meta":
			if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
				t.Error("page has a meta refresh")
			}
			if strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy") && strings.Contains(attr(n, "content"), "default-src 'none'") {
				csp = true
			}
		case "style":
			if n.Parent == nil || n.Parent.Data != "head" {
				t.Error("page has a <style> outside the head")
			}
		}
		for _, a := range n.Attr {
			k, v := strings.ToLower(a.Key), strings.ToLower(a.Val)
			if strings.HasPrefix(k, "on") {
				t.Errorf("<%s> has event handler %s", n.Data, a.Key)
			}
			if k == "style" {
				t.Errorf("<%s> has a style attribute", n.Data)
			}
			if (k == "href" || k == "src" || strings.HasSuffix(k, ":href") || k == "action") && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s> %s=%q leaves the page", n.Data, a.Key, a.Val)
			}
			if strings.Contains(v, "javascript:") || (strings.Contains(v, "url(") && !urlRe.MatchString(a.Val)) {
				t.Errorf("<%s> %s=%q", n.Data, a.Key, a.Val)
			}
		}
	})
	if !csp {
		t.Error("page has no Content-Security-Policy forbidding scripts")
	}
}

func TestSanitizeSVG(t *testing.T) {
	out, err := sanitizeSVG([]byte(hostileSVG))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, append(append([]byte("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body>"), out...), "</body></html>"...))
	assertNoActiveContent(t, doc)
	for _, want := range []string{`<text x="1" y="2" fill="url(#ok)">label &lt;script&gt;</text>`, `viewBox="0 0 100 50"`, `<g id="n1" class="node">`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("sanitised SVG lacks %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"<svg><script", "<html>", "not svg", "<svg><g></svg>"} {
		if _, err := sanitizeSVG([]byte(bad)); err == nil {
			t.Errorf("sanitizeSVG(%q) accepted it", bad)
		}
	}
}

// mdEscape must make any text render as itself: check by rendering it with
// goldmark and reading the text back.
func TestMarkdownEscapingRoundTrips(t *testing.T) {
	inputs := []string{
		`<script>alert(1)</script>`, `**bold** _it_ __u__ *x*`, `[a](javascript:alert(1))`, `![i](x)`, "`tick` ``two``",
		`a | b | c`, `&amp; &lt; &#x3C; &copy`, `# heading`, `- item`, `+ item`, `1. one`, `2) two`, `> quote`, `===`, `---`,
		`\ backslash \\ \*`, `~~strike~~`, `<http://x.example>`, `https://auto.example`, `snake_case_name _lead trail_`,
		`$math$`, `Привет <b>мир</b>`, "emoji 🔥 and ‮ override", `a]b[c`, `<!-- comment -->`, `<![CDATA[x]]>`,
	}
	for _, in := range inputs {
		for _, ctx := range []string{"para", "cell"} {
			var src string
			if ctx == "para" {
				src = mdEscape(in) + "\n"
			} else {
				src = "| h |\n|---|\n| " + mdEscape(in) + " |\n"
			}
			got := renderText(t, src)
			if strings.TrimSpace(got) != reveal(oneLine(in)) {
				t.Errorf("%s: %q renders as %q", ctx, in, got)
			}
		}
		got := renderText(t, "| h |\n|---|\n| "+mdCode(in, true)+" |\n")
		if strings.TrimSpace(got) != reveal(oneLine(in)) {
			t.Errorf("code span in cell: %q renders as %q", in, got)
		}
	}
}

func renderText(t *testing.T, src string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := newGoldmark().Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, buf.Bytes())
	if find(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data != "html" && n.Data != "head" && n.Data != "body" && n.Data != "p" &&
			n.Data != "table" && n.Data != "thead" && n.Data != "tbody" && n.Data != "tr" && n.Data != "th" && n.Data != "td" && n.Data != "code"
	}) != nil {
		t.Errorf("%q produced markup: %s", src, buf.String())
	}
	if strings.Contains(buf.String(), "<!--") {
		t.Errorf("%q produced raw HTML: %s", src, buf.String())
	}
	body := find(doc, func(n *html.Node) bool { return n.Data == "td" })
	if body == nil {
		body = find(doc, func(n *html.Node) bool { return n.Data == "p" })
	}
	if body == nil {
		return ""
	}
	return textOf(body)
}

// Reports quote what the analysis kept (Model.TemplateText), never the file
// again: a model without it (decoded from JSON) shows no snippet, even with
// the unchanged template beside it, and no secret.
func TestSnippetsOnlyFromTheAnalysis(t *testing.T) {
	for _, tt := range []struct {
		name string
		keep bool
	}{
		{"kept by the analysis", true},
		{"decoded from JSON", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := goldenModel(t)
			if !tt.keep {
				m.TemplateText = ""
			}
			var buf bytes.Buffer
			if err := WriteMarkdown(context.Background(), m, &buf, testOptions()); err != nil {
				t.Fatal(err)
			}
			got := strings.Contains(buf.String(), "*template.yaml:66*\n\n```yaml\nCreate:")
			if got != tt.keep {
				t.Errorf("snippet shown = %v, want %v", got, tt.keep)
			}
			if strings.Contains(buf.String(), zendeskSecret) {
				t.Error("the secret is printed")
			}
		})
	}
}

func TestPDFSafe(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	sans, mono := fonts["sans"], fonts["mono"]
	tests := []struct {
		font      *pdfFont
		in, want  string
		multiline bool
	}{
		{sans, "plain ASCII", "plain ASCII", false},
		{sans, "Привет, Ελληνικά, Ünïcödé", "Привет, Ελληνικά, Ünïcödé", false},
		{sans, "fire 🔥", "fire [U+1F525]", false},
		{sans, "你好", "[U+4F60][U+597D]", false},
		{sans, "bell\a nul\x00", "bell[U+0007] nul[U+0000]", false},
		{sans, "rtl\u202eoverride", "rtl[U+202E]override", false},
		{sans, "zero\u200bwidth", "zero[U+200B]width", false},
		{sans, "a\r\nb\tc", "a b    c", false},
		{sans, "a\nb", "a\nb", true},
		{sans, "bad \xff byte", "bad \uFFFD byte", false},
		{mono, "mono 😀", "mono [U+1F600]", false},
	}
	for _, tt := range tests {
		if got := pdfSafe(tt.font, tt.in, tt.multiline); got != tt.want {
			t.Errorf("pdfSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSnippetsMaskSecrets(t *testing.T) {
	src := `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: hunter2-hunter2
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          KEY: |
            line-one-secret
            line-two-secret
          OTHER: fine
`
	m := &model.Model{Template: "t.yaml", Findings: []*model.Finding{{RuleID: "SLS-SEC-001", Evidence: []model.Location{{File: "t.yaml", Line: 13}}}}}
	withTemplate(t, m, "t.yaml", []byte(src))
	s := newSnippets(m)
	tests := []struct {
		line int
		want string
	}{
		{13, "KEY: | ****** (masked)\n  ****** (masked)\n  ****** (masked)"},
		{3, "DbPassword:\n  Type: String\n  NoEcho: true\n  Default: ****** (masked)"},
		{16, "OTHER: fine"},
	}
	for _, tt := range tests {
		got, ok := s.at(tt.line, 6)
		if !ok || got != tt.want {
			t.Errorf("at(%d) = %q, want %q", tt.line, got, tt.want)
		}
	}
	if _, ok := s.at(999, 6); ok {
		t.Error("a line past the end gave a snippet")
	}
}

func TestWrapNeverOverflows(t *testing.T) {
	p := newTestPDF(t)
	inputs := []string{
		"short",
		strings.Repeat("averyveryverylongidentifierwithoutanybreaks", 5),
		"arn:aws:dynamodb:us-east-1:123456789012:table/FreshTracksDatabaseTable/index/*",
		"words and words " + strings.Repeat("x", 300) + " more words",
		"Привет мир " + strings.Repeat("Ж", 200),
		"",
	}
	for _, family := range []string{"sans", "mono"} {
		for _, w := range []float64{8, 25, 60, 174} {
			p.setFont(family, "", 8)
			for _, in := range inputs {
				lines := p.wrap(p.safe(in, false), w)
				joined := squash(strings.Join(lines, ""))
				if joined != squash(p.safe(in, false)) {
					t.Errorf("%s %.0f: wrapping lost text of %.20q", family, w, in)
				}
				for _, l := range lines {
					if lw := p.width(l); lw > w+0.01 && len([]rune(l)) > 1 {
						t.Errorf("%s %.0f: line %.20q is %.1f mm wide", family, w, l, lw)
					}
				}
			}
		}
	}
}

func TestYAMLHighlighting(t *testing.T) {
	tests := []struct {
		line string
		want []segment
	}{
		{"  Type: AWS::S3::Bucket", []segment{{"  ", colText}, {"Type:", colKey}, {" AWS::S3::Bucket", colText}}},
		{"- Effect: Allow", []segment{{"- ", colText}, {"Effect:", colKey}, {" Allow", colText}}},
		{"RestApiId: !Ref FreshTracksAPI", []segment{{"", colText}, {"RestApiId:", colKey}, {" !Ref", colTag}, {" FreshTracksAPI", colText}}},
		{"  Resource: \"*\"", []segment{{"  ", colText}, {"Resource:", colKey}, {" \"*\"", colString}}},
		{"  # a comment: with colon", []segment{{"  # a comment: with colon", colComment}}},
		{"  - iot:Publish", []segment{{"  - iot:Publish", colText}}},
		{"Properties:", []segment{{"", colText}, {"Properties:", colKey}, {"", colText}}},
	}
	for _, tt := range tests {
		got := yamlSegments(tt.line, true)
		var joined string
		for _, s := range got {
			joined += s.text
		}
		if joined != tt.line {
			t.Errorf("%q: segments lose text: %q", tt.line, joined)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: segments %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestColumnWidthsFillTheLine(t *testing.T) {
	p := newTestPDF(t)
	tables := []table{
		{Cols: []column{{Title: "A"}, {Title: "B", Right: true}}, Rows: [][]string{{"x", "1"}}},
		{Cols: []column{{Title: "Function", Mono: true}, {Title: "Code", Mono: true}, {Title: "n", Right: true}},
			Rows: [][]string{{strings.Repeat("LongIdentifier", 12), "src/" + strings.Repeat("dir/", 30) + "x.handler", "12"}}},
		{Cols: []column{{Title: "Only"}}, Rows: nil},
	}
	for i, tb := range tables {
		ws := p.columnWidths(tb, 174)
		var sum float64
		for _, w := range ws {
			if w <= 0 {
				t.Errorf("table %d: a column of width %.2f", i, w)
			}
			sum += w
		}
		if sum < 173.99 || sum > 174.01 {
			t.Errorf("table %d: widths add up to %.2f, want 174", i, sum)
		}
	}
}

func newTestPDF(t *testing.T) *pdfDoc {
	t.Helper()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	f, err := newFpdf(fonts, fixedDate)
	if err != nil {
		t.Fatal(err)
	}
	f.AddPage()
	return &pdfDoc{f: f, fonts: fonts, widths: map[string]map[rune]float64{}}
}

// ---------------------------------------------------------------- helpers

func tinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for x := 0; x < 1200; x++ {
		img.Set(x, 300, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func parseHTML(t *testing.T, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) {
		if found == nil && x.Type == html.ElementNode && pred(x) {
			found = x
		}
	})
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) || strings.EqualFold(a.Namespace+":"+a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode && (x.Parent == nil || (x.Parent.Data != "style" && x.Parent.Data != "title")) {
			b.WriteString(x.Data)
		}
	})
	return b.String()
}
