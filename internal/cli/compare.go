package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
)

func init() { register(newCompareCmd) }

func newCompareCmd() *cobra.Command {
	var format, merge, rulesDir, root string
	cmd := &cobra.Command{
		Use:   "compare [BASE [OTHER]]",
		Short: "Compare two templates' blast radius (monolith vs split), or weigh a merge",
		Long: `Compare the application figures of two templates side by side: attack surface,
monolith and split potential impact, per-function blast radius deltas, the ratio
OTHER split impact / BASE split impact, and the findings added and removed.

--merge f1,f2,... is a what-if: OTHER (BASE itself when OTHER is omitted) is
analysed as if those functions were one function (union of their code,
dependencies and permissions).

With no template the bundled Fresh Tracks example is compared: its monolith
variant (BASE, one function doing everything) with the split application
(OTHER), or, with --merge, the split application with a merge of its functions.
The example is extracted to your cache folder (the BASE and OTHER lines show
where), with a third variant beside it, template-least-privilege.yaml.`,
		Example: `  samthreat compare
  samthreat compare --merge getActivity,getActivitiesForUser
  samthreat compare main/template.yaml template.yaml
  samthreat compare --format json template.yaml --merge FnA,FnB`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 2 {
				return usageErr("compare takes at most BASE and OTHER (got %d arguments)", len(args))
			}
			if len(args) == 1 && merge == "" {
				return usageErr("compare needs an OTHER template, or --merge to compare BASE with a merge of its functions")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd, args, compareFlags{format, merge, rulesDir, root})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.StringVar(&merge, "merge", "", "what-if: comma-separated function ids to treat as one function (in OTHER, or BASE when OTHER is omitted)")
	f.StringVar(&rulesDir, "rules", "", "folder of extra rule definitions")
	addRootFlag(cmd, &root)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// compareFlags are compare's options.
type compareFlags struct{ format, merge, rulesDir, root string }

// runCompare analyses BASE and OTHER (or the example), applies --merge and
// writes the comparison.
func runCompare(cmd *cobra.Command, args []string, fl compareFlags) error {
	if fl.format != "text" && fl.format != "json" {
		return usageErr("unknown --format %q (text or json)", fl.format)
	}
	if len(args) == 0 {
		split, err := exampleTemplate()
		if err != nil {
			return usageErr("%v", err)
		}
		args = []string{split}
		if fl.merge == "" {
			args = []string{filepath.Join(filepath.Dir(split), "template-monolith.yaml"), split}
		}
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if err := checkRules(fl.rulesDir); err != nil {
		return err
	}
	base, err := analysis.File(ctx, args[0], analysis.Options{RulesDir: fl.rulesDir, Root: fl.root})
	if err != nil {
		return &exitError{code: ExitUsage, msg: err.Error()}
	}
	other := base
	if len(args) == 2 {
		if other, err = analysis.File(ctx, args[1], analysis.Options{RulesDir: fl.rulesDir, Root: fl.root}); err != nil {
			return &exitError{code: ExitUsage, msg: err.Error()}
		}
	}
	var merged []string
	if fl.merge != "" {
		for _, id := range strings.Split(fl.merge, ",") {
			if id = strings.TrimSpace(id); id != "" {
				merged = append(merged, id)
			}
		}
		if other, err = blast.Merge(other, merged); err != nil {
			return usageErr("%v", err)
		}
	}
	c := blast.Compare(base, other)
	c.Merged = merged
	c.BaseKind, c.OtherKind = blast.SideTemplate, blast.SideTemplate
	if len(merged) > 0 {
		c.OtherKind = blast.SideMerge
	}
	c.Notes = []string{blast.MonolithNote}
	if fl.format == "json" {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	return writeComparison(cmd.OutOrStdout(), c)
}

func writeComparison(w io.Writer, c *blast.Comparison) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "BASE:  %s (%s)\nOTHER: %s (%s)", c.Base.Template, c.Label(c.BaseKind), c.Other.Template, c.Label(c.OtherKind))
	if len(c.Merged) > 0 {
		fmt.Fprintf(w, ": %s merged", blast.MergedName(c.Merged))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "figure\tBASE\tOTHER\t")
	row := func(name string, a, b int64) { fmt.Fprintf(tw, "%s\t%d\t%d\t\n", name, a, b) }
	row("functions", int64(c.Base.Functions), int64(c.Other.Functions))
	row("complexity (sum c_f)", c.Base.Complexity, c.Other.Complexity)
	row("code complexity (each module once)", c.Base.CodeComplexity, c.Other.CodeComplexity)
	row("dependencies (union)", int64(c.Base.Dependencies), int64(c.Other.Dependencies))
	row("resources (union)", int64(c.Base.Resources), int64(c.Other.Resources))
	row("attack surface", c.Base.AttackSurface, c.Other.AttackSurface)
	row("monolith impact", c.Base.MonolithImpact, c.Other.MonolithImpact)
	row("split impact", c.Base.SplitImpact, c.Other.SplitImpact)
	row("findings", int64(c.Base.Findings), int64(c.Other.Findings))
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := c.Base.CodeNotRead + c.Other.CodeNotRead; n > 0 {
		fmt.Fprintf(w, "\n? code not read by this build (compiled without cgo) for %d functions: their c_f is unknown and the figures above are lower bounds\n", n)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	if c.Ratio != nil {
		fmt.Fprintf(w, "\nratio (OTHER split impact / BASE split impact): %.3f\n", *c.Ratio)
	} else {
		fmt.Fprintln(w, "\nratio: undefined (BASE split impact is 0)")
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "function\tBASE c x d x r = blast\tOTHER c x d x r = blast\tdelta")
	side := func(f *blast.FunctionFigures) string {
		if f == nil {
			return "-"
		}
		if f.CodeNotRead {
			return fmt.Sprintf("? x %d x %d >= %d", f.Dependencies, f.Resources, f.BlastRadius)
		}
		return fmt.Sprintf("%d x %d x %d = %d", f.Complexity, f.Dependencies, f.Resources, f.BlastRadius)
	}
	for _, d := range c.Functions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%+d\n", d.ID, side(d.Base), side(d.Other), d.Delta)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	findings := func(title string, fs []*model.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(w, "  %-8s %s %s: %s\n", f.Severity, f.RuleID, f.Resource, f.Title)
		}
	}
	findings("findings added in OTHER", c.FindingsAdded)
	findings("findings removed from BASE", c.FindingsRemoved)
	return nil
}
