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
	"path/filepath"
	"strings"
	"time"

	"github.com/samthreat/samthreat/internal/model"
)

// Options tune a report.
type Options struct {
	Title    string            // default: template Description or file name
	Revision string            // optional revision label
	Date     time.Time         // zero = now
	Version  string            // samthreat version
	Progress func(step string) // optional
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
	if d := oneLine(m.Description); d != "" {
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
	return writeMarkdown(w, d, "")
}

// WriteHTML writes a self-contained HTML page rendered from the Markdown,
// with the diagram inline as sanitised SVG.
func WriteHTML(ctx context.Context, m *model.Model, w io.Writer, o Options) error {
	d, err := prepare(ctx, m, o)
	if err != nil {
		return err
	}
	svg, reason := drawDiagram(ctx, m, "svg", o)
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
	png, reason := drawDiagram(ctx, m, "png", o)
	o.progress("writing PDF")
	return writePDF(ctx, w, d, o.date(), png, reason)
}
