package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/samthreat/samthreat/internal/safefs"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/output"
	"github.com/samthreat/samthreat/internal/report"
	"github.com/samthreat/samthreat/internal/store"
)

// The renderers behind Diagram and Export, as variables so tests can stand
// in for them.
var (
	renderSVG = func(ctx context.Context, m *model.Model, focus, collapse string) ([]byte, error) {
		return diagram.Render(ctx, m, diagram.Options{Format: "svg", Focus: focus, Collapse: collapse})
	}
)

// FormatNames lists the formats Export writes: the registry's
// (internal/output) report and model formats the workbench offers.
func FormatNames() []string {
	var names []string
	for _, f := range output.All() {
		if f.Workbench && f.Kind != output.KindDiagram {
			names = append(names, f.Name)
		}
	}
	return names
}

// exportFormat finds an Export format of the registry by name or alias.
func exportFormat(format string) (output.Format, error) {
	f, ok := output.Lookup(format)
	if !ok || !f.Workbench || f.Kind == output.KindDiagram {
		return output.Format{}, fmt.Errorf("unknown export format %q (one of %s)", format, strings.Join(FormatNames(), ", "))
	}
	return f, nil
}

// Download is a rendered export for web mode's download endpoints.
type Download struct {
	FileName    string
	ContentType string
	Data        []byte
}

// RenderReport renders a revision's report in format (for downloads and Export).
func RenderReport(ctx context.Context, w *Workbench, revisionID int64, format string) (*Download, error) {
	return RenderReportWith(ctx, w, revisionID, format, ExportOptions{})
}

// RenderReportWith renders a revision's report with options (title, minimum
// severity, accepted findings left out).
func RenderReportWith(ctx context.Context, w *Workbench, revisionID int64, format string, opts ExportOptions) (*Download, error) {
	ef, err := exportFormat(format)
	if err != nil {
		return nil, err
	}
	f := ef.Name
	opts, err = opts.validate()
	if err != nil {
		return nil, err
	}
	m, rev, err := w.model(revisionID)
	if err != nil {
		return nil, err
	}
	tm, err := w.triaged(m, rev.ProjectID)
	if err != nil {
		return nil, err
	}
	tm = opts.filter(tm)
	p, err := w.store.Project(ctx, rev.ProjectID)
	if err != nil {
		return nil, err
	}
	job := newProgress(w, "export", 1)
	job.report(0, f)
	var buf bytes.Buffer
	// The title comes from the template's Description; the project and
	// revision say which import this is.
	err = ef.Render(ctx, &buf, []*model.Model{tm}, output.Options{
		ToolVersion: w.cfg.Version,
		Report: report.Options{
			Title:    opts.Title,
			Sections: opts.Sections,
			Revision: fmt.Sprintf("%s, revision %d of %s (sha256 %.12s)", p.Name, rev.Seq, rev.Imported.Format("2006-01-02 15:04 MST"), rev.SHA256),
			Date:     time.Now(),
			Version:  w.cfg.Version,
			Progress: func(step string) { w.emit("progress", Progress{Job: "export", Done: 0, Total: 1, Item: step}) },
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%s export of %s: %w", f, rev.FileName, err)
	}
	job.report(1, f)
	return &Download{FileName: fmt.Sprintf("%s-r%d%s", slug(p.Name), rev.Seq, ef.Ext), ContentType: ef.ContentType, Data: buf.Bytes()}, nil
}

// RenderProjectFile renders a project file (for downloads and ExportProject).
func RenderProjectFile(ctx context.Context, w *Workbench, projectID int64) (*Download, error) {
	f, err := w.store.ExportProject(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := store.WriteProjectFile(&buf, f); err != nil {
		return nil, err
	}
	return &Download{FileName: slug(f.Project.Name) + ".samthreat.json", ContentType: "application/json", Data: buf.Bytes()}, nil
}

// Export writes a revision's report (pdf, md, html, sarif, json) to path ("":
// the Downloads folder) and says where it went. Reports carry triage status.
func (w *Workbench) Export(revisionID int64, format, path string) (ExportResult, error) {
	d, err := RenderReport(w.ctx, w, revisionID, format)
	if err != nil {
		return ExportResult{}, err
	}
	f, _ := exportFormat(format)
	return w.save(d, path, f.Name)
}

// ExportProject writes a whole project (revisions with template text, triage
// and its history) as one JSON file to path ("": the Downloads folder).
func (w *Workbench) ExportProject(projectID int64, path string) (ExportResult, error) {
	d, err := RenderProjectFile(w.ctx, w, projectID)
	if err != nil {
		return ExportResult{}, err
	}
	return w.save(d, path, "project")
}

// ImportProject reads a project file written by ExportProject. A project
// with the same key is merged into (see API.md).
func (w *Workbench) ImportProject(path string) (Project, error) {
	abs, err := filepath.Abs(strings.TrimSpace(path))
	if err != nil {
		return Project{}, err
	}
	fh, err := safefs.OpenFile(abs) // a regular file: a FIFO is refused, not waited on
	if err != nil {
		return Project{}, fmt.Errorf("%s: %s", path, safefs.Reason(err))
	}
	defer fh.Close()
	p, err := w.importProject(bufio.NewReader(fh))
	if err != nil {
		return Project{}, fmt.Errorf("%s: %w", filepath.Base(abs), err)
	}
	_ = w.store.TouchRecent(w.ctx, abs, "project")
	return p, nil
}

// ImportProjectText imports project-file text uploaded from the browser.
func (w *Workbench) ImportProjectText(text string) (Project, error) {
	return w.importProject(strings.NewReader(text))
}

func (w *Workbench) importProject(r io.Reader) (Project, error) {
	f, err := store.ReadProjectFile(r)
	if err != nil {
		return Project{}, err
	}
	id, err := w.store.ImportProject(w.ctx, f)
	if err != nil {
		return Project{}, err
	}
	w.changed(id)
	return w.projectByID(id)
}

// save writes d to path (or the export folder) atomically.
func (w *Workbench) save(d *Download, path, format string) (ExportResult, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		dir, err := w.exportDir()
		if err != nil {
			return ExportResult{}, err
		}
		path = filepath.Join(dir, d.FileName)
	} else if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, d.FileName)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ExportResult{}, err
	}
	if err := writeAtomic(abs, d.Data); err != nil {
		return ExportResult{}, fmt.Errorf("writing %s: %w", abs, unwrapPathErr(err))
	}
	return ExportResult{Path: abs, Format: format, Bytes: int64(len(d.Data))}, nil
}

func (w *Workbench) exportDir() (string, error) {
	if w.cfg.ExportDir != "" {
		return w.cfg.ExportDir, os.MkdirAll(w.cfg.ExportDir, 0o755)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no folder to export to: give a path")
	}
	if st, err := os.Stat(filepath.Join(home, "Downloads")); err == nil && st.IsDir() {
		return filepath.Join(home, "Downloads"), nil
	}
	return home, nil
}

// writeAtomic writes data to a temporary file beside path and renames it,
// so a crash never leaves half a report under the final name.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// slug makes a file-name-safe name: "freshtracks/template.yaml" -> "freshtracks-template".
func slug(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".yaml"), ".yml")
	s = strings.TrimSuffix(s, ".json")
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return "samthreat"
	}
	if len(out) > 80 {
		out = out[:80]
	}
	return out
}

// ExportOptions narrow a report (ExportWith and the download URL's
// parameters). The zero value is Export's report: every finding, the
// template's title.
type ExportOptions struct {
	// Title replaces the report's title (the template's Description).
	Title string `json:"title"`
	// MinSeverity leaves out findings below it: critical, high, medium, low
	// or info ("" keeps all).
	MinSeverity string `json:"minSeverity"`
	// ExcludeAccepted leaves out findings triaged as accepted risk or false
	// positive (open and mitigated ones stay).
	ExcludeAccepted bool `json:"excludeAccepted"`
	// Sections are the parts of a PDF, Markdown or HTML report to write
	// (report.Sections: summary, architecture, functions, findings,
	// third-parties, hardening, method); empty: every part. SARIF and JSON
	// have no sections.
	Sections []string `json:"sections,omitempty"`
}

func (o ExportOptions) validate() (ExportOptions, error) {
	o.Title = strings.TrimSpace(o.Title)
	o.MinSeverity = strings.ToLower(strings.TrimSpace(o.MinSeverity))
	if o.MinSeverity != "" && !model.Severity(o.MinSeverity).Valid() {
		return o, fmt.Errorf("unknown minimum severity %q (one of %s)", o.MinSeverity, model.SeverityNames())
	}
	if len(o.Title) > 200 {
		return o, errors.New("the title is longer than 200 characters")
	}
	sections, err := report.CheckSections(o.Sections)
	if err != nil {
		return o, err
	}
	if len(sections) == len(report.Sections) {
		sections = nil // every section: the default report
	}
	o.Sections = sections
	return o, nil
}

// filter returns a copy of the triaged model m without the findings o
// leaves out, with the summary counts recomputed.
func (o ExportOptions) filter(m *model.Model) *model.Model {
	if o.MinSeverity == "" && !o.ExcludeAccepted {
		return m
	}
	min := model.Severity(o.MinSeverity).Rank()
	out := *m
	out.Findings = make([]*model.Finding, 0, len(m.Findings))
	for _, f := range m.Findings {
		sev := f.Severity
		if f.Triage != nil && f.Triage.Severity != "" {
			sev = f.Triage.Severity // the reviewer's override
		}
		if o.MinSeverity != "" && (!sev.Valid() || sev.Rank() < min) {
			continue
		}
		if o.ExcludeAccepted && f.Triage != nil && (f.Triage.Status == store.StatusAccepted || f.Triage.Status == store.StatusFalsePositive) {
			continue
		}
		out.Findings = append(out.Findings, f)
	}
	out.CountFindings()
	return &out
}

// ExportWith is Export with options: a title, a minimum severity, and
// whether findings triaged as accepted or false positive are left out.
func (w *Workbench) ExportWith(revisionID int64, format, path string, opts ExportOptions) (ExportResult, error) {
	d, err := RenderReportWith(w.ctx, w, revisionID, format, opts)
	if err != nil {
		return ExportResult{}, err
	}
	f, _ := exportFormat(format)
	return w.save(d, path, f.Name)
}

// renderDiagramImage draws a revision's diagram as SVG or PNG (a variable
// so tests can stand in for it).
var renderDiagramImage = func(ctx context.Context, m *model.Model, format, focus, collapse string) ([]byte, error) {
	f, _ := output.Lookup(format)
	var buf bytes.Buffer
	err := f.Render(ctx, &buf, []*model.Model{m}, output.Options{Diagram: diagram.Options{Focus: focus, Collapse: collapse}})
	return buf.Bytes(), err
}

// diagramFormat finds a diagram format the workbench exports.
func diagramFormat(format string) (output.Format, error) {
	f, ok := output.Lookup(format)
	if !ok || !f.Workbench || f.Kind != output.KindDiagram {
		return output.Format{}, fmt.Errorf("unknown diagram format %q (%s)", format, strings.Join(output.WorkbenchNames(output.KindDiagram), " or "))
	}
	return f, nil
}

// RenderDiagram renders a revision's diagram as an SVG or PNG file (for
// downloads and ExportDiagram): the same drawing as Diagram, with the same
// focus and view.
func RenderDiagram(ctx context.Context, w *Workbench, revisionID int64, format, focus, collapse string) (*Download, error) {
	ef, err := diagramFormat(format)
	if err != nil {
		return nil, err
	}
	f := ef.Name
	m, err := w.Analysis(revisionID)
	if err != nil {
		return nil, err
	}
	_, rev, err := w.model(revisionID)
	if err != nil {
		return nil, err
	}
	p, err := w.store.Project(ctx, rev.ProjectID)
	if err != nil {
		return nil, err
	}
	data, err := renderDiagramImage(ctx, m, f, strings.TrimSpace(focus), strings.TrimSpace(collapse))
	if err != nil {
		return nil, fmt.Errorf("diagram of %s: %w", rev.FileName, err)
	}
	name := fmt.Sprintf("%s-r%d-diagram", slug(p.Name), rev.Seq)
	if focus = strings.TrimSpace(focus); focus != "" {
		name += "-" + slug(focus)
	}
	return &Download{FileName: name + ef.Ext, ContentType: ef.ContentType, Data: data}, nil
}

// ExportDiagram writes a revision's diagram (svg or png, with the focus and
// view on screen) to path ("": the Downloads folder) and says where it went.
func (w *Workbench) ExportDiagram(revisionID int64, format, focus, collapse, path string) (ExportResult, error) {
	d, err := RenderDiagram(w.ctx, w, revisionID, format, focus, collapse)
	if err != nil {
		return ExportResult{}, err
	}
	return w.save(d, path, strings.ToLower(strings.TrimSpace(format)))
}
