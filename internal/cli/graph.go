package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/diagram"
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
			if err := checkGraphOut(&format, out); err != nil {
				return err
			}
			opts := diagram.Options{Format: strings.ToLower(format), Focus: focus, Collapse: strings.ToLower(collapse), DPI: dpi}
			// Check the options before the (slower) analysis.
			if err := opts.Validate(); err != nil {
				return usageErr("%v", err)
			}
			path, err := templateArg(args, "graph draws one template")
			if err != nil {
				return err
			}
			if out == "" && opts.Format == "png" && isTerminal(cmd.OutOrStdout()) {
				return usageErr("not writing a PNG to a terminal: use -o FILE")
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if err := checkRules(rulesDir); err != nil {
				return err
			}
			m, err := analysis.File(ctx, path, analysis.Options{RulesDir: rulesDir, Root: root})
			if err != nil {
				return usageErr("%v", err)
			}
			data, err := diagram.Render(ctx, m, opts)
			if err != nil {
				var unknown *diagram.UnknownIDError
				if errors.As(err, &unknown) {
					return usageErr("--focus: %v", err)
				}
				return usageErr("%s: %v", path, err)
			}
			if out != "" {
				if err := os.WriteFile(out, data, 0o644); err != nil {
					return usageErr("writing %s: %v", out, unwrapPathErr(err))
				}
				return nil
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "output format: svg, png or dot (default: from -o, else svg)")
	f.StringVarP(&out, "out", "o", "", "write the diagram to FILE instead of standard output")
	f.StringVar(&focus, "focus", "", "draw only this function or resource (logical id) and what it reaches / what reaches it")
	f.StringVar(&collapse, "collapse", "", "group functions: api, trigger, codeuri, or none (default: automatic for large applications)")
	f.IntVar(&dpi, "dpi", 0, "PNG resolution (default 96)")
	f.StringVar(&rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &root)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return diagram.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("collapse", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return diagram.CollapseModes, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
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

// graphFormats maps -o extensions to the formats graph writes.
var graphFormats = map[string]string{"svg": "svg", "png": "png", "dot": "dot", "gv": "dot"}

// checkGraphOut settles --format from -o's extension and refuses a file name
// whose extension names another format (diagram.jpg, diagram.pdf), rather
// than writing SVG into it. A name with no extension gets --format, else SVG.
func checkGraphOut(format *string, out string) error {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	byExt, known := graphFormats[ext]
	switch {
	case ext == "":
		if *format == "" {
			*format = "svg"
		}
	case *format == "" && known:
		*format = byExt
	case *format == "":
		return usageErr("-o %s: graph writes svg, png or dot, not .%s (name the file .svg, .png or .dot, or choose --format)", out, ext)
	case known && byExt != strings.ToLower(*format):
		return usageErr("-o %s: the extension says %s but --format is %s", out, byExt, *format)
	case !known && isImageExt(ext):
		return usageErr("-o %s: graph writes svg, png or dot, not .%s", out, ext)
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
