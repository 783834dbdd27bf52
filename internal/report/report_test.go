package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
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
	m := &model.Model{Template: "t.yaml", Findings: []*model.Finding{{RuleID: "SLS-SEC-001", Evidence: []model.Location{{File: "t.yaml", Line: 13, Sensitive: true}}}}}
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
