// Package output is the one registry of samthreat's output formats: what
// `analyze --format`, the `report` command's file flags, `graph --format`,
// the workbench's Export view (desktop and web), the web server's download
// content types and the frontend's list of formats all come from.
//
// Adding a format is one entry in the formats table below plus its writer
// (CONTRIBUTING.md, "Adding an output format").
package output

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/report"
)

// Kind says what a format writes; it decides which command offers it.
type Kind string

const (
	// KindModel writes the analysis itself, for machines and terminals
	// (`analyze --format`).
	KindModel Kind = "model"
	// KindReport writes the report for people (`report --<name> FILE`).
	KindReport Kind = "report"
	// KindDiagram draws the data-flow diagram (`graph --format`).
	KindDiagram Kind = "diagram"
)

// Writer writes ms (one model unless Options.Batch) to w.
type Writer func(ctx context.Context, w io.Writer, ms []*model.Model, o Options) error

// Options are what the writers of every kind may need; each reads its own.
type Options struct {
	// Batch: the user named several templates or a folder, so formats that
	// can hold several models write a list (JSON) or several sections (text).
	Batch bool
	// Report: title, revision, progress... of report formats.
	Report report.Options
	// ToolVersion and BaseDir of SARIF (paths relative to BaseDir).
	ToolVersion, BaseDir string
	// Diagram: focus, collapse and DPI of diagram formats (Format is set
	// from the entry).
	Diagram diagram.Options
}

// Format is one output format.
type Format struct {
	Name        string   // --format value, API and URL parameter
	Aliases     []string // other names accepted for it
	Label       string   // shown to people
	Ext         string   // file extension, with the dot
	ContentType string   // Content-Type of web downloads
	Kind        Kind
	// Workbench: offered by the workbench's Export view.
	Workbench bool
	// Description: one line for the Export view.
	Description string
	// DiagramBeside: the report links the diagram, which the report
	// command writes beside it as SVG (Markdown cannot hold it).
	DiagramBeside bool
	Write         Writer
}

// formats is the registry, in the order the help texts and the Export view
// list them.
var formats = []Format{
	{Name: "text", Label: "Text", Ext: ".txt", ContentType: "text/plain; charset=utf-8", Kind: KindModel,
		Description: "Summary tables for a terminal", Write: writeText},
	{Name: "pdf", Label: "PDF", Ext: ".pdf", ContentType: "application/pdf", Kind: KindReport, Workbench: true,
		Description: "Printable report for security champions and reviews", Write: reportWriter(report.WritePDF)},
	{Name: "md", Aliases: []string{"markdown"}, Label: "Markdown", Ext: ".md", ContentType: "text/markdown; charset=utf-8", Kind: KindReport, Workbench: true, DiagramBeside: true,
		Description: "For pull requests, wikis and design documents", Write: reportWriter(report.WriteMarkdown)},
	{Name: "html", Label: "HTML", Ext: ".html", ContentType: "text/html; charset=utf-8", Kind: KindReport, Workbench: true,
		Description: "Self-contained page with the diagram", Write: reportWriter(report.WriteHTML)},
	{Name: "sarif", Label: "SARIF", Ext: ".sarif", ContentType: "application/sarif+json", Kind: KindModel, Workbench: true,
		Description: "For code scanning in CI (GitHub, GitLab, Azure DevOps)", Write: writeSARIF},
	{Name: "json", Label: "JSON", Ext: ".json", ContentType: "application/json", Kind: KindModel, Workbench: true,
		Description: "The full threat model, for scripts and other tools", Write: writeJSON},
	{Name: "svg", Label: "SVG", Ext: ".svg", ContentType: "image/svg+xml", Kind: KindDiagram, Workbench: true,
		Description: "For documents that zoom", Write: diagramWriter("svg")},
	{Name: "png", Label: "PNG", Ext: ".png", ContentType: "image/png", Kind: KindDiagram, Workbench: true,
		Description: "For slides and tickets", Write: diagramWriter("png")},
	{Name: "dot", Aliases: []string{"gv"}, Label: "Graphviz DOT", Ext: ".dot", ContentType: "text/vnd.graphviz; charset=utf-8", Kind: KindDiagram,
		Description: "Graphviz source, to restyle the diagram", Write: diagramWriter("dot")},
}

// All returns every format, in registry order.
func All() []Format { return append([]Format(nil), formats...) }

// Of returns the formats of kind, in registry order.
func Of(kind Kind) []Format {
	var out []Format
	for _, f := range formats {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// Names returns the names of the formats of the given kinds (all kinds when
// none is given), sorted.
func Names(kinds ...Kind) []string {
	var out []string
	for _, f := range formats {
		if len(kinds) == 0 || hasKind(kinds, f.Kind) {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// WorkbenchNames returns the names of the formats of kind the workbench
// exports, in registry order.
func WorkbenchNames(kind Kind) []string {
	var out []string
	for _, f := range formats {
		if f.Workbench && f.Kind == kind {
			out = append(out, f.Name)
		}
	}
	return out
}

func hasKind(kinds []Kind, k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Lookup finds a format by name or alias, ignoring case and spaces around.
func Lookup(name string) (Format, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, f := range formats {
		if f.Name == n {
			return f, true
		}
		for _, a := range f.Aliases {
			if a == n {
				return f, true
			}
		}
	}
	return Format{}, false
}

// ByExt finds the format of kind whose extension (or alias) is ext (".svg",
// "gv"), for naming a format after an output file.
func ByExt(kind Kind, ext string) (Format, bool) {
	e := strings.TrimPrefix(strings.ToLower(ext), ".")
	for _, f := range formats {
		if f.Kind != kind {
			continue
		}
		if strings.TrimPrefix(f.Ext, ".") == e {
			return f, true
		}
		for _, a := range f.Aliases {
			if a == e {
				return f, true
			}
		}
	}
	return Format{}, false
}

// Render writes ms to w in format f.
func (f Format) Render(ctx context.Context, w io.Writer, ms []*model.Model, o Options) error {
	if f.Write == nil {
		return fmt.Errorf("%s output is not available in this build", f.Label)
	}
	return f.Write(ctx, w, ms, o)
}

// reportWriter adapts a report writer (one model) to a Writer.
func reportWriter(write func(context.Context, *model.Model, io.Writer, report.Options) error) Writer {
	return func(ctx context.Context, w io.Writer, ms []*model.Model, o Options) error {
		if len(ms) != 1 {
			return fmt.Errorf("a report covers one template (got %d)", len(ms))
		}
		return write(ctx, ms[0], w, o.Report)
	}
}

// diagramWriter draws the diagram of one model in format.
func diagramWriter(format string) Writer {
	return func(ctx context.Context, w io.Writer, ms []*model.Model, o Options) error {
		if len(ms) != 1 {
			return fmt.Errorf("a diagram draws one template (got %d)", len(ms))
		}
		opts := o.Diagram
		opts.Format = format
		data, err := diagram.Render(ctx, ms[0], opts)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
}
