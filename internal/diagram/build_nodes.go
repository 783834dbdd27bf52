package diagram

// The nodes of the diagram: one function per kind of element (client,
// entry point, function, resource, third party, collapsed group).

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samthreat/samthreat/internal/model"
)

func (b *builder) node(n *vnode) *gnode {
	a := attrs{"id": plain(NodeID(n.id))}
	switch {
	case n.isGroup():
		b.groupNode(n, a)
	case n.role == roleClient:
		a["class"] = plain("client")
		a["shape"] = plain(clientShape)
		a["style"] = plain("filled")
		a["fillcolor"] = plain("#ffffff")
		a["label"] = html("<B>" + htmlText(n.client.Label) + "</B>")
		a["tooltip"] = plain(tooltip(n.client.Label, "outside every trust boundary: calls the application's public entry points"))
	case n.role == roleEntry:
		b.entryNode(n, a)
	case n.role == roleFunction:
		b.functionNode(n, a)
	case n.role == roleResource:
		b.resourceNode(n, a)
	case n.role == roleThirdParty:
		b.thirdPartyNode(n, a)
	default:
		a["class"] = plain("missing")
		a["shape"] = plain("box")
		a["style"] = plain("filled,dashed")
		a["fillcolor"] = plain("#ffffff")
		a["label"] = html(htmlText(truncate(n.id, 48)))
		a["tooltip"] = plain(tooltip(n.id, "referenced by a data flow but not described in the template"))
	}
	if b.v.focus == n.id {
		a["penwidth"] = plain("3")
		a["class"] = plain(a["class"].s + " focus")
	}
	return &gnode{name: NodeID(n.id), attrs: a}
}

// twoLines is the common node label: a bold first line with an optional
// badge, and a smaller second line.
func twoLines(title, sub string, counts findingCounts, textColour string) string {
	font := ""
	if textColour != "" && textColour != "#000000" {
		font = ` COLOR="` + textColour + `"`
	}
	var s strings.Builder
	s.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0">`)
	s.WriteString(`<TR><TD ALIGN="LEFT"><FONT` + font + `><B>` + htmlText(title) + `</B></FONT></TD>`)
	// Graphviz sizes bold text with regular widths; browsers and PDF
	// viewers draw it about a point per character wider, which would run the
	// title into its badge or the node's border. A spacer cell makes room.
	fmt.Fprintf(&s, `<TD WIDTH="%d"> </TD>`, 2+utf8.RuneCountInString(title))
	cell := badgeCell(counts)
	if cell != "" {
		s.WriteString(cell + `<TD WIDTH="4"> </TD>`) // the badge is bold too
	}
	s.WriteString(`</TR>`)
	if sub != "" {
		span := ` COLSPAN="2"`
		if cell != "" {
			span = ` COLSPAN="4"`
		}
		s.WriteString(`<TR><TD ALIGN="LEFT"` + span + `><FONT POINT-SIZE="9"` + font + `>` + htmlText(sub) + `</FONT></TD></TR>`)
	}
	s.WriteString(`</TABLE>`)
	return s.String()
}

func (b *builder) functionNode(n *vnode, a attrs) {
	f := n.fn
	fill, text := noBlastFill, "#000000"
	blast := "blast n/a"
	if f.Blast != nil {
		band := bandFor(f.BlastScore)
		fill, text = band.fill, band.text
		// The label gives the raw c_f x d_f x r_f (what the report and the
		// tables show); the fill gives the 0-100 score of the legend.
		blast = "blast radius " + strconv.FormatInt(f.BlastRadius, 10)
	}
	sub := []string{}
	if f.Runtime != "" {
		sub = append(sub, f.Runtime)
	} else if f.PackageType == "Image" {
		sub = append(sub, "image")
	}
	sub = append(sub, blast)
	a["class"] = plain("function")
	a["shape"] = plain(functionShape)
	a["style"] = plain("rounded,filled")
	a["fillcolor"] = plain(fill)
	a["color"] = plain("#3f007d")
	// The riskiest functions (internal/risk's one ranking) stand out.
	if f.RiskRank > 0 && f.RiskRank <= riskEmphasis {
		sub = append([]string{"risk #" + strconv.Itoa(f.RiskRank)}, sub...)
		a["color"] = plain(riskColor)
		a["penwidth"] = plain("3")
		a["class"] = plain("function risk-top")
	}
	a["label"] = html(twoLines(truncate(f.ID, 48), strings.Join(sub, " · "), n.findings, text))
	tip := []string{f.ID + " (" + f.Type + ")", where(f.File, f.Line)}
	if f.Runtime != "" || f.Handler != "" {
		tip = append(tip, strings.TrimSpace("runtime "+f.Runtime+" handler "+f.Handler))
	}
	if f.Blast != nil {
		tip = append(tip, fmt.Sprintf("blast radius %d (score %d/100): complexity %d, dependencies %d, resources %d",
			f.BlastRadius, f.BlastScore, f.Complexity, f.Dependencies, f.ResourceCount))
	} else {
		tip = append(tip, "blast radius not computed")
	}
	if f.RiskRank > 0 {
		tip = append(tip, fmt.Sprintf("risk rank %d: exposure %s, worst open finding %s", f.RiskRank, f.Exposure, orNone(string(f.WorstSeverity))))
	}
	if len(f.Granted) > 0 {
		tip = append(tip, fmt.Sprintf("%d IAM actions granted", len(f.Granted)))
	}
	if f.VPC != nil {
		tip = append(tip, "in "+vpcKey(f.VPC))
	}
	tip = append(tip, n.findings.summary())
	a["tooltip"] = plain(tooltip(tip...))
}

func (b *builder) entryNode(n *vnode, a attrs) {
	e := n.entry
	title, sub := entryTitle(e), authText(e)
	if e.Kind == "schedule" || e.API == "" && e.Kind != "function-url" {
		if ev, ok := b.v.events[e.ID]; ok && ev.Detail != "" {
			sub = ev.Detail
		} else {
			sub = ""
		}
	}
	a["class"] = plain("entry entry-" + encodeID(e.Kind))
	shape, fill := routeShape, "#ffffff"
	if e.Kind == "schedule" {
		shape, fill = scheduleShape, "#f7f7f7"
	}
	a["shape"] = plain(shape)
	a["style"] = plain("rounded,filled")
	a["fillcolor"] = plain(fill)
	if e.Public && strings.EqualFold(e.Auth, "NONE") && (e.API != "" || e.Kind == "function-url") {
		a["color"] = plain(colPublic)
	} else {
		a["color"] = plain("#6b8fb5")
	}
	a["label"] = html(twoLines(truncate(title, 56), truncate(sub, 56), n.findings, ""))
	tip := []string{entryTitle(e)}
	if e.API != "" {
		tip = append(tip, "on "+e.API+" ("+e.APIType+")")
	}
	if e.Kind != "schedule" {
		tip = append(tip, "authorization: "+authText(e))
	}
	if ev, ok := b.v.events[e.ID]; ok && ev.Detail != "" && ev.Detail != title {
		tip = append(tip, ev.Detail)
	}
	tip = append(tip, "invokes "+e.Function, where(e.Source.File, e.Source.Line), n.findings.summary())
	a["tooltip"] = plain(tooltip(tip...))
}

func entryTitle(e *model.EntryPoint) string {
	switch e.Kind {
	case "route":
		if e.Method == "" || strings.EqualFold(e.Method, "ANY") && strings.HasPrefix(e.Path, "$") {
			return e.Path
		}
		return strings.ToUpper(e.Method) + " " + e.Path
	case "function-url":
		return "Function URL"
	case "schedule":
		return "Schedule"
	}
	return strings.ReplaceAll(e.Kind, "-", " ")
}

func authText(e *model.EntryPoint) string {
	switch {
	case e.Auth == "" || strings.EqualFold(e.Auth, "NONE"):
		if e.Public {
			return "public, no auth"
		}
		return "no auth"
	case strings.EqualFold(e.Auth, "AWS_IAM"):
		return "IAM auth"
	}
	kind, name, ok := strings.Cut(e.Auth, ":")
	if ok {
		return strings.ToLower(kind) + " " + name
	}
	return e.Auth
}

func (b *builder) resourceNode(n *vnode, a attrs) {
	r := n.res
	st := styleFor(r.Kind)
	b.kinds[r.Kind] = true
	a["class"] = plain("resource resource-" + encodeID(r.Kind))
	a["shape"] = plain(st.shape)
	a["style"] = plain("filled")
	a["fillcolor"] = plain(st.fill)
	title, sub := r.ID, shortType(r.Type)
	tip := []string{r.ID + " (" + r.Type + ")"}
	if r.External {
		title = "external: " + strings.TrimPrefix(r.ID, "external:")
		sub = "wildcard or outside the template"
		a["style"] = plain("filled,dashed")
		tip = []string{r.ID, "wildcard or ARN outside the template (" + r.Service + ")"}
	} else {
		tip = append(tip, where(r.File, r.Line))
	}
	if r.Condition != "" {
		tip = append(tip, "only when condition "+r.Condition+" holds")
	}
	tip = append(tip, b.principalTip(r.ID)...)
	a["label"] = html(twoLines(truncate(title, 48), sub, n.findings, ""))
	tip = append(tip, n.findings.summary())
	a["tooltip"] = plain(tooltip(tip...))
}

// principalTip says, for a resource that holds IAM permissions (a pipe, a
// schedule, a rule target, a role no function uses), who assumes its role
// and how many actions it is granted.
func (b *builder) principalTip(id string) []string {
	for _, p := range b.v.m.Principals {
		if p.ID != id || p.Kind == model.PrincipalStateMachine {
			continue
		}
		tip := []string{}
		if p.Role != "" && p.Role != id {
			tip = append(tip, "role "+p.Role)
		}
		if len(p.AssumedBy) > 0 {
			tip = append(tip, "assumed by "+strings.Join(p.AssumedBy, ", "))
		}
		return append(tip, fmt.Sprintf("%d IAM actions granted", len(p.Granted)))
	}
	return nil
}

func shortType(t string) string {
	t = strings.TrimPrefix(t, "AWS::")
	return strings.TrimPrefix(t, "Serverless::")
}

func (b *builder) thirdPartyNode(n *vnode, a attrs) {
	t := n.tp
	title := t.Host
	if title == "" {
		title = t.ID
	}
	a["class"] = plain("third-party")
	a["shape"] = plain(thirdPartyShape)
	a["style"] = plain("rounded,filled,dashed")
	a["fillcolor"] = plain("#ffffff")
	a["color"] = plain("#a8557f")
	a["label"] = html(twoLines(truncate(title, 48), t.KindLabel(), n.findings, ""))
	tip := []string{t.ID, t.KindLabel()}
	if t.URL != "" {
		tip = append(tip, "url "+t.URL)
	}
	if t.Via != "" && t.Via != t.URL {
		tip = append(tip, "via "+t.Via)
	}
	if len(t.Functions) > 0 {
		tip = append(tip, "used by "+strings.Join(t.Functions, ", "))
	}
	tip = append(tip, where(t.Source.File, t.Source.Line), n.findings.summary())
	a["tooltip"] = plain(tooltip(tip...))
}

func (b *builder) groupNode(n *vnode, a attrs) {
	ids := make([]string, 0, len(n.members))
	for _, m := range n.members {
		ids = append(ids, m.id)
	}
	list := strings.Join(ids[:min(len(ids), 25)], ", ")
	if len(ids) > 25 {
		list += fmt.Sprintf(" and %d more", len(ids)-25)
	}
	// A group has a thick outline (a double periphery would need the
	// renderer to tell which ring to fill, which go-graphviz's callbacks
	// do not say reliably).
	a["style"] = plain("filled,bold")
	a["penwidth"] = plain("2.5")
	switch n.role {
	case roleFunction:
		b.functionGroupNode(n, a, list)
	case roleEntry:
		entryGroupNode(n, a, list)
	case roleResource:
		b.resourceGroupNode(n, a, list)
	case roleThirdParty:
		a["class"] = plain("group group-third-party")
		a["shape"] = plain(thirdPartyShape)
		a["style"] = plain("rounded,filled,dashed,bold")
		a["fillcolor"] = plain("#ffffff")
		a["label"] = html(twoLines(fmt.Sprintf("%d third parties", len(n.members)), n.members[0].tp.KindLabel(), n.findings, ""))
		a["tooltip"] = plain(tooltip(fmt.Sprintf("%d third parties (%s)", len(n.members), n.members[0].tp.Kind), list, n.findings.summary()))
	}
}

// functionGroupNode draws a group of functions, filled by its highest blast
// score.
func (b *builder) functionGroupNode(n *vnode, a attrs, list string) {
	maxScore, scored := 0, false
	var maxRadius int64
	for _, m := range n.members {
		if m.fn != nil && m.fn.Blast != nil {
			scored = true
			maxScore = max(maxScore, m.fn.BlastScore)
			maxRadius = max(maxRadius, m.fn.BlastRadius)
		}
	}
	fill, text, blast := noBlastFill, "#000000", "blast n/a"
	if scored {
		band := bandFor(maxScore)
		fill, text, blast = band.fill, band.text, "max blast radius "+strconv.FormatInt(maxRadius, 10)
	}
	a["class"] = plain("group group-function")
	a["shape"] = plain(functionShape)
	a["style"] = plain("filled,bold")
	a["fillcolor"] = plain(fill)
	a["color"] = plain("#3f007d")
	a["label"] = html(twoLines(truncate(n.groupKey, 48), fmt.Sprintf("%d functions · %s", len(n.members), blast), n.findings, text))
	a["tooltip"] = plain(tooltip(fmt.Sprintf("%d functions grouped by %s: %s", len(n.members), modeWord(b.v.collapse), n.groupKey), list, n.findings.summary()))
}

// entryGroupNode draws a group of entry points, saying how many are public
// without authorization.
func entryGroupNode(n *vnode, a attrs, list string) {
	rep := n.members[0]
	public := 0
	for _, m := range n.members {
		if m.entry.Public && strings.EqualFold(m.entry.Auth, "NONE") {
			public++
		}
	}
	title := fmt.Sprintf("%d %ss", len(n.members), entryTitle(rep.entry))
	if rep.entry.Kind == "route" {
		title = fmt.Sprintf("%d routes", len(n.members))
	}
	sub := "all with auth"
	a["color"] = plain("#6b8fb5")
	if public > 0 {
		sub = fmt.Sprintf("%d public, no auth", public)
		a["color"] = plain(colPublic)
	}
	if rep.entry.Kind == "schedule" {
		sub = ""
	}
	a["class"] = plain("group group-entry")
	a["shape"] = plain(routeShape)
	a["style"] = plain("rounded,filled,bold")
	a["fillcolor"] = plain("#ffffff")
	a["label"] = html(twoLines(title, sub, n.findings, ""))
	a["tooltip"] = plain(tooltip(title+" of "+n.groupKey, list, n.findings.summary()))
}

// resourceGroupNode draws a group of resources of one kind.
func (b *builder) resourceGroupNode(n *vnode, a attrs, list string) {
	rep := n.members[0]
	st := styleFor(rep.res.Kind)
	b.kinds[rep.res.Kind] = true
	a["class"] = plain("group group-resource")
	a["shape"] = plain(st.shape)
	a["style"] = plain("filled,bold")
	a["fillcolor"] = plain(st.fill)
	a["label"] = html(twoLines(fmt.Sprintf("%d %s", len(n.members), plural(st.word)), "resources of one kind", n.findings, ""))
	a["tooltip"] = plain(tooltip(fmt.Sprintf("%d resources of kind %s", len(n.members), rep.res.Kind), list, n.findings.summary()))
}

func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "s"):
		return w + "es"
	case strings.HasSuffix(w, "y") && !strings.HasSuffix(w, "ey"):
		return strings.TrimSuffix(w, "y") + "ies"
	}
	return w + "s"
}

func modeWord(mode string) string {
	switch mode {
	case CollapseAPI:
		return "API"
	case CollapseTrigger:
		return "trigger"
	case CollapseCodeURI:
		return "CodeUri folder"
	}
	return mode
}

func where(file string, line int) string {
	if file == "" {
		return ""
	}
	if line > 0 {
		return filepath.Base(file) + ":" + strconv.Itoa(line)
	}
	return filepath.Base(file)
}

func templateName(m *model.Model) string {
	if m.Template == "" {
		return "template"
	}
	return filepath.Base(m.Template)
}
