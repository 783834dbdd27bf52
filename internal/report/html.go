package report

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"io"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// The HTML page is the Markdown report rendered by goldmark with raw HTML
// disabled (goldmark's default: raw HTML is replaced by a comment), plus the
// sanitised SVG diagram and a stylesheet, both samthreat's own. The page's
// Content-Security-Policy forbids every script, so even a renderer bug
// could not run one.

const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// htmlIDs gives headings GitHub's anchors, so the Markdown's table of
// contents links work in both.
type htmlIDs struct{ s *slugger }

func (h *htmlIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	return []byte(h.s.slug(string(value)))
}

func (h *htmlIDs) Put(value []byte) { h.s.seen[string(value)] = 0 }

func writeHTML(w io.Writer, d *document, svg []byte, reason string) error {
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	// The marker cannot come from a template: it is random per page.
	marker := "SAMTHREATDIAGRAM" + hex.EncodeToString(nonce[:])
	var md bytes.Buffer
	if err := writeMarkdown(&md, d, marker); err != nil {
		return err
	}
	var body bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(&htmlIDs{s: newSlugger()}))
	if err := newGoldmark().Convert(md.Bytes(), &body, parser.WithContext(ctx)); err != nil {
		return fmt.Errorf("report: rendering HTML: %w", err)
	}

	var fig bytes.Buffer
	if len(svg) > 0 {
		clean, err := sanitizeSVG(svg)
		if err != nil {
			reason = err.Error()
		} else {
			fig.WriteString(`<figure class="diagram">`)
			fig.Write(clean)
			fig.WriteString(`<figcaption>Data-flow diagram with trust boundaries.</figcaption></figure>`)
		}
	}
	if fig.Len() == 0 {
		fmt.Fprintf(&fig, `<p class="nodiagram">The data-flow diagram could not be drawn (%s). The tables below list the same elements and flows.</p>`, html.EscapeString(reason))
	}
	page := bytes.Replace(body.Bytes(), []byte("<p>"+marker+"</p>"), fig.Bytes(), 1)

	var out bytes.Buffer
	fmt.Fprintf(&out, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%s">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="samthreat %s">
<title>%s: threat model</title>
<style>%s</style>
</head>
<body>
<main>
`, csp, html.EscapeString(reveal(d.Cover.Version)), html.EscapeString(reveal(d.Cover.Title)), stylesheet)
	out.Write(page)
	out.WriteString("</main>\n</body>\n</html>\n")
	_, err := w.Write(out.Bytes())
	return err
}

// newGoldmark renders GitHub-flavoured tables and heading ids; raw HTML
// stays disabled (no html.WithUnsafe), so none can come through.
func newGoldmark() goldmark.Markdown {
	table := extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))
	return goldmark.New(goldmark.WithExtensions(table), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
}

const stylesheet = `
:root { --fg:#1d2733; --muted:#5b6776; --line:#d7dde4; --accent:#1f5f99; --code:#f4f6f8; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); font:15px/1.55 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif; background:#fff; }
main { max-width: 1100px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 .3rem; color: var(--accent); }
h2 { font-size: 1.45rem; margin: 2.6rem 0 .8rem; padding-bottom:.3rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 .6rem; }
h4 { font-size: 1rem; margin: 1.3rem 0 .4rem; color: var(--muted); }
p, li { overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .88em; background: var(--code); padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 4px; padding: .7rem .9rem; overflow-x: auto; font-size: .85em; line-height: 1.4; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .9em; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; vertical-align: top; text-align: left; }
th { background: #eef2f6; }
tr:nth-child(even) td { background: #fafbfc; }
td[align="right"], th[align="right"] { text-align: right; }
figure.diagram { margin: 1rem 0; padding: .5rem; border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; }
figure.diagram svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figure.diagram svg text { font-family: Helvetica, Arial, "Liberation Sans", "Nimbus Sans", sans-serif; }
figcaption, .nodiagram { color: var(--muted); font-size: .9em; }
@media print { main { max-width: none; padding: 0; } h2 { break-before: page; } pre, tr { break-inside: avoid; } }
`
