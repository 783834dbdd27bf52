// Package report writes the threat-model report of one application as PDF,
// Markdown (GitHub-flavoured) and HTML rendered from that Markdown. The three
// formats share one content builder, so they say the same thing: cover,
// executive summary, architecture with the data-flow diagram, each function,
// findings by OWASP Serverless Top Ten category, third-party services, and
// the method with what was not analysed.
//
// Everything that comes from a template is treated as untrusted text: the
// Markdown escapes it, the HTML never passes raw HTML through and carries a
// Content-Security-Policy that forbids scripts, and the PDF typesets it with
// an embedded UTF-8 font. Output is deterministic apart from the date.
package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
)

// Options tune a report.
type Options struct {
	Title    string            // default: template Description or file name
	Revision string            // optional revision label
	Date     time.Time         // zero = now
	Version  string            // samthreat version
	Progress func(step string) // optional
	// DiagramFile is the SVG diagram written beside the Markdown report
	// (a path relative to it): the Markdown links it. Empty: the Markdown
	// says the diagram is in the other editions.
	DiagramFile string
	// Sections are the parts to write (Section* ids, CheckSections); empty:
	// every part. The cover and contents are always written.
	Sections []string
}

func (o Options) progress(step string) {
	if o.Progress != nil {
		o.Progress(step)
	}
}

func (o Options) date() time.Time {
	if o.Date.IsZero() {
		return time.Now()
	}
	return o.Date
}

// title is the application's name: the option, else the first sentence of
// the template's Description, else the template's file name.
func (o Options) title(m *model.Model) string {
	if t := oneLine(o.Title); t != "" {
		return clip(t, 120)
	}
	if d := stripTags(m.Description); d != "" {
		if i := strings.Index(d, ". "); i > 0 {
			d = d[:i]
		}
		return clip(strings.TrimSuffix(d, "."), 90)
	}
	if m.Template != "" {
		return filepath.Base(m.Template)
	}
	return "Untitled application"
}

// trackingTag matches the tracking tags AWS samples append to their
// descriptions, "(uksb-1tthgi812)", "(tag:apigw-data-validation)",
// "(qs-1s3afc0v2)", "(SO0123)": they
// mean nothing to a reader of the report.
var trackingTag = regexp.MustCompile(`(?i)\s*\((?:uksb-[a-z0-9]{4,}|qs-[a-z0-9]{4,}|so\d{4,}|tag:\s*[a-z0-9][a-z0-9._-]*)\)`)

// stripTags is a description on one line without its tracking tags.
func stripTags(s string) string {
	return oneLine(trackingTag.ReplaceAllString(s, ""))
}

// renderDiagram draws the data-flow diagram in format svg or png. It is a
// variable so tests can replace it.
var renderDiagram = defaultRenderDiagram

var errNoModel = errors.New("report: no model")

func prepare(ctx context.Context, m *model.Model, o Options) (*document, error) {
	if m == nil {
		return nil, errNoModel
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return build(ctx, m, o)
}

// drawDiagram returns the rendered diagram or, when it cannot be drawn, the
// reason as one line for the report to print.
func drawDiagram(ctx context.Context, m *model.Model, format string, o Options) (data []byte, reason string) {
	o.progress("diagram")
	data, err := safeRender(ctx, m, format)
	if err != nil {
		return nil, oneLine(err.Error())
	}
	if len(data) == 0 {
		return nil, "the renderer returned nothing"
	}
	return data, ""
}

// safeRender keeps a failing diagram from taking the report down with it.
func safeRender(ctx context.Context, m *model.Model, format string) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("internal error in the diagram renderer: %v", r)
		}
	}()
	return renderDiagram(ctx, m, format)
}

// WriteMarkdown writes the report as GitHub-flavoured Markdown.
func WriteMarkdown(ctx context.Context, m *model.Model, w io.Writer, o Options) error {
	d, err := prepare(ctx, m, o)
	if err != nil {
		return err
	}
	o.progress("writing Markdown")
	marker := ""
	if o.DiagramFile != "" {
		u := url.URL{Path: filepath.ToSlash(o.DiagramFile)}
		marker = "![Data-flow diagram with trust boundaries](" + u.EscapedPath() + ")\n\n*Figure 1. Data-flow diagram with trust boundaries, drawn from the template (" + mdEscape(filepath.Base(o.DiagramFile)) + ", beside this report).*"
	}
	return writeMarkdown(w, d, marker)
}

// WriteDiagramSVG writes the data-flow diagram as sanitised SVG, for the
// Markdown report to link (Options.DiagramFile).
func WriteDiagramSVG(ctx context.Context, m *model.Model, w io.Writer) error {
	if m == nil {
		return errNoModel
	}
	svg, reason := drawDiagram(ctx, m, "svg", Options{})
	if len(svg) == 0 {
		return fmt.Errorf("report: the diagram could not be drawn: %s", reason)
	}
	clean, err := sanitizeSVG(svg)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(clean)
	return err
}

// WriteHTML writes a self-contained HTML page rendered from the Markdown,
// with the diagram inline as sanitised SVG.
func WriteHTML(ctx context.Context, m *model.Model, w io.Writer, o Options) error {
	d, err := prepare(ctx, m, o)
	if err != nil {
		return err
	}
	var svg []byte
	reason := ""
	if o.has(SectionArchitecture) {
		svg, reason = drawDiagram(ctx, m, "svg", o)
	}
	o.progress("writing HTML")
	return writeHTML(w, d, svg, reason)
}

// WritePDF writes the report as a PDF with an embedded font, a table of
// contents, bookmarks, page headers and numbers.
func WritePDF(ctx context.Context, m *model.Model, w io.Writer, o Options) error {
	d, err := prepare(ctx, m, o)
	if err != nil {
		return err
	}
	var pages []diagram.PaperPage
	reason := ""
	if o.has(SectionArchitecture) { // the diagram is that section's
		pages, reason = drawPaper(ctx, m, o)
	}
	o.progress("writing PDF")
	return writePDF(ctx, w, d, o.date(), pages, reason)
}
