package report

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/risk"
	"github.com/samthreat/samthreat/internal/rules/catalog"
)

// builder turns a model into the report's blocks. All the judgement (what to
// say, in which order, what to group) lives here, so the formats agree.
type builder struct {
	ctx   context.Context
	m     *model.Model
	o     Options
	doc   *document
	p     paths
	snip  *snippets
	rules map[string]*catalog.Rule
	cats  []*catalog.Category
	catBy map[string]*catalog.Category

	fnFindings map[string][]*model.Finding
	ranked     []*model.Function // in risk order (internal/risk)
	entry      map[string]*model.EntryPoint
	tocFuncs   bool
}

// tocFunctionLimit: above this many functions the table of contents lists
// only the parts; every function still has a PDF bookmark.
const tocFunctionLimit = 40

// detailLimit is how many of the riskiest functions "Functions in detail"
// describes; the functions table lists every one.
const detailLimit = 5

func build(ctx context.Context, m *model.Model, o Options) (*document, error) {
	cat, err := catalog.Rules()
	if err != nil {
		return nil, fmt.Errorf("report: rule catalog: %w", err)
	}
	cats, err := catalog.OWASP()
	if err != nil {
		return nil, fmt.Errorf("report: OWASP catalog: %w", err)
	}
	b := &builder{ctx: ctx, m: m, o: o, doc: &document{}, p: newPaths(m), snip: newSnippets(m),
		rules: map[string]*catalog.Rule{}, cats: cats, catBy: map[string]*catalog.Category{},
		fnFindings: map[string][]*model.Finding{}, tocFuncs: len(m.Functions) <= tocFunctionLimit}
	for _, r := range cat {
		b.rules[r.ID] = r
	}
	for _, c := range cats {
		b.catBy[c.ID] = c
	}
	for _, f := range m.Findings {
		b.fnFindings[f.Resource] = append(b.fnFindings[f.Resource], f)
	}
	b.ranked = rankedFunctions(m)
	b.entry = map[string]*model.EntryPoint{}
	for _, e := range m.EntryPoints {
		b.entry[e.ID] = e
	}
	steps := []struct {
		name, section string
		fn            func()
	}{
		{"cover", "", b.cover},
		{"executive summary", SectionSummary, b.summary},
		{"architecture", SectionArchitecture, b.architecture},
		{"functions", SectionFunctions, b.functions},
		{"findings", SectionFindings, b.findings},
		{"third-party services", SectionThirdParties, b.thirdParties},
		{"method and appendix", "", b.appendix}, // its parts check their sections
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.section != "" && !o.has(s.section) {
			continue
		}
		o.progress(s.name)
		s.fn()
	}
	return b.doc, nil
}

// ---------------------------------------------------------------- helpers

// rankedFunctions lists the functions in risk order: the model's own ranks
// when it has them, else (a model decoded from older JSON) ranks computed
// on copies, leaving the model as it is.
func rankedFunctions(m *model.Model) []*model.Function {
	for _, f := range m.Functions {
		if f.RiskRank == 0 {
			c := *m
			c.Functions = make([]*model.Function, len(m.Functions))
			for i, f := range m.Functions {
				x := *f
				c.Functions[i] = &x
			}
			return risk.Rank(&c)
		}
	}
	return risk.Ordered(m)
}

// active reports findings that still need work: not suppressed in the
// template and not closed by a reviewer.
func active(f *model.Finding) bool { return risk.Open(f) }

func triageText(f *model.Finding) string {
	var parts []string
	if f.Triage != nil && f.Triage.Status != "" {
		s := strings.ReplaceAll(f.Triage.Status, "-", " ")
		if f.Triage.Owner != "" {
			s += " (" + f.Triage.Owner + ")"
		}
		if f.Triage.Justification != "" {
			s += ": " + oneLine(f.Triage.Justification)
		}
		parts = append(parts, s)
	}
	if f.Suppressed {
		s := "suppressed in the template"
		if f.SuppressReason != "" {
			s += ": " + oneLine(f.SuppressReason)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func (b *builder) ruleTitle(f *model.Finding) string {
	if r := b.rules[f.RuleID]; r != nil && r.Title != "" {
		return r.Title
	}
	return f.Title
}

func (b *builder) catTitle(id string) string {
	if c := b.catBy[id]; c != nil {
		return id + " " + c.Title
	}
	if id == "" {
		return "Unmapped"
	}
	return id
}

var codeRe = regexp.MustCompile("`([^`]+)`")

// catalogSpans formats samthreat's own catalog text, where `x` marks code.
// Only for catalog strings: template text never goes through here.
func catalogSpans(s string) []span {
	s = oneLine(s)
	var out []span
	last := 0
	for _, m := range codeRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			out = append(out, txt(s[last:m[0]]))
		}
		out = append(out, code(s[m[2]:m[3]]))
		last = m[1]
	}
	if last < len(s) {
		out = append(out, txt(s[last:]))
	}
	return out
}

// idList formats identifiers as code, with "and N more" as text.
func idList(ids []string, max int) []span {
	var out []span
	for i, id := range ids {
		if i == max {
			out = append(out, txt(fmt.Sprintf(" and %d more", len(ids)-max)))
			break
		}
		if i > 0 {
			out = append(out, txt(", "))
		}
		out = append(out, code(id))
	}
	return out
}

func owaspNum(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "S"))
	if err != nil {
		return 99
	}
	return n
}

func anchor(prefix, id string) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, r := range strings.ToLower(id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('-')
		}
	}
	return sb.String()
}

func (b *builder) entryLabel(e *model.EntryPoint) string {
	if e.Kind == "route" && (e.Method != "" || e.Path != "") {
		return strings.TrimSpace(e.Method + " " + e.Path)
	}
	return e.ID
}

func (b *builder) triggers(f *model.Function) []string {
	var out []string
	for _, e := range f.Events {
		s := e.Type
		if e.Detail != "" {
			s += " " + e.Detail
		}
		out = append(out, s)
	}
	return out
}

func (b *builder) activeCounts() (bySev map[model.Severity]int, byCat map[string]int, total, closed, suppressed int) {
	bySev, byCat = map[model.Severity]int{}, map[string]int{}
	for _, f := range b.m.Findings {
		switch {
		case f.Suppressed:
			suppressed++
		case !active(f):
			closed++
		default:
			total++
			bySev[sevLower(f.Severity)]++
			byCat[f.OWASP]++
		}
	}
	return
}

// ---------------------------------------------------------------- cover

func (b *builder) cover() {
	m, o := b.m, b.o
	c := &b.doc.Cover
	c.Title = o.title(m)
	if d := stripTags(m.Description); d != "" && d != c.Title {
		c.Description = d
	}
	c.Template = filepath.Base(m.Template)
	c.Date = o.date().Format("2 January 2006, 15:04 MST")
	c.Version = dashIfEmpty(o.Version)
	c.Checksum = dashIfEmpty(m.Checksum)
	c.Revision = o.Revision
	_, _, total, _, _ := b.activeCounts()
	c.Counts = [][2]string{
		{"Functions", strconv.Itoa(len(m.Functions))},
		{"Resources", strconv.Itoa(len(m.Resources))},
		{"Entry points", strconv.Itoa(len(m.EntryPoints))},
		{"Third-party services", strconv.Itoa(len(m.ThirdParties))},
		{"Open findings", strconv.Itoa(total)},
	}
}

// ---------------------------------------------------------------- summary

func (b *builder) summary() {
	m, d := b.m, b.doc
	d.h(1, "executive-summary", "Executive summary", true)
	bySev, byCat, total, closed, suppressed := b.activeCounts()

	var sevParts []string
	for _, s := range sevOrder {
		if n := bySev[s]; n > 0 {
			sevParts = append(sevParts, fmt.Sprintf("%d %s", n, s))
		}
	}
	intro := fmt.Sprintf("samthreat modelled %s, %s, %s and %s in %s, and found %s",
		plural(len(m.Functions), "function", "functions"), plural(len(m.Resources), "resource", "resources"),
		plural(len(m.EntryPoints), "entry point", "entry points"),
		plural(len(m.ThirdParties), "third-party service", "third-party services"), b.doc.Cover.Template,
		plural(total, "open finding", "open findings"))
	if len(sevParts) > 0 {
		intro += " (" + strings.Join(sevParts, ", ") + ")"
	}
	intro += "."
	if closed > 0 {
		intro += fmt.Sprintf(" Reviewers have closed %s (mitigated, accepted or false positive).", plural(closed, "finding", "findings"))
	}
	if suppressed > 0 {
		intro += fmt.Sprintf(" The template suppresses %s with a stated reason.", plural(suppressed, "finding", "findings"))
	}
	d.p(txt(intro))

	public, open := 0, 0
	for _, e := range m.EntryPoints {
		if e.Public {
			public++
			if e.Auth == "" || strings.EqualFold(e.Auth, "NONE") {
				open++
			}
		}
	}
	if public > 0 {
		var s string
		switch {
		case public == len(m.EntryPoints) && open == public:
			s = fmt.Sprintf("Every entry point (%d) is reachable from the internet and none asks for authentication: anyone who finds a URL can call the function behind it.", public)
		case open == public:
			s = fmt.Sprintf("%d of the %s are reachable from the internet, and none of those asks for authentication: anyone who finds a URL can call the function behind it.", public, plural(len(m.EntryPoints), "entry point", "entry points"))
		case open > 0:
			s = fmt.Sprintf("%d of the %s are reachable from the internet; %d of those ask for no authentication, so anyone who finds the URL can call the function behind it.", public, plural(len(m.EntryPoints), "entry point", "entry points"), open)
		default:
			s = fmt.Sprintf("%d of the %s are reachable from the internet, and all of them require authentication.", public, plural(len(m.EntryPoints), "entry point", "entry points"))
		}
		d.p(txt(s))
	}

	b.topRisks()
	b.triageChart()

	sev := chart{Title: "Open findings by severity", Unit: "findings"}
	for _, s := range sevOrder {
		sev.Bars = append(sev.Bars, bar{Label: sevTitle(s), Value: int64(bySev[s]), Color: string(s)})
	}
	d.add(group{Blocks: []block{heading{Level: 2, ID: "findings-at-a-glance", Text: "Findings at a glance"}, sev}})
	cat := chart{Title: "Open findings by OWASP Serverless Top Ten category", Unit: "findings"}
	for _, c := range b.cats {
		cat.Bars = append(cat.Bars, bar{Label: c.ID + " " + c.Title, Value: int64(byCat[c.ID])})
	}
	d.add(cat)

	b.impact()
	b.recommendations()
}

// topRiskLimit is how many functions the "Top risks" table lists (and
// "Functions in detail" describes).
const topRiskLimit = 10

// topRisks is the report's first table: the functions in the one risk
// ranking (internal/risk), with the finding that puts each one there.
func (b *builder) topRisks() {
	d := b.doc
	d.h(2, "top-risks", "Top risks", false)
	if len(b.ranked) == 0 {
		d.p(txt("The template declares no function."))
		return
	}
	d.p(txt(riskSentence))
	t := table{Cols: []column{{Title: "#", Weight: 0.4, Right: true}, {Title: "Function", Weight: 2.6, Mono: true},
		{Title: "Worst open finding", Weight: 4}, {Title: "Severity", Weight: 1, Sev: true},
		{Title: "Exposure", Weight: 1.3}, {Title: "Blast radius", Weight: 1.1, Right: true}}}
	for _, f := range b.ranked {
		if len(t.Rows) == topRiskLimit {
			break
		}
		_, worst := risk.Worst(b.fnFindings[f.ID])
		what, sev := "no open finding", "–"
		if worst != nil {
			what, sev = worst.RuleID+" "+b.ruleTitle(worst), sevTitle(worst.Severity)
		}
		bl := "–"
		if f.Blast != nil {
			bl = strconv.FormatInt(f.BlastRadius, 10)
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(f.RiskRank), f.ID, what, sev, dashIfEmpty(f.Exposure), bl})
	}
	d.add(t)
	if n := len(b.ranked) - len(t.Rows); n > 0 {
		d.note(txt(fmt.Sprintf("The other %s follow in the same order in the functions table of the architecture part.", plural(n, "function", "functions"))))
	}
}

// riskSentence explains the ranking in one sentence (README says the same).
const riskSentence = "Functions are ranked by the severity of their worst open finding (critical 4, high 3, medium 2, low 1, none 0) plus their exposure (public 3, authenticated 2, private 1, internal 0), ties going to the larger blast radius."

// triageChart shows how many findings reviewers have dealt with.
func (b *builder) triageChart() {
	var open, mitigated, accepted, fp, suppressed int64
	for _, f := range b.m.Findings {
		switch {
		case f.Suppressed:
			suppressed++
		case f.Triage != nil && f.Triage.Status == "mitigated":
			mitigated++
		case f.Triage != nil && f.Triage.Status == "accepted":
			accepted++
		case f.Triage != nil && f.Triage.Status == "false-positive":
			fp++
		default:
			open++
		}
	}
	b.doc.add(chart{Title: "Findings: open and triaged", Unit: "findings", Bars: []bar{
		{Label: "Open", Value: open, Color: "high"}, {Label: "Mitigated", Value: mitigated},
		{Label: "Accepted", Value: accepted}, {Label: "False positive", Value: fp},
		{Label: "Suppressed in the template", Value: suppressed, Color: "closed"}}})
}

func (b *builder) impact() {
	s, d := b.m.Summary, b.doc
	d.h(2, "monolith-versus-split", "Monolith versus split", false)
	if s.MonolithImpact == 0 && s.SplitImpact == 0 {
		d.p(txt("The potential impact could not be computed: no function reaches a resource through its permissions, or blast radius was not computed."))
		return
	}
	fig := blast.FigureSet(b.m)
	res := max(1, fig.Resources)
	d.p(txt(fmt.Sprintf("Packed into one function (computed: every function merged, each code module counted once), the code (complexity %d) would share every dependency (%d) and reach every resource (%d): "+
		"a potential impact of %d × %d × %d = %d. Split as the template declares it, each function carries only its own code, "+
		"dependencies and permissions: Σ(c_f × d_f × r_f) = %d.", fig.CodeComplexity, fig.Dependencies, res, fig.CodeComplexity, fig.Dependencies, res, s.MonolithImpact, s.SplitImpact)))
	switch {
	case len(b.m.Functions) == 1:
		d.p(txt("With a single function the application is a monolith: its potential impact is the monolith's. Splitting it into single-purpose functions, each holding only the permissions its own code needs, is what lowers it."))
	case s.MonolithImpact > 0:
		pct := float64(s.SplitImpact) * 100 / float64(s.MonolithImpact)
		msg := fmt.Sprintf("The split design exposes %.1f %% of the monolith's potential impact.", pct)
		if s.SplitImpact > 0 && s.SplitImpact < s.MonolithImpact {
			msg += fmt.Sprintf(" That is %.1f times less, and it only holds while each function keeps the narrowest permissions: broad policies shrink the gap.", float64(s.MonolithImpact)/float64(s.SplitImpact))
		} else if s.SplitImpact >= s.MonolithImpact {
			msg += " Splitting buys nothing here: the functions share their code, dependencies or permissions so widely that each one is as exposed as the whole."
		}
		d.p(txt(msg))
	}
	d.add(chart{Title: "Potential impact", Unit: "", Bars: []bar{{Label: "As a monolith", Value: s.MonolithImpact, Color: "high"}, {Label: "Split (as deployed)", Value: s.SplitImpact}}})
}

// recommendations picks the three rules whose open findings matter most:
// highest severity first, then the most findings.
func (b *builder) recommendations() {
	d := b.doc
	type group struct {
		rule  string
		sev   int
		list  []*model.Finding
		first *model.Finding
	}
	groups := map[string]*group{}
	for _, f := range b.m.Findings {
		if !active(f) {
			continue
		}
		g := groups[f.RuleID]
		if g == nil {
			g = &group{rule: f.RuleID, first: f}
			groups[f.RuleID] = g
		}
		g.list = append(g.list, f)
		if r := sevLower(f.Severity).Rank(); r > g.sev {
			g.sev = r
		}
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	// Highest severity first; then the OWASP Serverless Top Ten's own
	// order, which ranks categories by how often and how badly they hurt;
	// then the rule with the most findings.
	sort.Slice(list, func(i, j int) bool {
		if list[i].sev != list[j].sev {
			return list[i].sev > list[j].sev
		}
		if a, c := owaspNum(list[i].first.OWASP), owaspNum(list[j].first.OWASP); a != c {
			return a < c
		}
		if len(list[i].list) != len(list[j].list) {
			return len(list[i].list) > len(list[j].list)
		}
		return list[i].rule < list[j].rule
	})
	d.h(2, "recommendations", "Three recommendations", false)
	if len(list) == 0 {
		d.p(txt("No open finding calls for action. Keep the review current as the template changes."))
		return
	}
	if len(list) > 3 {
		list = list[:3]
	}
	var items [][]span
	for _, g := range list {
		f := g.first
		rem := f.Remediation
		if r := b.rules[g.rule]; r != nil && r.Remediation != "" {
			rem = r.Remediation
		}
		var res []string
		seen := map[string]bool{}
		for _, x := range g.list {
			if !seen[x.Resource] {
				seen[x.Resource] = true
				res = append(res, x.Resource)
			}
		}
		item := []span{strong(b.ruleTitle(f)),
			txt(fmt.Sprintf(" (%s, %s, %s). ", sevTitle(f.Severity), plural(len(g.list), "finding", "findings"), b.catTitle(f.OWASP)))}
		item = append(item, catalogSpans(firstSentences(rem, 320))...)
		item = append(item, txt(" Affects "))
		item = append(item, idList(res, 6)...)
		item = append(item, txt("."))
		items = append(items, item)
	}
	d.add(bullets{Items: items, Ordered: true})
}

// ---------------------------------------------------------------- architecture

func (b *builder) architecture() {
	m, d := b.m, b.doc
	d.h(1, "architecture", "Architecture", true)
	d.p(txt("The data-flow diagram below is drawn from the template: who can call the application, the functions, the resources their permissions reach and the services outside AWS they talk to. Boxes group elements by trust boundary; a flow that crosses a boundary is where an attacker's input or the application's data changes hands."))
	d.add(facts{Rows: [][2]string{
		{"Internet", "Anyone: clients of public APIs and function URLs."},
		{"AWS account", "The application's functions and the resources they reach; IAM decides who talks to whom."},
		{"VPC", "Functions and data stores attached to a VPC: network controls apply on top of IAM."},
		{"Third party", "Services outside AWS, and AWS accounts that are not this application's."},
	}})

	d.h(2, "entry-points", "Entry points", true)
	if len(m.EntryPoints) == 0 {
		d.p(txt("No entry point: nothing outside AWS triggers a function directly."))
	} else {
		t := table{Cols: []column{{Title: "Entry point", Weight: 3, Mono: true}, {Title: "API", Weight: 2, Mono: true},
			{Title: "Auth", Weight: 1.4}, {Title: "Public", Weight: 0.9}, {Title: "Function", Weight: 2.4, Mono: true},
			{Title: "Body validated", Weight: 1.2}}}
		for _, e := range m.EntryPoints {
			api := e.API
			if e.APIType != "" {
				api = strings.TrimSpace(api + " (" + e.APIType + ")")
			}
			pub := "no"
			if e.Public {
				pub = "yes"
			}
			val := "–"
			if e.HasBody {
				val = "no"
				if e.Validated {
					val = "yes"
				}
			}
			t.Rows = append(t.Rows, []string{b.entryLabel(e), dashIfEmpty(api), dashIfEmpty(e.Auth), pub, e.Function, val})
		}
		d.add(t)
	}

	d.add(diagramBlock{})

	b.functionInventory()
	b.resourceInventory()
	b.thirdPartyInventory()
	d.note(txt("Every data flow is listed in the appendix."))
}

// functionInventory lists the functions in risk order.
func (b *builder) functionInventory() {
	m, d := b.m, b.doc
	d.h(2, "function-inventory", "Functions", true)
	if len(m.Functions) == 0 {
		d.p(txt("The template declares no Lambda function."))
	} else {
		d.p(txt("In risk order. " + riskSentence))
		t := table{Cols: []column{{Title: "#", Weight: 0.4, Right: true}, {Title: "Function", Weight: 2.6, Mono: true},
			{Title: "Exposure", Weight: 1.2}, {Title: "Runtime", Weight: 1.2},
			{Title: "Triggers", Weight: 2.2}, {Title: "Code", Weight: 2.2, Mono: true},
			{Title: "c_f", Weight: 0.6, Right: true}, {Title: "d_f", Weight: 0.6, Right: true}, {Title: "r_f", Weight: 0.6, Right: true},
			{Title: "Blast radius", Weight: 0.9, Right: true}}}
		for _, f := range b.ranked {
			c, dd, r, bl := "–", "–", "–", "–"
			if f.Blast != nil {
				c = strconv.Itoa(f.Complexity)
				if f.ComplexityEstimated {
					c += "*"
				}
				dd, r, bl = strconv.Itoa(f.Dependencies), strconv.Itoa(f.ResourceCount), strconv.FormatInt(f.BlastRadius, 10)
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(f.RiskRank), f.ID, dashIfEmpty(f.Exposure), dashIfEmpty(f.Runtime),
				dashIfEmpty(strings.Join(b.triggers(f), "; ")), dashIfEmpty(b.codeWhere(f)), c, dd, r, bl})
		}
		d.add(t)
	}
}

// resourceInventory lists the resources and the functions reaching them.
func (b *builder) resourceInventory() {
	m, d := b.m, b.doc
	d.h(2, "resource-inventory", "Resources", true)
	reached := map[string][]string{}
	for _, e := range m.Edges {
		if e.Kind == model.EdgeAccess {
			reached[e.To] = appendOnce(reached[e.To], e.From)
		}
	}
	if len(m.Resources) == 0 {
		d.p(txt("No resource besides the functions."))
	} else {
		t := table{Cols: []column{{Title: "Resource", Weight: 2.6, Mono: true}, {Title: "Type", Weight: 2.4, Mono: true},
			{Title: "Boundary", Weight: 1.2}, {Title: "Reached by", Weight: 3.4, Mono: true}}}
		for _, r := range m.Resources {
			typ := r.Type
			if r.External {
				typ = "outside the template (" + r.Service + ")"
			}
			t.Rows = append(t.Rows, []string{r.ID, dashIfEmpty(typ), dashIfEmpty(r.Boundary), dashIfEmpty(listSome(reached[r.ID], 12))})
		}
		d.add(t)
	}
}

// thirdPartyInventory lists the services outside AWS.
func (b *builder) thirdPartyInventory() {
	m, d := b.m, b.doc
	d.h(2, "third-party-inventory", "Third-party services", true)
	if len(m.ThirdParties) == 0 {
		d.p(txt("The template names no service outside AWS."))
	} else {
		t := table{Cols: []column{{Title: "Service", Weight: 3, Mono: true}, {Title: "Kind", Weight: 1.6},
			{Title: "Endpoint", Weight: 2.6, Mono: true}, {Title: "Configured in", Weight: 1.8, Mono: true}, {Title: "Functions", Weight: 2.4, Mono: true}}}
		for _, tp := range m.ThirdParties {
			ep := tp.URL
			if ep == "" {
				ep = tp.Host
			}
			t.Rows = append(t.Rows, []string{tp.ID, tp.KindLabel(), dashIfEmpty(ep), dashIfEmpty(tp.Via), dashIfEmpty(strings.Join(tp.Functions, ", "))})
		}
		d.add(t)
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (b *builder) codeWhere(f *model.Function) string {
	switch {
	case f.InlineCode:
		return "inline code"
	case f.PackageType == "Image":
		return dashIfEmpty(f.ImageURI)
	}
	where := strings.TrimSuffix(f.CodeURI, "/")
	if f.Handler != "" {
		if where != "" {
			where += "/"
		}
		where += f.Handler
	}
	return where
}
