package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/risk"
	"github.com/samthreat/samthreat/internal/rules"
)

func init() { register(newAnalyzeCmd) }

// outputFormats maps --format values to writers; files of this package add
// theirs (sarif) in init. batch is true when the user named a directory or
// several templates, so JSON prints an array.
var outputFormats = map[string]func(w io.Writer, ms []*model.Model, batch bool) error{
	"text": writeText,
	"json": writeJSON,
}

var severityRank = map[string]int{"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

func newAnalyzeCmd() *cobra.Command {
	var format, out, failOn, rulesDir, root string
	var raise []string
	var failOnHardening bool
	cmd := &cobra.Command{
		Use:   "analyze [PATH...]",
		Short: "Model templates and report blast radius and risks",
		Long: `Analyse SAM/CloudFormation templates. PATH is a template file or a directory searched
recursively for templates. With no PATH the bundled Fresh Tracks example is analysed.

Findings are threats: risks a reviewer would raise for this application. Baseline
hygiene (tracing, log retention, code signing, concurrency caps, alarms, customer
keys...) is a hardening checklist shown once per application; --raise RULEID (or
Metadata: {samthreat: {raise: [RULEID]}} in the template) reports a control as a threat.

Exit codes: 0 analysed; 1 threats at or above --fail-on (hardening gaps too with
--fail-on-hardening); 2 bad usage or unreadable template.`,
		Example: `  samthreat analyze template.yaml
  samthreat analyze --format json --out model.json ./infra
  samthreat analyze --format sarif --fail-on high template.yaml
  samthreat analyze --raise SLS-FN-005 --fail-on low template.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := outputFormats[format]
			if !ok {
				return usageErr("unknown --format %q (one of %s)", format, strings.Join(formatNames(), ", "))
			}
			threshold := -1
			if failOn != "" {
				r, ok := severityRank[strings.ToLower(failOn)]
				if !ok {
					return usageErr("unknown --fail-on %q (low, medium, high or critical)", failOn)
				}
				threshold = r
			}
			if err := checkRaise(raise, rulesDir); err != nil {
				return err
			}
			if failOnHardening && threshold < 0 {
				return usageErr("--fail-on-hardening needs --fail-on SEVERITY")
			}
			paths, batch, err := resolveInputs(args)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if err := checkRules(rulesDir); err != nil {
				return err
			}
			progress := newProgress(cmd.ErrOrStderr(), len(paths))
			var models []*model.Model
			var failed []string
			for i, p := range paths {
				progress(i, p)
				m, err := analysis.File(ctx, p, analysis.Options{RulesDir: rulesDir, Raise: raise, Root: root})
				if err != nil {
					if !batch {
						return &exitError{code: ExitUsage, msg: err.Error()}
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "samthreat: %s\n", err)
					failed = append(failed, p)
					continue
				}
				models = append(models, m)
			}
			progress(len(paths), "")
			var buf bytes.Buffer
			if err := write(&buf, models, batch); err != nil {
				return err
			}
			if out != "" {
				if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
					return usageErr("writing %s: %v", out, err)
				}
			} else if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
				return err
			}
			if len(failed) > 0 {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("%d of %d templates could not be read", len(failed), len(paths))}
			}
			if threshold >= 0 {
				n := countAtOrAbove(models, threshold)
				g := 0
				if failOnHardening {
					g = countGapsAtOrAbove(models, threshold)
				}
				switch {
				case n > 0 && g > 0:
					return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d threats and %d hardening gaps at or above %s", n, g, strings.ToLower(failOn))}
				case n > 0:
					return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d threats at or above %s", n, strings.ToLower(failOn))}
				case g > 0:
					return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d hardening gaps at or above %s", g, strings.ToLower(failOn))}
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: "+strings.Join(formatNames(), ", "))
	f.StringVarP(&out, "out", "o", "", "write the output to FILE instead of standard output")
	f.StringVar(&failOn, "fail-on", "", "exit 1 when a threat is at or above this severity (low, medium, high, critical)")
	f.BoolVar(&failOnHardening, "fail-on-hardening", false, "with --fail-on, count hardening gaps too, at the severity their control would have as a threat")
	f.StringSliceVar(&raise, "raise", nil, "report the hardening control RULEID as a threat (repeatable, or comma-separated)")
	f.StringVar(&rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &root)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("fail-on", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"low", "medium", "high", "critical"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func formatNames() []string {
	names := make([]string, 0, len(outputFormats))
	for n := range outputFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// checkRaise accepts only hardening controls of the catalog (or of --rules).
func checkRaise(ids []string, rulesDir string) error {
	if len(ids) == 0 {
		return nil
	}
	cat, err := rules.Catalog()
	if err != nil {
		return err
	}
	user, err := rules.LoadUserRules(rulesDir)
	if err != nil {
		return usageErr("%v", err)
	}
	kind := map[string]string{}
	for _, r := range append(cat, user...) {
		kind[strings.ToUpper(r.ID)] = r.Kind
	}
	for _, id := range ids {
		switch kind[strings.ToUpper(strings.TrimSpace(id))] {
		case rules.KindHardening:
		case "":
			return usageErr("--raise %s: no such rule (samthreat rules lists them)", id)
		default:
			return usageErr("--raise %s: already a threat (only hardening controls are raised)", id)
		}
	}
	return nil
}

func countGapsAtOrAbove(ms []*model.Model, threshold int) int {
	n := 0
	for _, m := range ms {
		for _, c := range m.Hardening {
			if severityRank[c.Severity] >= threshold {
				n += rules.OpenGaps(c)
			}
		}
	}
	return n
}

func countAtOrAbove(ms []*model.Model, threshold int) int {
	n := 0
	for _, m := range ms {
		for _, f := range m.Findings {
			if !f.Suppressed && severityRank[f.Severity] >= threshold {
				n++
			}
		}
	}
	return n
}

// resolveInputs expands PATH arguments into template files. With no argument
// it is the bundled example. batch reports whether the output is a list.
func resolveInputs(args []string) (paths []string, batch bool, err error) {
	if len(args) == 0 {
		p, err := exampleTemplate()
		if err != nil {
			return nil, false, err
		}
		return []string{p}, false, nil
	}
	batch = len(args) > 1
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, false, usageErr("%s: %v", a, unwrapPathErr(err))
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		batch = true
		found, err := analysis.FindTemplates(a)
		if err != nil {
			return nil, false, usageErr("%s: %v", a, err)
		}
		if len(found) == 0 {
			return nil, false, usageErr("%s: no SAM or CloudFormation templates found", a)
		}
		paths = append(paths, found...)
	}
	return paths, batch, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// thirdPartyKinds are the model's third-party kinds in words.
var thirdPartyKinds = map[string]string{
	"partner-event-bus":     "partner event bus",
	"foreign-account":       "another AWS account",
	"foreign-account-layer": "layer from another account",
	"kafka":                 "Kafka cluster",
}

// newProgress reports long batch work on stderr when it is a terminal.
func newProgress(w io.Writer, total int) func(done int, item string) {
	f, ok := w.(*os.File)
	if total < 2 || !ok {
		return func(int, string) {}
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func(int, string) {}
	}
	return func(done int, item string) {
		if done >= total {
			fmt.Fprintf(w, "\r\033[K")
			return
		}
		fmt.Fprintf(w, "\r\033[K[%d/%d] %s", done+1, total, item)
	}
}

func writeJSON(w io.Writer, ms []*model.Model, batch bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if batch {
		if ms == nil {
			ms = []*model.Model{}
		}
		return enc.Encode(ms)
	}
	if len(ms) == 0 {
		return nil
	}
	return enc.Encode(ms[0])
}

func writeText(w io.Writer, ms []*model.Model, _ bool) error {
	for i, m := range ms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeTextModel(w, m)
	}
	return nil
}

func writeTextModel(w io.Writer, m *model.Model) {
	fmt.Fprintf(w, "%s\n", m.Template)
	if m.Description != "" {
		fmt.Fprintf(w, "  %s\n", strings.Join(strings.Fields(m.Description), " "))
	}
	fmt.Fprintf(w, "  %d functions, %d resources, %d entry points, %d third parties, %d data flows\n",
		len(m.Functions), len(m.Resources), len(m.EntryPoints), len(m.ThirdParties), len(m.Edges))
	if len(m.Functions) > 0 {
		ranked := risk.Ordered(m)
		fmt.Fprintln(w, "\n  Riskiest functions (worst open finding + exposure, then blast radius):")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for i, f := range ranked {
			if i == 5 {
				break
			}
			b := "-"
			if f.Blast != nil {
				b = fmt.Sprint(f.BlastRadius)
			}
			fmt.Fprintf(tw, "    %d\t%s\t%s\t%s\tblast radius %s\n", f.RiskRank, f.ID, dash(f.WorstSeverity), dash(f.Exposure), b)
		}
		tw.Flush()
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  RISK\tFUNCTION\tEXPOSURE\tRUNTIME\tTRIGGERS\tc_f\td_f\tr_f\tBLAST RADIUS\tGRANTED")
		for _, f := range ranked {
			triggers := make([]string, 0, len(f.Events))
			for _, e := range f.Events {
				triggers = append(triggers, e.Type)
			}
			c, d, r, b := "-", "-", "-", "-"
			if f.Blast != nil {
				c = fmt.Sprint(f.Complexity)
				if f.ComplexityEstimated {
					c += "*"
				}
				d, r, b = fmt.Sprint(f.Dependencies), fmt.Sprint(f.ResourceCount), fmt.Sprint(f.BlastRadius)
				if f.CodeNotRead {
					c, b = "?", ">="+b
				}
			}
			rank := "-"
			if f.RiskRank > 0 {
				rank = fmt.Sprint(f.RiskRank)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d actions\n", rank, f.ID, dash(f.Exposure), dash(f.Runtime),
				dash(strings.Join(dedupe(triggers), ",")), c, d, r, b, len(f.Granted))
		}
		tw.Flush()
		if n := m.Summary.ComplexityEstimated - m.Summary.CodeNotRead; n > 0 {
			fmt.Fprintf(w, "  * c_f estimated (%d of %d functions): code not found or not parsed, counted as the highest c_f measured in the application so that it never ranks as the safest (1, a lower bound, when none was measured); the application figures include the estimates\n",
				n, len(m.Functions))
		}
		if m.Summary.CodeNotRead > 0 {
			fmt.Fprintf(w, "  ? code not read by this build (compiled without cgo): c_f unknown, blast radius at least the figure shown, no least-privilege advice (%d of %d functions)\n",
				m.Summary.CodeNotRead, len(m.Functions))
		}
	}
	if s := m.Summary; s.SplitImpact > 0 || s.MonolithImpact > 0 {
		bound := ""
		if s.CodeNotRead > 0 {
			bound = "; lower bounds: code not read by this build"
		}
		fmt.Fprintf(w, "\n  Potential impact: split %d, as a monolith %d (attack surface %d%s)\n", s.SplitImpact, s.MonolithImpact, s.AttackSurface, bound)
	}
	if len(m.ThirdParties) > 0 {
		fmt.Fprintln(w, "\n  Third parties:")
		for _, t := range m.ThirdParties {
			name := t.Host
			if name == "" {
				name = t.ID
			}
			kind := thirdPartyKinds[t.Kind]
			if kind == "" {
				kind = t.Kind
			}
			if t.Kind == "http" {
				kind = strings.ToUpper(t.Scheme) + " API"
			}
			fmt.Fprintf(w, "    %s (%s, via %s) used by %s\n", name, kind, t.Via, strings.Join(t.Functions, ", "))
		}
	}
	if len(m.Findings) > 0 {
		fmt.Fprintln(w, "\n  Threats:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, f := range m.Findings {
			if f.Suppressed {
				continue
			}
			loc := ""
			if len(f.Evidence) > 0 {
				loc = fmt.Sprintf("%s:%d", filepath.Base(f.Evidence[0].File), f.Evidence[0].Line)
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\n", strings.ToUpper(f.Severity), f.OWASP, f.RuleID, f.Resource, loc, f.Message)
		}
		tw.Flush()
	}
	writeHardening(w, m)
	for _, d := range m.Diagnostics {
		if d.Source.Line > 0 {
			fmt.Fprintf(w, "  note: %s:%d: %s\n", filepath.Base(d.Source.File), d.Source.Line, d.Message)
		} else {
			fmt.Fprintf(w, "  note: %s: %s\n", filepath.Base(d.Source.File), d.Message)
		}
	}
}

// writeHardening prints the hardening checklist once: one row per control,
// with how many of the resources it applies to have it and which lack it.
func writeHardening(w io.Writer, m *model.Model) {
	if len(m.Hardening) == 0 {
		return
	}
	fmt.Fprintf(w, "\n  Hardening checklist (%d gaps; baseline controls, not threats: --raise RULEID reports one as a threat):\n", m.Summary.HardeningGaps)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range m.Hardening {
		open := rules.OpenGaps(c)
		total := len(c.Covered) + len(c.Missing)
		var missing []string
		for _, g := range c.Missing {
			if !g.Suppressed {
				missing = append(missing, g.Resource)
			}
		}
		missing = dedupe(missing)
		have := fmt.Sprintf("%d/%d", total-len(c.Missing), total)
		mark := "ok"
		if open > 0 {
			mark = "--"
		}
		lack := ""
		if len(missing) > 0 {
			const show = 4
			lack = "missing: " + strings.Join(missing[:min(show, len(missing))], ", ")
			if len(missing) > show {
				lack += fmt.Sprintf(" and %d more", len(missing)-show)
			}
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", mark, c.RuleID, have, c.Title, lack)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
