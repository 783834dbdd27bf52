// Command tsgen writes frontend/src/api/types.gen.ts, the TypeScript types
// of the workbench API, from the Go types themselves: the threat model
// (internal/model, the contract of `analyze --format json`), the parameters
// and results of every method of app.Workbench, the event payloads, and the
// output formats of the registry (internal/output). It honours json tags:
// a field tagged omitempty is optional, a slice, map or pointer without it
// may be null, a field tagged "-" is left out. Doc comments come along.
//
//	go run ./tools/tsgen          # write the file (make types)
//	go run ./tools/tsgen -check   # fail when the committed file differs (make lint)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/samthreat/samthreat/app"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/output"
	"github.com/samthreat/samthreat/internal/report"
	"github.com/samthreat/samthreat/internal/rules/catalog"
	"github.com/samthreat/samthreat/internal/store"
)

const target = "frontend/src/api/types.gen.ts"

// renames give Go types whose names would collide or mislead in the
// frontend their TypeScript name.
var renames = map[string]string{
	"model.Function": "ModelFunction",
	"model.Event":    "ModelEvent",
}

// vocabulary is a closed set of strings the Go side keeps as plain strings:
// the generator declares it as a union type (and a constant listing it).
type vocabulary struct {
	name, list, doc string
	values          []string
}

var vocabularies = []vocabulary{
	{"Severity", "SEVERITIES", "Severities, most severe first (internal/model).", strs(model.Severities)},
	{"TriageStatus", "TRIAGE_STATUSES", "A finding's triage status (internal/store).",
		[]string{store.StatusOpen, store.StatusInvestigate, store.StatusMitigated, store.StatusAccepted, store.StatusFalsePositive}},
}

// namedTypes are Go vocabulary types and their TypeScript names (declared
// by vocabularies).
var namedTypes = map[reflect.Type]string{
	reflect.TypeFor[model.Severity](): "Severity",
}

// fieldTypes narrow string fields that hold one of the vocabularies (or a
// few words) to that type. Keys are package.Type.Field.
var fieldTypes = map[string]string{
	"model.Triage.Status":           "TriageStatus",
	"app.TriageRecord.Status":       "TriageStatus",
	"app.TriageRecord.Severity":     "Severity | ''",
	"app.TriageInput.Status":        "TriageStatus",
	"app.TriageInput.Severity":      "Severity | ''",
	"app.TriageChange.Status":       "TriageStatus",
	"app.TriageChange.Severity":     "Severity",
	"app.ExportOptions.MinSeverity": "Severity | ''",
	"app.Status.Mode":               "'desktop' | 'web'",
	"app.RecentFile.Kind":           "'file' | 'folder' | 'project'",
	"app.ExportOptions.Sections":    "ReportSection[]",
}

// roots are the types the frontend reads besides the API's own: event
// payloads.
var roots = []reflect.Type{
	reflect.TypeFor[model.Model](),
	reflect.TypeFor[app.Progress](),
}

func main() {
	check := flag.Bool("check", false, "fail when "+target+" differs from what the Go types give")
	flag.Parse()
	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	out := generate(root)
	path := filepath.Join(root, target)
	if *check {
		old, _ := os.ReadFile(path)
		if !bytes.Equal(old, out) {
			fail(fmt.Errorf("%s is out of date with the Go types: run make types and commit it", target))
		}
		return
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fail(err)
	}
}

// generate is the TypeScript of the roots and of every type app.Workbench's
// methods take or return.
func generate(root string) []byte {
	g := newGen(root)
	for _, t := range roots {
		g.named(t)
	}
	wb := reflect.TypeFor[*app.Workbench]()
	for i := 0; i < wb.NumMethod(); i++ {
		m := wb.Method(i).Type
		for j := 1; j < m.NumIn(); j++ {
			g.ref(m.In(j))
		}
		for j := 0; j < m.NumOut(); j++ {
			g.ref(m.Out(j))
		}
	}
	return g.file()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tsgen:", err)
	os.Exit(1)
}

// moduleRoot is the folder of go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// formatsSection declares the output formats the workbench exports, from
// the registry.
func formatsSection(b *bytes.Buffer) {
	union := func(kind output.Kind) string {
		var q []string
		for _, n := range output.WorkbenchNames(kind) {
			q = append(q, quote(n))
		}
		return strings.Join(q, " | ")
	}
	exportKinds := []string{}
	for _, k := range []output.Kind{output.KindReport, output.KindModel} {
		if u := union(k); u != "" {
			exportKinds = append(exportKinds, u)
		}
	}
	b.WriteString("\n// ---- output formats (the registry, internal/output) ----\n\n")
	b.WriteString("/** A report or model format the Export view writes. */\n")
	fmt.Fprintf(b, "export type ExportFormat = %s;\n\n", strings.Join(exportKinds, " | "))
	b.WriteString("/** A diagram format the Export view writes. */\n")
	fmt.Fprintf(b, "export type DiagramFormat = %s;\n\n", union(output.KindDiagram))
	b.WriteString("/** One output format of the registry. */\n")
	b.WriteString("export interface OutputFormat<F extends string = string> {\n  id: F;\n  label: string;\n  /** File extension, without the dot. */\n  ext: string;\n  contentType: string;\n  kind: 'model' | 'report' | 'diagram';\n  what: string;\n}\n\n")
	write := func(name, typ string, keep func(output.Format) bool) {
		fmt.Fprintf(b, "export const %s: OutputFormat<%s>[] = [\n", name, typ)
		for _, f := range output.All() {
			if !f.Workbench || !keep(f) {
				continue
			}
			fmt.Fprintf(b, "  { id: %s, label: %s, ext: %s, contentType: %s, kind: %s, what: %s },\n",
				quote(f.Name), quote(f.Label), quote(strings.TrimPrefix(f.Ext, ".")), quote(f.ContentType), quote(string(f.Kind)), quote(f.Description))
		}
		b.WriteString("];\n")
	}
	b.WriteString("/** The formats of the Export view's report card, in the registry's order. */\n")
	write("EXPORT_FORMATS", "ExportFormat", func(f output.Format) bool { return f.Kind != output.KindDiagram })
	b.WriteString("\n/** The formats of the Export view's diagram card. */\n")
	write("DIAGRAM_FORMATS", "DiagramFormat", func(f output.Format) bool { return f.Kind == output.KindDiagram })
}

// sectionsSection declares the report's sections (internal/report).
func sectionsSection(b *bytes.Buffer) {
	var ids []string
	for _, s := range report.Sections {
		ids = append(ids, quote(s.ID))
	}
	b.WriteString("\n// ---- report sections (internal/report) ----\n\n")
	b.WriteString("/** A part of a PDF, Markdown or HTML report (ExportOptions.sections). */\n")
	fmt.Fprintf(b, "export type ReportSection = %s;\n\n", strings.Join(ids, " | "))
	b.WriteString("/** The report's sections in report order, with their titles. */\n")
	b.WriteString("export const REPORT_SECTIONS: { id: ReportSection; title: string }[] = [\n")
	for _, s := range report.Sections {
		fmt.Fprintf(b, "  { id: %s, title: %s },\n", quote(s.ID), quote(s.Title))
	}
	b.WriteString("];\n")
}

// owaspSection lists the OWASP Serverless Top Ten categories findings are
// mapped to (catalogs/owasp, read through internal/rules/catalog) and the
// STRIDE categories.
func owaspSection(b *bytes.Buffer) {
	cats, err := catalog.OWASP()
	if err != nil {
		panic(fmt.Sprintf("tsgen: the OWASP catalog: %v", err))
	}
	b.WriteString("\n// ---- OWASP Serverless Top Ten (catalogs/owasp) ----\n\n")
	b.WriteString("/** The categories findings are mapped to, S1..S10, with their titles. */\n")
	b.WriteString("export const OWASP: { id: string; title: string }[] = [\n")
	for _, c := range cats {
		fmt.Fprintf(b, "  { id: %s, title: %s },\n", quote(c.ID), quote(c.Title))
	}
	b.WriteString("];\n\n")
	b.WriteString("/** STRIDE categories as the rule catalog names them, in STRIDE order. */\n")
	b.WriteString("export const STRIDE = [\n")
	for _, s := range catalog.STRIDE {
		fmt.Fprintf(b, "  %s,\n", quote(s))
	}
	b.WriteString("] as const;\n")
}

func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// strs lists a typed vocabulary as plain strings.
func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
