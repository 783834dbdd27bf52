package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/output"
	"github.com/samthreat/samthreat/internal/rules"
)

func init() { register(newAnalyzeCmd) }

// analyzeFlags are analyze's options.
type analyzeFlags struct {
	format, out, failOn, rulesDir, root string
	raise                               []string
	failOnHardening                     bool
}

func newAnalyzeCmd() *cobra.Command {
	var fl analyzeFlags
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
		RunE: func(cmd *cobra.Command, args []string) error { return runAnalyze(cmd, args, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: "+strings.Join(formatNames(), ", "))
	f.StringVarP(&fl.out, "out", "o", "", "write the output to FILE instead of standard output")
	f.StringVar(&fl.failOn, "fail-on", "", "exit 1 when a threat is at or above this severity ("+strings.Join(failOnLevels(), ", ")+")")
	f.BoolVar(&fl.failOnHardening, "fail-on-hardening", false, "with --fail-on, count hardening gaps too, at the severity their control would have as a threat")
	f.StringSliceVar(&fl.raise, "raise", nil, "report the hardening control RULEID as a threat (repeatable, or comma-separated)")
	f.StringVar(&fl.rulesDir, "rules", "", "folder of extra rule definitions (see README)")
	addRootFlag(cmd, &fl.root)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("fail-on", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return failOnLevels(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// runAnalyze is analyze's work: check the options, analyse every template,
// write the output, and exit by --fail-on.
func runAnalyze(cmd *cobra.Command, args []string, fl analyzeFlags) error {
	format, ok := output.Lookup(fl.format)
	if !ok || format.Kind != output.KindModel {
		return usageErr("unknown --format %q (one of %s)", fl.format, strings.Join(formatNames(), ", "))
	}
	threshold := -1
	if fl.failOn != "" {
		s := model.Severity(strings.ToLower(fl.failOn))
		if !s.Valid() {
			return usageErr("unknown --fail-on %q (low, medium, high or critical)", fl.failOn)
		}
		threshold = s.Rank()
	}
	if err := checkRaise(fl.raise, fl.rulesDir); err != nil {
		return err
	}
	if fl.failOnHardening && threshold < 0 {
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
	if err := checkRules(fl.rulesDir); err != nil {
		return err
	}
	models, failed, err := analyseAll(ctx, cmd.ErrOrStderr(), paths, batch, analysis.Options{RulesDir: fl.rulesDir, Raise: fl.raise, Root: fl.root})
	if err != nil {
		return err
	}
	base, _ := os.Getwd() // SARIF paths are relative to the working directory (the repository root in CI)
	var buf bytes.Buffer
	if err := format.Render(ctx, &buf, models, output.Options{Batch: batch, ToolVersion: Version, BaseDir: base}); err != nil {
		return err
	}
	if fl.out != "" {
		if err := os.WriteFile(fl.out, buf.Bytes(), 0o644); err != nil {
			return usageErr("writing %s: %v", fl.out, err)
		}
	} else if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	if len(failed) > 0 {
		return &exitError{code: ExitUsage, msg: fmt.Sprintf("%d of %d templates could not be read", len(failed), len(paths))}
	}
	return failOnExit(models, threshold, fl)
}

// analyseAll analyses each template; in a batch a template that cannot be
// read is reported on stderr and skipped, else it is the error.
func analyseAll(ctx context.Context, stderr io.Writer, paths []string, batch bool, opts analysis.Options) (models []*model.Model, failed []string, err error) {
	progress := newProgress(stderr, len(paths))
	for i, p := range paths {
		progress(i, p)
		m, err := analysis.File(ctx, p, opts)
		if err != nil {
			if !batch {
				return nil, nil, &exitError{code: ExitUsage, msg: err.Error()}
			}
			fmt.Fprintf(stderr, "samthreat: %s\n", err)
			failed = append(failed, p)
			continue
		}
		models = append(models, m)
	}
	progress(len(paths), "")
	return models, failed, nil
}

// failOnExit is exit 1 when threats (and, with --fail-on-hardening, gaps)
// are at or above the --fail-on threshold (-1: none).
func failOnExit(models []*model.Model, threshold int, fl analyzeFlags) error {
	if threshold < 0 {
		return nil
	}
	n := countAtOrAbove(models, threshold)
	g := 0
	if fl.failOnHardening {
		g = countGapsAtOrAbove(models, threshold)
	}
	switch {
	case n > 0 && g > 0:
		return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d threats and %d hardening gaps at or above %s", n, g, strings.ToLower(fl.failOn))}
	case n > 0:
		return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d threats at or above %s", n, strings.ToLower(fl.failOn))}
	case g > 0:
		return &exitError{code: ExitFindings, msg: fmt.Sprintf("%d hardening gaps at or above %s", g, strings.ToLower(fl.failOn))}
	}
	return nil
}

// formatNames are analyze's --format values: the model formats of the
// registry (internal/output).
func formatNames() []string { return output.Names(output.KindModel) }

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
			if c.Severity.Rank() >= threshold {
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
			if !f.Suppressed && f.Severity.Rank() >= threshold {
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

// failOnLevels are the severities --fail-on takes, least severe first (info
// never fails a build).
func failOnLevels() []string {
	var out []string
	for i := len(model.Severities) - 1; i >= 0; i-- {
		if s := model.Severities[i]; s != model.SeverityInfo {
			out = append(out, string(s))
		}
	}
	return out
}
