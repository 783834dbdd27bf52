package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/output"
	"github.com/samthreat/samthreat/internal/report"
)

func init() { register(newReportCmd) }

// largeTemplate: from this many functions (or template bytes) the report
// command tells on stderr what it is doing.
const (
	largeFunctions = 100
	largeBytes     = 256 << 10
)

// reportFlags are the report command's options; files maps each report
// format of the registry (internal/output) to its --<name> FILE.
type reportFlags struct {
	files                           map[string]*string
	title, revision, rulesDir, root string
	sections                        []string
}

func newReportCmd() *cobra.Command {
	fl := reportFlags{files: map[string]*string{}}
	cmd := &cobra.Command{
		Use:   "report [TEMPLATE]",
		Short: "Write the threat-model report as " + reportFormatWords(),
		Long: `Write the threat-model report of a SAM/CloudFormation template: executive summary,
architecture and data-flow diagram, each function's blast radius and least-privilege
policy, findings by OWASP Serverless Top Ten category, third-party services, method.

With no ` + reportFlagWords() + ` a PDF is written in the current directory, named after
the template (after its folder when the file is called template.yaml). With no
TEMPLATE the bundled Fresh Tracks example is reported.

Exit codes: 0 written; 2 bad usage, unreadable template or unwritable file.`,
		Example: `  samthreat report template.yaml
  samthreat report --pdf model.pdf --md THREATS.md --html report.html template.yaml
  samthreat report --title "Payments API" --revision "v2.3 (a1b2c3d)" template.yaml
  samthreat report --sections summary,findings --md review.md template.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runReport(cmd, args, fl) },
	}
	f := cmd.Flags()
	for _, rf := range output.Of(output.KindReport) {
		fl.files[rf.Name] = f.String(rf.Name, "", "write the "+rf.Label+" report to FILE")
	}
	f.StringVar(&fl.title, "title", "", "application name on the cover (default: the template's Description, else its file name)")
	f.StringVar(&fl.revision, "revision", "", "revision label on the cover (a tag, a commit)")
	f.StringSliceVar(&fl.sections, "sections", nil, "write only these parts (comma-separated): "+strings.Join(sectionIDs(), ", ")+" (default: every part)")
	f.StringVar(&fl.rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &fl.root)
	return cmd
}

// sectionIDs are the report's parts --sections chooses from.
func sectionIDs() []string {
	var ids []string
	for _, s := range report.Sections {
		ids = append(ids, s.ID)
	}
	return ids
}

// reportFormatWords: "PDF, Markdown or HTML", from the registry.
func reportFormatWords() string {
	var labels []string
	for _, f := range output.Of(output.KindReport) {
		labels = append(labels, f.Label)
	}
	return orList(labels)
}

// reportFlagWords: "--pdf, --md or --html", from the registry.
func reportFlagWords() string {
	var flags []string
	for _, f := range output.Of(output.KindReport) {
		flags = append(flags, "--"+f.Name)
	}
	return orList(flags)
}

func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// reportOut is one report file to write.
type reportOut struct {
	format  output.Format
	file    string
	diagram string // the SVG written beside it, for formats that link it
}

// runReport analyses the template and writes each report asked for.
func runReport(cmd *cobra.Command, args []string, fl reportFlags) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	path, err := templateArg(args, "name one template file")
	if err != nil {
		return err
	}
	outs, err := reportOuts(fl, path)
	if err != nil {
		return err
	}
	sections, err := report.CheckSections(fl.sections)
	if err != nil {
		return usageErr("--sections: %v", err)
	}
	loud := false
	if st, err := os.Stat(path); err == nil && st.Size() >= largeBytes {
		loud = true
	}
	say := func(format string, a ...any) {
		if loud {
			fmt.Fprintf(cmd.ErrOrStderr(), "samthreat: "+format+"\n", a...)
		}
	}
	if err := checkRules(fl.rulesDir); err != nil {
		return err
	}
	start := time.Now()
	say("analysing %s", path)
	m, err := analysis.File(ctx, path, analysis.Options{RulesDir: fl.rulesDir, Root: fl.root})
	if err != nil {
		return &exitError{code: ExitUsage, msg: oneLineMsg(err)}
	}
	if len(m.Functions) >= largeFunctions {
		loud = true
	}
	say("analysed %d functions in %s", len(m.Functions), time.Since(start).Round(time.Millisecond))
	opts := report.Options{Title: fl.title, Revision: fl.revision, Version: Version, Sections: sections,
		Progress: func(step string) { say("report: %s", step) }}
	for i, o := range outs {
		if o.format.DiagramBeside && opts.Includes(report.SectionArchitecture) {
			if outs[i].diagram, err = writeDiagramBeside(ctx, cmd.OutOrStdout(), m, o); err != nil {
				return err
			}
		}
	}
	for _, o := range outs {
		t0 := time.Now()
		ro := opts
		ro.DiagramFile = o.diagram
		n, err := writeReport(ctx, m, o, ro)
		if err != nil {
			return err
		}
		abs, _ := filepath.Abs(o.file)
		fmt.Fprintf(cmd.OutOrStdout(), "%s report written to %s (%s)\n", o.format.Label, abs, humanSize(n))
		say("%s written in %s", o.format.Label, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

// reportOuts lists the files asked for in registry order (a PDF named after
// the template when none is), refusing unusable names before the analysis.
func reportOuts(fl reportFlags, path string) ([]reportOut, error) {
	var outs []reportOut
	var files []string
	for _, f := range output.Of(output.KindReport) {
		if p := fl.files[f.Name]; p != nil && *p != "" {
			outs = append(outs, reportOut{format: f, file: *p})
			files = append(files, *p)
		}
	}
	if len(outs) == 0 {
		pdf, _ := output.Lookup("pdf")
		outs = []reportOut{{format: pdf, file: defaultReportName(path)}}
		files = []string{outs[0].file}
	}
	return outs, checkOutputs(files...)
}

// writeDiagramBeside writes the diagram as SVG beside a report that links
// it (Markdown) and returns its name relative to the report ("" when the
// diagram cannot be drawn: the report then says where the diagram is).
func writeDiagramBeside(ctx context.Context, stdout io.Writer, m *model.Model, o reportOut) (string, error) {
	reportFile := o.file
	svgName := strings.TrimSuffix(filepath.Base(reportFile), filepath.Ext(reportFile)) + "-diagram.svg"
	var svg bytes.Buffer
	if err := report.WriteDiagramSVG(ctx, m, &svg); err != nil {
		return "", nil
	}
	svgPath := filepath.Join(filepath.Dir(reportFile), svgName)
	if err := os.WriteFile(svgPath, svg.Bytes(), 0o644); err != nil {
		return "", usageErr("writing %s: %v", svgPath, unwrapPathErr(err))
	}
	abs, _ := filepath.Abs(svgPath)
	fmt.Fprintf(stdout, "Diagram for the %s report written to %s (%s)\n", o.format.Label, abs, humanSize(svg.Len()))
	return svgName, nil
}

// writeReport renders one report and writes it to its file.
func writeReport(ctx context.Context, m *model.Model, o reportOut, opts report.Options) (int, error) {
	var buf bytes.Buffer
	if err := o.format.Render(ctx, &buf, []*model.Model{m}, output.Options{Report: opts}); err != nil {
		return 0, &exitError{code: ExitUsage, msg: oneLineMsg(err)}
	}
	if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
		return 0, usageErr("writing %s: %v", o.file, unwrapPathErr(err))
	}
	return buf.Len(), nil
}

// defaultReportName names the PDF after the template, or after its folder
// when the template has SAM's default name.
func defaultReportName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if strings.EqualFold(base, "template") {
		if abs, err := filepath.Abs(path); err == nil {
			if dir := filepath.Base(filepath.Dir(abs)); dir != "" && dir != "." && dir != string(filepath.Separator) {
				base = dir
			}
		}
	}
	return base + "-threat-model.pdf"
}

// checkOutputs refuses an output that is a directory or is named twice,
// before the analysis runs.
func checkOutputs(files ...string) error {
	seen := map[string]bool{}
	for _, f := range files {
		if f == "" {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			abs = f
		}
		if seen[abs] {
			return usageErr("%s is given for two formats", f)
		}
		seen[abs] = true
		if st, err := os.Stat(f); err == nil && st.IsDir() {
			return usageErr("%s is a directory: give a file name", f)
		}
		if dir := filepath.Dir(abs); dir != "" {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return usageErr("cannot write %s: folder %s does not exist", f, dir)
			}
		}
	}
	return nil
}

func oneLineMsg(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
