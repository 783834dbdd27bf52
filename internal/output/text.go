package output

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/report/sarif"
	"github.com/samthreat/samthreat/internal/risk"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/uniq"
)

// writeJSON writes the model (the JSON contract), or a list of models for a batch.
func writeJSON(_ context.Context, w io.Writer, ms []*model.Model, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if o.Batch {
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

// writeSARIF writes one SARIF 2.1.0 log for all models.
func writeSARIF(_ context.Context, w io.Writer, ms []*model.Model, o Options) error {
	return sarif.Write(w, ms, sarif.Options{ToolVersion: o.ToolVersion, BaseDir: o.BaseDir})
}

// writeText writes each model's summary tables, separated by a blank line.
func writeText(_ context.Context, w io.Writer, ms []*model.Model, _ Options) error {
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
		writeTopRisks(w, ranked)
		writeFunctionTable(w, ranked)
		writeEstimateLegend(w, m)
	}
	writeImpact(w, m)
	writeThirdParties(w, m)
	writeThreats(w, m)
	writeHardening(w, m)
	writeNotes(w, m)
}

// writeTopRisks lists the five riskiest functions.
func writeTopRisks(w io.Writer, ranked []*model.Function) {
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
		fmt.Fprintf(tw, "    %d\t%s\t%s\t%s\tblast radius %s\n", f.RiskRank, f.ID, dash(string(f.WorstSeverity)), dash(f.Exposure), b)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// writeFunctionTable is one row per function, in risk order.
func writeFunctionTable(w io.Writer, ranked []*model.Function) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  RISK\tFUNCTION\tEXPOSURE\tRUNTIME\tTRIGGERS\tc_f\td_f\tr_f\tBLAST RADIUS\tGRANTED")
	for _, f := range ranked {
		triggers := make([]string, 0, len(f.Events))
		for _, e := range f.Events {
			triggers = append(triggers, e.Type)
		}
		c, d, r, b := blastCells(f)
		rank := "-"
		if f.RiskRank > 0 {
			rank = fmt.Sprint(f.RiskRank)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d actions\n", rank, f.ID, dash(f.Exposure), dash(f.Runtime),
			dash(strings.Join(uniq.Keep(triggers), ",")), c, d, r, b, len(f.Granted))
	}
	tw.Flush()
}

// blastCells are a function's c_f, d_f, r_f and blast radius as the table
// shows them: "*" marks an estimate, "?" and ">=" code this build cannot read.
func blastCells(f *model.Function) (c, d, r, b string) {
	if f.Blast == nil {
		return "-", "-", "-", "-"
	}
	c = fmt.Sprint(f.Complexity)
	if f.ComplexityEstimated {
		c += "*"
	}
	d, r, b = fmt.Sprint(f.Dependencies), fmt.Sprint(f.ResourceCount), fmt.Sprint(f.BlastRadius)
	if f.CodeNotRead {
		c, b = "?", ">="+b
	}
	return c, d, r, b
}

// writeEstimateLegend explains the table's "*" and "?" marks when they occur.
func writeEstimateLegend(w io.Writer, m *model.Model) {
	if n := m.Summary.ComplexityEstimated - m.Summary.CodeNotRead; n > 0 {
		fmt.Fprintf(w, "  * c_f estimated (%d of %d functions): code not found or not parsed, counted as the highest c_f measured in the application so that it never ranks as the safest (1, a lower bound, when none was measured); the application figures include the estimates\n",
			n, len(m.Functions))
	}
	if m.Summary.CodeNotRead > 0 {
		fmt.Fprintf(w, "  ? code not read by this build (compiled without cgo): c_f unknown, blast radius at least the figure shown, no least-privilege advice (%d of %d functions)\n",
			m.Summary.CodeNotRead, len(m.Functions))
	}
}

func writeImpact(w io.Writer, m *model.Model) {
	s := m.Summary
	if s.SplitImpact <= 0 && s.MonolithImpact <= 0 {
		return
	}
	bound := ""
	if s.CodeNotRead > 0 {
		bound = "; lower bounds: code not read by this build"
	}
	fmt.Fprintf(w, "\n  Potential impact: split %d, as a monolith %d (attack surface %d%s)\n", s.SplitImpact, s.MonolithImpact, s.AttackSurface, bound)
}

func writeThirdParties(w io.Writer, m *model.Model) {
	if len(m.ThirdParties) == 0 {
		return
	}
	fmt.Fprintln(w, "\n  Third parties:")
	for _, t := range m.ThirdParties {
		name := t.Host
		if name == "" {
			name = t.ID
		}
		fmt.Fprintf(w, "    %s (%s, via %s) used by %s\n", name, t.KindLabel(), t.Via, strings.Join(t.Functions, ", "))
	}
}

func writeThreats(w io.Writer, m *model.Model) {
	if len(m.Findings) == 0 {
		return
	}
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
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\n", strings.ToUpper(string(f.Severity)), f.OWASP, f.RuleID, f.Resource, loc, f.Message)
	}
	tw.Flush()
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
		missing = uniq.Keep(missing)
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

func writeNotes(w io.Writer, m *model.Model) {
	for _, d := range m.Diagnostics {
		if d.Source.Line > 0 {
			fmt.Fprintf(w, "  note: %s:%d: %s\n", filepath.Base(d.Source.File), d.Source.Line, d.Message)
		} else {
			fmt.Fprintf(w, "  note: %s: %s\n", filepath.Base(d.Source.File), d.Message)
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
