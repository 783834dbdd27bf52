package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/output"
)

func init() { register(newGraphCmd) }

func newGraphCmd() *cobra.Command {
	var format, out, focus, collapse, rulesDir, root string
	var dpi int
	cmd := &cobra.Command{
		Use:   "graph [TEMPLATE]",
		Short: "Draw the data-flow diagram (SVG, PNG or DOT)",
		Long: `Draw the application's data-flow diagram: trust boundaries (Internet and clients,
API layer, AWS account and its VPCs, third parties), functions filled by blast-radius
score with a badge for their most severe open findings, triggers and IAM access levels
on the edges. Rendered with an embedded Graphviz; no dot binary needed.

With no TEMPLATE the bundled Fresh Tracks example is drawn. --format defaults to the
extension of -o (svg, png or dot), else svg. Applications with more than ` + strconv.Itoa(diagram.AutoCollapseFunctions) + `
functions (or ` + strconv.Itoa(diagram.AutoCollapseNodes) + ` nodes) are collapsed automatically; --collapse none draws every node.

--focus ID draws one element's neighbourhood: a function and everything it can reach,
or a resource and everything that can reach it.`,
		Example: `  samthreat graph template.yaml -o diagram.svg
  samthreat graph template.yaml --format png -o diagram.png
  samthreat graph template.yaml --focus getActivity --format dot
  samthreat graph big.yaml --collapse codeuri -o big.svg`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr("graph takes one TEMPLATE (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGraph(cmd, args, graphFlags{format, out, focus, collapse, rulesDir, root, dpi})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "output format: "+orList(graphFormatNames())+" (default: from -o, else svg)")
	f.StringVarP(&out, "out", "o", "", "write the diagram to FILE instead of standard output")
	f.StringVar(&focus, "focus", "", "draw only this function or resource (logical id) and what it reaches / what reaches it")
	f.StringVar(&collapse, "collapse", "", "group functions: api, trigger, codeuri, or none (default: automatic for large applications)")
	f.IntVar(&dpi, "dpi", 0, "PNG resolution (default 96)")
	f.StringVar(&rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &root)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return graphFormatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("collapse", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return diagram.CollapseModes, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// graphFlags are graph's options.
type graphFlags struct {
	format, out, focus, collapse, rulesDir, root string
	dpi                                          int
}

// runGraph checks the options, analyses the template and draws it.
func runGraph(cmd *cobra.Command, args []string, fl graphFlags) error {
	if err := checkGraphOut(&fl.format, fl.out); err != nil {
		return err
	}
	opts := diagram.Options{Format: strings.ToLower(fl.format), Focus: fl.focus, Collapse: strings.ToLower(fl.collapse), DPI: fl.dpi}
	// Check the options before the (slower) analysis.
	if err := opts.Validate(); err != nil {
		return usageErr("%v", err)
	}
	path, err := templateArg(args, "graph draws one template")
	if err != nil {
		return err
	}
	if fl.out == "" && opts.Format == "png" && isTerminal(cmd.OutOrStdout()) {
		return usageErr("not writing a PNG to a terminal: use -o FILE")
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if err := checkRules(fl.rulesDir); err != nil {
		return err
	}
	m, err := analysis.File(ctx, path, analysis.Options{RulesDir: fl.rulesDir, Root: fl.root})
	if err != nil {
		return usageErr("%v", err)
	}
	var buf bytes.Buffer
	format, _ := output.Lookup(opts.Format) // Validate accepted it
	if err := format.Render(ctx, &buf, []*model.Model{m}, output.Options{Diagram: opts}); err != nil {
		var unknown *diagram.UnknownIDError
		if errors.As(err, &unknown) {
			return usageErr("--focus: %v", err)
		}
		return usageErr("%s: %v", path, err)
	}
	if fl.out != "" {
		if err := os.WriteFile(fl.out, buf.Bytes(), 0o644); err != nil {
			return usageErr("writing %s: %v", fl.out, unwrapPathErr(err))
		}
		return nil
	}
	_, err = cmd.OutOrStdout().Write(buf.Bytes())
	return err
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// graphFormatNames are the diagram formats of the registry (internal/output),
// in its order.
func graphFormatNames() []string {
	var names []string
	for _, f := range output.Of(output.KindDiagram) {
		names = append(names, f.Name)
	}
	return names
}

// graphExts: ".svg, .png or .dot".
func graphExts() string {
	var exts []string
	for _, f := range output.Of(output.KindDiagram) {
		exts = append(exts, f.Ext)
	}
	return orList(exts)
}

// checkGraphOut settles --format from -o's extension and refuses a file name
// whose extension names another format (diagram.jpg, diagram.pdf), rather
// than writing SVG into it. A name with no extension gets --format, else SVG.
func checkGraphOut(format *string, out string) error {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	f, known := output.ByExt(output.KindDiagram, ext)
	byExt := f.Name
	switch {
	case ext == "":
		if *format == "" {
			*format = "svg"
		}
	case *format == "" && known:
		*format = byExt
	case *format == "":
		return usageErr("-o %s: graph writes %s, not .%s (name the file %s, or choose --format)", out, orList(graphFormatNames()), ext, graphExts())
	case known && byExt != strings.ToLower(*format):
		return usageErr("-o %s: the extension says %s but --format is %s", out, byExt, *format)
	case !known && isImageExt(ext):
		return usageErr("-o %s: graph writes %s, not .%s", out, orList(graphFormatNames()), ext)
	}
	return nil
}

// isImageExt: extensions of formats a reader would expect in the file.
func isImageExt(ext string) bool {
	switch ext {
	case "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "pdf", "eps", "ps", "ico", "avif", "heic", "html", "htm", "json":
		return true
	}
	return false
}
