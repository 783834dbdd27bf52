package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules/catalog"
)

// ---------------------------------------------------------------- findings

// mainSeverity: rules at or above medium get a block in the findings part;
// low and info findings are listed in an appendix table.
func mainSeverity(sev model.Severity) bool {
	return sevLower(sev).Rank() >= model.SeverityMedium.Rank()
}

// excerptSeverity: template or code excerpts are shown for critical and
// high findings only.
func excerptSeverity(sev model.Severity) bool {
	return sevLower(sev).Rank() >= model.SeverityHigh.Rank()
}

// excerptsPerRule bounds the excerpts of one rule: the same pattern at
// other lines is named, not repeated.
const excerptsPerRule = 2

// ruleGroup is the findings of one rule.
type ruleGroup struct {
	id   string
	list []*model.Finding // sorted
}

func (b *builder) groupByRule(list []*model.Finding) []ruleGroup {
	by := map[string][]*model.Finding{}
	var order []string
	for _, f := range sortFindings(list) {
		if _, ok := by[f.RuleID]; !ok {
			order = append(order, f.RuleID)
		}
		by[f.RuleID] = append(by[f.RuleID], f)
	}
	out := make([]ruleGroup, 0, len(order))
	for _, id := range order {
		out = append(out, ruleGroup{id, by[id]})
	}
	return out
}

// findings writes one block per rule (medium and above), with the
// functions and resources it affects, grouped by OWASP category. A report
// grows with the findings, not with functions x rules.
func (b *builder) findings() {
	d := b.doc
	d.h(1, "findings", "Findings by OWASP Serverless Top Ten category", true)
	byCat := map[string][]*model.Finding{}
	for _, f := range b.m.Findings {
		if mainSeverity(f.Severity) {
			byCat[f.OWASP] = append(byCat[f.OWASP], f)
		}
	}
	var empty []string
	for _, c := range b.cats {
		if len(byCat[c.ID]) == 0 {
			empty = append(empty, c.ID+" "+c.Title)
		}
	}
	intro := "One block per rule, grouped by OWASP Serverless Top Ten category: why it matters, how to fix it, and every function or resource it affects with the line it was read from and the reviewer's decision. Critical and high findings show the lines themselves. Low and informational findings are listed in the appendix. Finding IDs stay the same across runs, so triage carries over."
	if len(empty) > 0 {
		intro += " No finding at medium or above in " + strings.Join(empty, "; ") + " (what samthreat looks for in each is in the appendix's mapping table; code-level weaknesses of these kinds are outside what a template shows)."
	}
	d.p(txt(intro))
	ids := make([]string, 0, len(b.cats)+1)
	for _, c := range b.cats {
		ids = append(ids, c.ID)
	}
	var other []string
	for id := range byCat {
		if b.catBy[id] == nil {
			other = append(other, id)
		}
	}
	sort.Strings(other)
	ids = append(ids, other...)
	for _, id := range ids {
		if b.ctx.Err() != nil {
			return
		}
		if len(byCat[id]) == 0 {
			continue
		}
		d.h(2, anchor("owasp-", dashIfEmpty(id)), b.catTitle(id), true)
		if c := b.catBy[id]; c != nil {
			d.p(catalogSpans(c.Meaning)...)
		}
		for _, g := range b.groupByRule(byCat[id]) {
			b.ruleBlock(g)
		}
	}
}

func (b *builder) ruleBlock(g ruleGroup) {
	d := b.doc
	first := g.list[0]
	r := b.rules[g.id]
	d.h(3, anchor("rule-", g.id), g.id+" "+b.ruleTitle(first), false)
	b.ruleText(g, r)
	if ex, lang := b.fixExample(g); ex != "" {
		d.add(codeBlock{Lang: lang, Text: ex, Caption: "Example of the fix"})
	}
	d.add(b.ruleTable(g))
	if excerptSeverity(first.Severity) {
		b.ruleExcerpts(g)
	}
}

// ruleText is a rule's severity, counts, STRIDE and CWE line, why it
// matters and its remediation (the catalog's, else the finding's).
func (b *builder) ruleText(g ruleGroup, r *catalog.Rule) {
	d := b.doc
	first := g.list[0]
	res := map[string]bool{}
	for _, f := range g.list {
		res[f.Resource] = true
	}
	meta := []span{strong(sevTitle(first.Severity)), txt(" · " + plural(len(g.list), "finding", "findings") + " on " + plural(len(res), "function or resource", "functions or resources"))}
	stride := first.STRIDE
	if r != nil && len(r.STRIDE) > 0 {
		stride = r.STRIDE
	}
	if len(stride) > 0 {
		meta = append(meta, txt(" · STRIDE: "+strings.Join(stride, ", ")))
	}
	if r != nil && len(r.CWE) > 0 {
		meta = append(meta, txt(" · "+strings.Join(r.CWE, ", ")))
	}
	d.p(meta...)
	rem := first.Remediation
	if r != nil {
		if r.Why != "" {
			d.p(append([]span{strong("Why it matters. ")}, catalogSpans(r.Why)...)...)
		}
		if r.Remediation != "" {
			rem = r.Remediation
		}
	}
	if rem != "" {
		fix := []span{strong("Remediation. ")}
		if r != nil {
			fix = append(fix, catalogSpans(rem)...)
		} else { // a user rule's text is shown as written, not interpreted
			fix = append(fix, txt(oneLine(rem)))
		}
		d.p(fix...)
	}
}

// ruleTable has one row per finding of the rule (a triage column when any
// is triaged).
func (b *builder) ruleTable(g ruleGroup) table {
	withTriage := false
	for _, f := range g.list {
		withTriage = withTriage || triageText(f) != ""
	}
	t := table{Cols: []column{{Title: "Finding ID", Weight: 3, Mono: true}, {Title: "Evidence", Weight: 2, Mono: true},
		{Title: "Finding", Weight: 4.8}}}
	if withTriage {
		t.Cols = append(t.Cols, column{Title: "Triage", Weight: 1.8})
	}
	for _, f := range g.list {
		row := []string{f.Fingerprint, dashIfEmpty(b.evidence(f)), b.snip.scrub(oneLine(f.Message))}
		if withTriage {
			row = append(row, dashIfEmpty(triageText(f)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// ruleExcerpts shows up to excerptsPerRule evidence excerpts, code first.
func (b *builder) ruleExcerpts(g ruleGroup) {
	d := b.doc
	shown := map[string]bool{}
	n := 0
	for _, f := range g.list {
		if !active(f) {
			continue
		}
		// Code first: where a finding comes from code, the code line is
		// the evidence a reviewer needs.
		for _, e := range codeFirst(b, f.Evidence) {
			if n >= excerptsPerRule {
				break
			}
			if cb, ok := b.snippetBlock(e, shown); ok {
				d.add(cb)
				n++
			}
		}
	}
	if n > 0 && len(g.list) > n {
		d.note(txt("Excerpts are shown for the first locations; the others follow the same pattern at the lines listed."))
	}
}

// codeFirst orders evidence with code files before the template.
func codeFirst(b *builder, ev []model.Location) []model.Location {
	out := make([]model.Location, 0, len(ev))
	for _, e := range ev {
		if !b.p.isTemplate(e.File) {
			out = append(out, e)
		}
	}
	for _, e := range ev {
		if b.p.isTemplate(e.File) {
			out = append(out, e)
		}
	}
	return out
}

// fixExample is the rule's fix in the language of the functions it
// affects (their code's language), else its SAM/template snippet.
func (b *builder) fixExample(g ruleGroup) (text, lang string) {
	r := b.rules[g.id]
	if r == nil {
		return "", ""
	}
	fns := map[string]*model.Function{}
	for _, f := range b.m.Functions {
		fns[f.ID] = f
	}
	count := map[string]int{}
	for _, f := range g.list {
		if fn := fns[f.Resource]; fn != nil && fn.Blast != nil && fn.Language != "" {
			count[fn.Language]++
		}
	}
	best := ""
	for l, n := range count {
		if _, ok := r.Examples[l]; ok && (best == "" || n > count[best] || n == count[best] && l < best) {
			best = l
		}
	}
	if best != "" {
		return strings.TrimRight(r.Examples[best], "\n"), best
	}
	if s := strings.TrimSpace(r.Snippet); s != "" {
		return strings.TrimRight(r.Snippet, "\n"), snippetLang(r.Snippet)
	}
	return "", ""
}

// snippetLang guesses the highlighting of a catalog snippet: YAML unless
// it says otherwise on its first line.
func snippetLang(s string) string {
	first := strings.ToLower(strings.TrimSpace(strings.SplitN(strings.TrimSpace(s), "\n", 2)[0]))
	for _, l := range []string{"python", "javascript", "typescript", "java", "go", "ruby", "csharp"} {
		if strings.Contains(first, l) {
			return l
		}
	}
	return "yaml"
}

func (b *builder) evidence(f *model.Finding) string {
	var locs []string
	for _, e := range codeFirst(b, f.Evidence) {
		if l := b.p.loc(e.File, e.Line); l != "" {
			locs = append(locs, l)
		}
	}
	return strings.Join(locs, ", ")
}

// ---------------------------------------------------------------- appendix

// flowLimit bounds the data-flow table; the JSON output lists every flow.
const flowLimit = 400

func (b *builder) appendix() {
	if !b.o.has(SectionMethod) {
		b.appendixParts(false)
		return
	}
	m, d := b.m, b.doc
	d.h(1, "appendix", "Appendix", true)

	d.h(2, "blast-radius-definitions", "How blast radius is measured", true)
	d.p(txt("A serverless application splits its code into functions that each carry their own code, dependencies and permissions. samthreat measures what an attacker who takes over one function gets, and compares it with the same code run as one unit."))
	d.add(bullets{Items: [][]span{
		{code("c_f"), txt(" complexity of function f: the cyclomatic complexity of its handler and of the local modules it imports, from static analysis of the code next to the template (estimated when the code is missing).")},
		{code("d_f"), txt(" dependencies of f: the packages its manifest declares (package.json, requirements.txt, go.mod and others); a function without a manifest counts its runtime as one.")},
		{code("r_f"), txt(" resources f can reach: the distinct resources its effective IAM permissions allow it to act on, after policy templates and managed policies are expanded; at least 1, its own execution environment.")},
		{strong("Blast radius of f"), txt(" = c_f × d_f × r_f. The score maps it to 0–100 on a logarithmic scale for display.")},
		{strong("The monolith"), txt(" is every function merged into one, computed: its code is the union of theirs (each module once), with the union of their dependencies and of the resources they reach. Attack surface a = its complexity × its dependencies; potential impact as a monolith = a × its resources. A template written as a monolith is measured as written and can differ.")},
		{strong("Potential impact as split"), txt(" = Σ(c_f × d_f × r_f): each function exposed only to its own.")},
		{strong("Risk ranking"), txt(": " + riskSentence)},
	}})

	d.h(2, "assumptions", "Assumptions", true)
	d.add(bullets{Items: [][]span{
		{txt("The template is what is deployed: parameters take their default values, and resources under a condition are treated as present (the report marks them).")},
		{txt("Permissions are read from the template: SAM policy templates, managed policies, inline statements and roles declared in it. Roles, permission boundaries and service control policies defined elsewhere are not seen.")},
		{txt("Code is analysed statically: SDK calls built from dynamic names, code loaded at run time and native modules are not followed.")},
		{txt("Findings describe the configuration. A finding is a reason to look, not proof of an exploit; an absent finding is not proof of safety.")},
		{txt("Secret values found in the template are masked in this report.")},
	}})

	var items [][]span
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		switch {
		case len(f.CodeFiles) == 0 && !f.InlineCode:
			items = append(items, []span{code(f.ID), txt(": code not found" + noteSuffix(f.CodeNote) + "; c_f and d_f are estimates and no least-privilege policy was derived.")})
		case !f.CodeParsed && f.CodeNote != "":
			items = append(items, []span{code(f.ID), txt(": " + oneLine(f.CodeNote))})
		}
	}
	for _, dg := range m.Diagnostics {
		it := []span{}
		if l := b.p.loc(dg.Source.File, dg.Source.Line); l != "" {
			it = append(it, code(l), txt(": "))
		}
		it = append(it, txt(b.snip.scrub(oneLine(dg.Message))))
		items = append(items, it)
	}
	d.h(2, "not-analysed", "What was not analysed", true)
	if len(items) == 0 {
		d.p(txt("No limitation was recorded: every function's code was found and parsed, and the model reported no construct it could not read."))
	} else {
		d.p(txt("Limits of this analysis for this template, from the model's diagnostics:"))
		d.add(bullets{Items: items})
	}

	b.appendixParts(true)

	d.h(2, "owasp-mapping", "OWASP Serverless Top Ten mapping", true)
	_, byCat, _, _, _ := b.activeCounts()
	t := table{Cols: []column{{Title: "Category", Weight: 2.2}, {Title: "STRIDE", Weight: 1.8},
		{Title: "What samthreat looks for in a template", Weight: 5.4}, {Title: "Open", Weight: 0.8, Right: true}}}
	for _, c := range b.cats {
		t.Rows = append(t.Rows, []string{c.ID + " " + c.Title, strings.Join(c.STRIDE, ", "), oneLine(strings.ReplaceAll(c.InTemplate, "`", "")), strconv.Itoa(byCat[c.ID])})
	}
	d.add(t)
}

// appendixParts writes the appendix tables of the sections the report
// includes; without the method section the Appendix heading comes with the
// first table, if any.
func (b *builder) appendixParts(method bool) {
	if !method && !(b.o.has(SectionFindings) && b.hasMinorFindings()) && !(b.o.has(SectionHardening) && len(b.m.Hardening) > 0) {
		return
	}
	if !method {
		b.doc.h(1, "appendix", "Appendix", true)
	}
	if b.o.has(SectionFindings) {
		b.minorFindings()
	}
	if b.o.has(SectionHardening) {
		b.hardening()
	}
	if method {
		b.dataFlows()
		b.firedRules()
	}
}

func (b *builder) hasMinorFindings() bool {
	for _, f := range b.m.Findings {
		if !mainSeverity(f.Severity) {
			return true
		}
	}
	return false
}

// minorFindings lists low and informational findings, one row each.
func (b *builder) minorFindings() {
	var list []*model.Finding
	for _, f := range b.m.Findings {
		if !mainSeverity(f.Severity) {
			list = append(list, f)
		}
	}
	if len(list) == 0 {
		return
	}
	d := b.doc
	d.h(2, "minor-findings", "Low and informational findings", true)
	t := table{Cols: []column{{Title: "Severity", Weight: 0.9, Sev: true}, {Title: "Finding ID", Weight: 3, Mono: true},
		{Title: "Evidence", Weight: 1.8, Mono: true}, {Title: "Finding", Weight: 4.4}}}
	for _, f := range sortFindings(list) {
		msg := b.snip.scrub(oneLine(f.Message))
		if tr := triageText(f); tr != "" {
			msg += " [" + tr + "]"
		}
		t.Rows = append(t.Rows, []string{sevTitle(f.Severity), f.Fingerprint, dashIfEmpty(b.evidence(f)), msg})
	}
	d.add(t)
}

// hardening is the checklist of baseline controls (model.Hardening), when
// the rules stage filled it.
func (b *builder) hardening() {
	hs := b.m.Hardening
	if len(hs) == 0 {
		return
	}
	d := b.doc
	d.h(2, "hardening", "Hardening checklist", true)
	d.p(txt("Baseline controls, once per application rather than as findings: which resources lack each one and how many have it."))
	t := table{Cols: []column{{Title: "Control", Weight: 3.2}, {Title: "Rule", Weight: 1.3, Mono: true}, {Title: "Severity", Weight: 0.9, Sev: true},
		{Title: "Missing on", Weight: 4}, {Title: "Has it", Weight: 0.8, Right: true}}}
	for _, h := range hs {
		var miss []string
		for _, g := range h.Missing {
			if !g.Suppressed {
				miss = append(miss, g.Resource)
			}
		}
		state := dashIfEmpty(listSome(miss, 4))
		if len(miss) == 0 {
			state = "none: covered"
		}
		t.Rows = append(t.Rows, []string{h.Title, h.RuleID, sevTitle(h.Severity), state, strconv.Itoa(len(h.Covered))})
	}
	d.add(t)
}

func (b *builder) dataFlows() {
	m, d := b.m, b.doc
	if len(m.Edges) == 0 {
		return
	}
	d.h(2, "data-flows", "Data flows", true)
	t := table{Cols: []column{{Title: "From", Weight: 3, Mono: true}, {Title: "To", Weight: 3, Mono: true},
		{Title: "Kind", Weight: 1.2}, {Title: "What", Weight: 3}}}
	clients := map[string]bool{}
	for _, c := range m.Clients {
		clients[c.ID] = true
	}
	for i, e := range m.Edges {
		if i == flowLimit {
			break
		}
		what := e.Label
		if clients[e.From] && what != "" {
			what = "auth: " + what
		}
		if len(e.Access) > 0 {
			what = strings.TrimSpace(what + " " + strings.Join(e.Access, ", "))
		}
		if e.Condition != "" {
			what = strings.TrimSpace(what + " (if " + e.Condition + ")")
		}
		t.Rows = append(t.Rows, []string{e.From, e.To, e.Kind, dashIfEmpty(what)})
	}
	d.add(t)
	if len(m.Edges) > flowLimit {
		d.note(txt(fmt.Sprintf("The first %d of %d flows; %s --format json lists every one.", flowLimit, len(m.Edges), "samthreat analyze "+filepath.Base(m.Template))))
	}
}

// firedRules is the catalog of the rules that produced a finding.
func (b *builder) firedRules() {
	m, d := b.m, b.doc
	count := map[string]int{}
	first := map[string]*model.Finding{}
	for _, f := range m.Findings {
		count[f.RuleID]++
		if first[f.RuleID] == nil {
			first[f.RuleID] = f
		}
	}
	if len(count) == 0 {
		return
	}
	ids := make([]string, 0, len(count))
	for id := range count {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	d.h(2, "rule-catalog", "Rules that fired", true)
	d.p(txt(fmt.Sprintf("The %s of this report's findings, out of the %d samthreat ran (samthreat rules lists them all, with the equivalent checkov, cfn_nag and cfn-lint checks).", plural(len(ids), "rule", "rules"), len(b.rules))))
	rt := table{Cols: []column{{Title: "Rule", Weight: 1.5, Mono: true}, {Title: "Title", Weight: 5}, {Title: "OWASP", Weight: 0.9},
		{Title: "Severity", Weight: 1.1, Sev: true}, {Title: "Findings", Weight: 1, Right: true}}}
	for _, id := range ids {
		if r := b.rules[id]; r != nil {
			rt.Rows = append(rt.Rows, []string{r.ID, r.Title, r.OWASP, sevTitle(r.Severity), strconv.Itoa(count[id])})
			continue
		}
		f := first[id]
		rt.Rows = append(rt.Rows, []string{id, f.Title + " (user rule)", f.OWASP, sevTitle(f.Severity), strconv.Itoa(count[id])})
	}
	d.add(rt)
}
