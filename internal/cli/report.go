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
	"github.com/samthreat/samthreat/internal/report"
)

func init() { register(newReportCmd) }

// largeTemplate: from this many functions (or template bytes) the report
// command tells on stderr what it is doing.
const (
	largeFunctions = 100
	largeBytes     = 256 << 10
)

func newReportCmd() *cobra.Command {
	var pdfOut, mdOut, htmlOut, title, revision, rulesDir, root string
	cmd := &cobra.Command{
		Use:   "report [TEMPLATE]",
		Short: "Write the threat-model report as PDF, Markdown or HTML",
		Long: `Write the threat-model report of a SAM/CloudFormation template: executive summary,
architecture and data-flow diagram, each function's blast radius and least-privilege
policy, findings by OWASP Serverless Top Ten category, third-party services, method.

With no --pdf, --md or --html a PDF is written in the current directory, named after
the template (after its folder when the file is called template.yaml). With no
TEMPLATE the bundled Fresh Tracks example is reported.

Exit codes: 0 written; 2 bad usage, unreadable template or unwritable file.`,
		Example: `  samthreat report template.yaml
  samthreat report --pdf model.pdf --md THREATS.md --html report.html template.yaml
  samthreat report --title "Payments API" --revision "v2.3 (a1b2c3d)" template.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			stderr := cmd.ErrOrStderr()
			path, err := templateArg(args, "name one template file")
			if err != nil {
				return err
			}
			if pdfOut == "" && mdOut == "" && htmlOut == "" {
				pdfOut = defaultReportName(path)
			}
			if err := checkOutputs(pdfOut, mdOut, htmlOut); err != nil {
				return err
			}

			loud := false
			if st, err := os.Stat(path); err == nil && st.Size() >= largeBytes {
				loud = true
			}
			say := func(format string, a ...any) {
				if loud {
					fmt.Fprintf(stderr, "samthreat: "+format+"\n", a...)
				}
			}
			if err := checkRules(rulesDir); err != nil {
				return err
			}
			start := time.Now()
			say("analysing %s", path)
			m, err := analysis.File(ctx, path, analysis.Options{RulesDir: rulesDir, Root: root})
			if err != nil {
				return &exitError{code: ExitUsage, msg: oneLineMsg(err)}
			}
			if len(m.Functions) >= largeFunctions {
				loud = true
			}
			say("analysed %d functions in %s", len(m.Functions), time.Since(start).Round(time.Millisecond))
			opts := report.Options{Title: title, Revision: revision, Version: Version,
				Progress: func(step string) { say("report: %s", step) }}

			outs := []struct {
				file, what string
				write      func(context.Context, *model.Model, io.Writer, report.Options) error
			}{
				{pdfOut, "PDF", report.WritePDF},
				{mdOut, "Markdown", report.WriteMarkdown},
				{htmlOut, "HTML", report.WriteHTML},
			}
			if mdOut != "" {
				// The Markdown links the diagram, written beside it as SVG.
				svgName := strings.TrimSuffix(filepath.Base(mdOut), filepath.Ext(mdOut)) + "-diagram.svg"
				var svg bytes.Buffer
				if err := report.WriteDiagramSVG(ctx, m, &svg); err == nil {
					svgPath := filepath.Join(filepath.Dir(mdOut), svgName)
					if err := os.WriteFile(svgPath, svg.Bytes(), 0o644); err != nil {
						return usageErr("writing %s: %v", svgPath, unwrapPathErr(err))
					}
					mdOpts := opts
					mdOpts.DiagramFile = svgName
					outs[1].write = func(ctx context.Context, m *model.Model, w io.Writer, _ report.Options) error {
						return report.WriteMarkdown(ctx, m, w, mdOpts)
					}
					abs, _ := filepath.Abs(svgPath)
					fmt.Fprintf(cmd.OutOrStdout(), "Diagram for the Markdown report written to %s (%s)\n", abs, humanSize(svg.Len()))
				}
			}
			for _, o := range outs {
				if o.file == "" {
					continue
				}
				t0 := time.Now()
				var buf bytes.Buffer
				if err := o.write(ctx, m, &buf, opts); err != nil {
					return &exitError{code: ExitUsage, msg: oneLineMsg(err)}
				}
				if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
					return usageErr("writing %s: %v", o.file, unwrapPathErr(err))
				}
				abs, _ := filepath.Abs(o.file)
				fmt.Fprintf(cmd.OutOrStdout(), "%s report written to %s (%s)\n", o.what, abs, humanSize(buf.Len()))
				say("%s written in %s", o.what, time.Since(t0).Round(time.Millisecond))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&pdfOut, "pdf", "", "write the PDF report to FILE")
	f.StringVar(&mdOut, "md", "", "write the Markdown report to FILE")
	f.StringVar(&htmlOut, "html", "", "write the HTML report to FILE")
	f.StringVar(&title, "title", "", "application name on the cover (default: the template's Description, else its file name)")
	f.StringVar(&revision, "revision", "", "revision label on the cover (a tag, a commit)")
	f.StringVar(&rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &root)
	return cmd
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
