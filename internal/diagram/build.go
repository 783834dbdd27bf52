package diagram

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
)

// Top-level trust boundaries, drawn left to right in this order.
const (
	bInternet   = "internet"
	bVPCClients = "vpc-clients" // callers of PRIVATE APIs, through an interface VPC endpoint
	bAPI        = "api"
	bAccount    = "account"
	bThirdParty = "third-party"
)

var boundaryLabels = map[string]string{
	bInternet:   "Internet / clients",
	bVPCClients: "VPC (private API callers)",
	bAPI:        "API layer",
	bAccount:    "AWS account",
	bThirdParty: "Third parties",
}

var boundaryColours = map[string][2]string{ // fill, border
	bInternet:   {"#f7f7f7", "#969696"},
	bVPCClients: {vpcFill, vpcBorder},
	bAPI:        {"#eef4fa", "#6b8fb5"},
	bAccount:    {"#fffaf0", "#d08c00"},
	bThirdParty: {"#fbf0f6", "#a8557f"},
}

const (
	apiClusterFill = "#ffffff"
	vpcFill        = "#edf8e9"
	vpcBorder      = "#41ab5d"
)

var roleOrder = map[string]int{roleClient: 0, roleEntry: 1, roleFunction: 2, roleResource: 3, roleThirdParty: 4, roleMissing: 5}

// builder turns a view into the sorted graph description.
type builder struct {
	v        *view
	g        *ggraph
	apiNodes map[string]bool // API resources drawn as clusters, not nodes
	kinds    map[string]bool // resource kinds drawn, for the legend
}

func build(v *view) *ggraph {
	b := &builder{v: v, apiNodes: map[string]bool{}, kinds: map[string]bool{}}
	b.g = &ggraph{
		attrs: attrs{
			"id":          plain("samthreat-diagram"),
			"rankdir":     plain("LR"),
			"splines":     plain("spline"),
			"nodesep":     plain("0.25"),
			"ranksep":     plain("0.7"),
			"fontname":    plain(fontName),
			"fontsize":    plain("11"),
			"bgcolor":     plain("#ffffff"),
			"labelloc":    plain("b"),
			"labeljust":   plain("l"),
			"outputorder": plain("edgesfirst"),
			"pad":         plain("0.3"),
			"tooltip":     plain(tooltip("data-flow diagram of " + templateName(v.m))),
		},
		nodeAttrs: attrs{
			"fontname": plain(fontName),
			"fontsize": plain("11"),
			"margin":   plain("0.08,0.04"),
			"penwidth": plain("1"),
		},
		edgeAttrs: attrs{
			"fontname":  plain(fontName),
			"fontsize":  plain("9"),
			"arrowsize": plain("0.7"),
		},
	}
	// An API whose routes are drawn becomes the cluster around them; it is
	// drawn as a node only when a flow starts or ends on it.
	linked := map[string]bool{}
	for _, e := range v.edges {
		linked[e.from], linked[e.to] = true, true
	}
	for _, n := range v.nodes {
		if api := b.apiOfNode(n); api != "" && v.nodes[api] != nil && !linked[api] {
			b.apiNodes[api] = true
		}
	}

	clusters := map[string]*gcluster{}
	subs := map[string]*gcluster{}
	top := func(name string) *gcluster {
		if c := clusters[name]; c != nil {
			return c
		}
		col := boundaryColours[name]
		c := &gcluster{name: "cluster_" + name, attrs: attrs{
			"id":        plain(clusterID(name)),
			"class":     plain("boundary boundary-" + name),
			"label":     html("<B>" + htmlText(boundaryLabels[name]) + "</B>"),
			"tooltip":   plain(tooltip("trust boundary: " + boundaryLabels[name])),
			"style":     plain("rounded,filled"),
			"fillcolor": plain(col[0]),
			"color":     plain(col[1]),
			"fontsize":  plain("12"),
			"labeljust": plain("l"),
			"labelloc":  plain("t"),
			"margin":    plain("12"),
		}}
		clusters[name] = c
		return c
	}
	sub := func(parent, key string) *gcluster {
		id := parent + "/" + key
		if c := subs[id]; c != nil {
			return c
		}
		c := &gcluster{}
		switch parent {
		case bAPI:
			c = b.apiCluster(key)
		case bAccount:
			c = vpcCluster(key)
		}
		subs[id] = c
		p := top(parent)
		p.clusters = append(p.clusters, c)
		return c
	}
	for _, id := range b.sortedNodeIDs() {
		n := v.nodes[id]
		if b.apiNodes[id] {
			if len(v.nodes) == 1 || v.focus == id {
				sub(bAPI, id) // keep the (empty) cluster visible
			}
			continue
		}
		gn := b.node(n)
		parent, key := b.place(n)
		switch {
		case parent == "":
			b.g.nodes = append(b.g.nodes, gn)
		case key == "":
			top(parent).nodes = append(top(parent).nodes, gn)
		default:
			sub(parent, key).nodes = append(sub(parent, key).nodes, gn)
		}
	}
	for _, name := range []string{bInternet, bVPCClients, bAPI, bAccount, bThirdParty} {
		if c := clusters[name]; c != nil {
			sort.Slice(c.clusters, func(i, j int) bool { return c.clusters[i].name < c.clusters[j].name })
			b.g.clusters = append(b.g.clusters, c)
		}
	}
	b.edges()
	b.g.attrs["label"] = html(b.legend())
	declareClusterAttrs(b.g)
	return b.g
}

// declareClusterAttrs gives every attribute a cluster sets a neutral value on
// the root graph first: Graphviz takes the first value an attribute is given
// in a subgraph as the default of the whole graph (a cluster's margin of 12
// points would become a 12-inch margin around the drawing).
func declareClusterAttrs(g *ggraph) {
	var walk func(cs []*gcluster)
	walk = func(cs []*gcluster) {
		for _, c := range cs {
			for k := range c.attrs {
				if _, ok := g.attrs[k]; !ok {
					g.attrs[k] = plain("")
				}
			}
			walk(c.clusters)
		}
	}
	walk(g.clusters)
}

// sortedNodeIDs orders nodes by role, then id.
func (b *builder) sortedNodeIDs() []string {
	ids := b.v.ids()
	sort.SliceStable(ids, func(i, j int) bool {
		return roleOrder[b.v.nodes[ids[i]].role] < roleOrder[b.v.nodes[ids[j]].role]
	})
	return ids
}

func (b *builder) apiOfNode(n *vnode) string {
	if n.entry != nil {
		return n.entry.API
	}
	if n.isGroup() && n.role == roleEntry && n.members[0].entry != nil {
		return n.members[0].entry.API
	}
	return ""
}

// place says which boundary (and API or VPC inside it) a node is drawn in.
func (b *builder) place(n *vnode) (parent, key string) {
	rep := n
	if n.isGroup() {
		rep = n.members[0]
	}
	switch rep.role {
	case roleClient:
		if rep.client != nil && rep.client.Boundary == model.BoundaryVPC {
			return bVPCClients, ""
		}
		return bInternet, ""
	case roleEntry:
		e := rep.entry
		switch {
		case e.API != "":
			return bAPI, e.API
		case e.Kind == "function-url":
			return bAPI, ""
		case e.Kind == "alexa-skill":
			return bInternet, ""
		}
		return bAccount, ""
	case roleFunction:
		if !n.isGroup() && rep.fn != nil && rep.fn.VPC != nil {
			return bAccount, vpcKey(rep.fn.VPC)
		}
		return bAccount, ""
	case roleResource:
		r := rep.res
		switch {
		case r.Kind == "api":
			if b.hasRoutes(r.ID) {
				return bAPI, r.ID
			}
			return bAPI, ""
		case r.Boundary == model.BoundaryInternet:
			return bInternet, ""
		case r.Boundary == model.BoundaryThirdParty:
			return bThirdParty, ""
		case r.Boundary == model.BoundaryVPC && !n.isGroup():
			return bAccount, b.resourceVPC()
		}
		return bAccount, ""
	case roleThirdParty:
		return bThirdParty, ""
	}
	return "", ""
}

func (b *builder) hasRoutes(api string) bool {
	for _, n := range b.v.nodes {
		if b.apiOfNode(n) == api {
			return true
		}
	}
	return false
}

// resourceVPC is the VPC cluster for resources placed in a VPC: the one VPC
// the functions use when there is exactly one, else a generic one.
func (b *builder) resourceVPC() string {
	keys := map[string]bool{}
	for _, n := range b.v.nodes {
		if n.fn != nil && n.fn.VPC != nil {
			keys[vpcKey(n.fn.VPC)] = true
		}
	}
	if len(keys) == 1 {
		for k := range keys {
			return k
		}
	}
	return "VPC"
}

func vpcKey(c *model.VPCConfig) string {
	if c.VPC != "" {
		return "VPC " + c.VPC
	}
	if len(c.Subnets) > 0 {
		s := append([]string(nil), c.Subnets...)
		sort.Strings(s)
		return "VPC (subnets " + strings.Join(s, ", ") + ")"
	}
	return "VPC"
}

func vpcCluster(key string) *gcluster {
	return &gcluster{name: "cluster_vpc_" + encodeID(key), attrs: attrs{
		"id":        plain(clusterID("vpc " + key)),
		"class":     plain("boundary boundary-vpc"),
		"label":     html("<B>" + htmlText(truncate(key, 60)) + "</B>"),
		"tooltip":   plain(tooltip("trust boundary: " + key)),
		"style":     plain("rounded,filled"),
		"fillcolor": plain(vpcFill),
		"color":     plain(vpcBorder),
		"labeljust": plain("l"),
		"labelloc":  plain("t"),
	}}
}

// apiCluster is the cluster of one API's routes; it carries the API's id,
// findings badge and tooltip when the API is not drawn as a node.
func (b *builder) apiCluster(api string) *gcluster {
	kind := ""
	tip := []string{api}
	counts := findingCounts{}
	if n := b.v.nodes[api]; n != nil && n.res != nil {
		kind = n.res.Type
		tip = []string{api + " (" + n.res.Type + ")", where(n.res.File, n.res.Line)}
		counts = n.findings
	}
	for _, id := range b.v.ids() {
		n := b.v.nodes[id]
		if b.apiOfNode(n) == api && n.entry != nil && n.entry.APIType != "" {
			kind = strings.ToUpper(n.entry.APIType) + " API"
			break
		}
		if b.apiOfNode(n) == api && n.isGroup() && n.members[0].entry.APIType != "" {
			kind = strings.ToUpper(n.members[0].entry.APIType) + " API"
			break
		}
	}
	// Cells, not one run of text: each cell is laid out on its own, so the
	// bold name (which Graphviz measures with regular widths) gets a spacer
	// and cannot run into the kind or the badge.
	label := `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0"><TR><TD><B>` + htmlText(api) + `</B></TD>` +
		fmt.Sprintf(`<TD WIDTH="%d"> </TD>`, 2+utf8.RuneCountInString(api))
	if kind != "" {
		label += `<TD><FONT POINT-SIZE="9">` + htmlText(kind) + "</FONT></TD>"
	}
	if cell := badgeCell(counts); cell != "" {
		label += cell + `<TD WIDTH="4"> </TD>`
	}
	label += "</TR></TABLE>"
	tip = append(tip, counts.summary())
	a := attrs{
		"id":        plain(NodeID(api)),
		"class":     plain("api"),
		"label":     html(label),
		"tooltip":   plain(tooltip(tip...)),
		"style":     plain("rounded,filled"),
		"fillcolor": plain(apiClusterFill),
		"color":     plain("#6b8fb5"),
		"labeljust": plain("l"),
		"labelloc":  plain("t"),
	}
	if n := b.v.nodes[api]; n != nil && !b.apiNodes[api] {
		// the API is drawn as a node too (a flow starts or ends on it, such
		// as its authorizer's trigger): the node keeps the API's id
		a["id"] = plain("cluster-" + NodeID(api))
	}
	if b.v.focus == api {
		a["penwidth"] = plain("3")
	}
	return &gcluster{name: "cluster_api_" + encodeID(api), attrs: a}
}

// ---- nodes

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
		tip = append(tip, fmt.Sprintf("risk rank %d: exposure %s, worst open finding %s", f.RiskRank, f.Exposure, orNone(f.WorstSeverity)))
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
	a["label"] = html(twoLines(truncate(title, 48), sub, n.findings, ""))
	tip = append(tip, n.findings.summary())
	a["tooltip"] = plain(tooltip(tip...))
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
	a["label"] = html(twoLines(truncate(title, 48), thirdPartyKind(t), n.findings, ""))
	tip := []string{t.ID, thirdPartyKind(t)}
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

func thirdPartyKind(t *model.ThirdParty) string {
	switch t.Kind {
	case "http":
		if t.Scheme != "" {
			return strings.ToUpper(t.Scheme) + " API"
		}
		return "HTTP API"
	case "partner-event-bus":
		return "partner event bus"
	case "foreign-account":
		return "other AWS account"
	case "foreign-account-layer":
		return "layer from another account"
	}
	return t.Kind
}

func (b *builder) groupNode(n *vnode, a attrs) {
	rep := n.members[0]
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
	case roleEntry:
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
	case roleResource:
		st := styleFor(rep.res.Kind)
		b.kinds[rep.res.Kind] = true
		a["class"] = plain("group group-resource")
		a["shape"] = plain(st.shape)
		a["style"] = plain("filled,bold")
		a["fillcolor"] = plain(st.fill)
		a["label"] = html(twoLines(fmt.Sprintf("%d %s", len(n.members), plural(st.word)), "resources of one kind", n.findings, ""))
		a["tooltip"] = plain(tooltip(fmt.Sprintf("%d resources of kind %s", len(n.members), rep.res.Kind), list, n.findings.summary()))
	case roleThirdParty:
		a["class"] = plain("group group-third-party")
		a["shape"] = plain(thirdPartyShape)
		a["style"] = plain("rounded,filled,dashed,bold")
		a["fillcolor"] = plain("#ffffff")
		a["label"] = html(twoLines(fmt.Sprintf("%d third parties", len(n.members)), thirdPartyKind(rep.tp), n.findings, ""))
		a["tooltip"] = plain(tooltip(fmt.Sprintf("%d third parties (%s)", len(n.members), rep.tp.Kind), list, n.findings.summary()))
	}
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

// ---- edges

// flowsBack reports whether an edge runs from a data store, queue or third
// party into a function (a trigger): such edges are laid out from the
// function with the arrow reversed (dir=back), so stores and third parties
// stay to the right of the functions and the picture reads left to right.
func (b *builder) flowsBack(e *vedge) bool {
	from, to := b.v.nodes[e.from], b.v.nodes[e.to]
	if from == nil || to == nil {
		return false
	}
	return (from.role == roleResource || from.role == roleThirdParty) && to.role == roleFunction
}

func (b *builder) edges() {
	seen := map[string]int{}
	for _, e := range b.v.edges {
		if b.apiNodes[e.from] || b.apiNodes[e.to] {
			continue
		}
		id := "e-" + encodeID(e.from) + "-" + encodeID(e.to) + "-" + encodeID(e.kind)
		seen[id]++
		if k := seen[id]; k > 1 {
			id += "-" + strconv.Itoa(k)
		}
		a := attrs{"id": plain(id), "class": plain("flow flow-" + encodeID(e.kind))}
		b.edgeStyle(e, a)
		ge := &gedge{from: NodeID(e.from), to: NodeID(e.to), attrs: a}
		if b.flowsBack(e) {
			ge.from, ge.to = ge.to, ge.from
			a["dir"] = plain("back")
		}
		b.g.edges = append(b.g.edges, ge)
	}
}

func (b *builder) edgeStyle(e *vedge, a attrs) {
	from, to := b.v.nodes[e.from], b.v.nodes[e.to]
	label, colour, width, style := "", colOther, "1", "solid"
	tip := []string{nameOf(from) + " → " + nameOf(to)}
	labels := sortedSet(e.labels)
	switch {
	case e.implied:
		label, style = strings.Join(labels, ", "), "dashed"
		tip = append(tip, "link recorded on the third party ("+label+"), no data flow modelled")
	case e.kind == model.EdgeTrigger && from != nil && from.role == roleClient:
		// The model labels a client's flow with the authorization it passes.
		colour = colAuthRoute
		a["tailport"] = plain("e") // fan out right of the node, clear of the cluster label
		open := false
		for _, l := range labels {
			if strings.EqualFold(l, "NONE") || l == "" {
				open = true
			}
		}
		if len(labels) == 0 {
			for _, m := range entriesOf(to) {
				open = open || strings.EqualFold(m.Auth, "NONE")
			}
		}
		if open {
			colour, width = colPublic, "1.5"
			tip = append(tip, "no authorization")
		}
		if from.client != nil && from.client.Boundary == model.BoundaryVPC {
			colour, width = colPrivateRoute, "1.2"
			tip = append(tip, "private API: only callers in a VPC whose interface endpoint the API admits")
			for _, m := range entriesOf(to) {
				if len(m.AllowedFrom) > 0 {
					tip = append(tip, "resource policy: "+strings.Join(m.AllowedFrom, ", "))
					break
				}
			}
		}
		if others := without(labels, "NONE"); len(others) > 0 {
			tip = append(tip, "authorization: "+strings.Join(others, ", "))
		}
	case e.kind == model.EdgeTrigger && from != nil && from.role == roleEntry:
		colour = colTrigger
		tip = append(tip, "invokes")
	case e.kind == model.EdgeTrigger:
		colour = colTrigger
		for i, l := range labels {
			labels[i] = triggerWord(l)
		}
		label = strings.Join(dedupe(labels), ", ")
		tip = append(tip, "trigger: "+label)
		for _, ev := range b.eventDetails(e) {
			tip = append(tip, ev)
		}
	case e.kind == model.EdgeAccess && to != nil && to.res != nil && to.res.Kind == "loggroup":
		// Every function writes its logs: drawn quietly, details in the tooltip.
		colour, width = colLogs, "0.7"
		tip = append(tip, "logging: "+strings.Join(sortedSet(e.access), ", "))
	case e.kind == model.EdgeAccess:
		label = accessLetters(e.access)
		colour, width = accessColour(e.access)
		levels := sortedSet(e.access)
		if len(levels) == 0 {
			levels = []string{"unknown level"}
		}
		tip = append(tip, "access: "+strings.Join(levels, ", "))
		acts := sortedSet(e.actions)
		if len(acts) > 0 {
			shown := acts[:min(len(acts), 30)]
			line := fmt.Sprintf("%d actions: %s", len(acts), strings.Join(shown, ", "))
			if len(acts) > 30 {
				line += fmt.Sprintf(" … and %d more", len(acts)-30)
			}
			tip = append(tip, line)
		}
		for _, l := range labels {
			tip = append(tip, "via "+l)
		}
	case e.kind == model.EdgeOutbound:
		label = strings.ToUpper(strings.Join(labels, ", "))
		colour, style = colOutbound, "dashed"
		tip = append(tip, "outbound call "+label)
	case e.kind == model.EdgeInvoke:
		label, colour, width = "invoke", "#000000", "1.5"
		tip = append(tip, "invokes")
	case e.kind == model.EdgeDestination:
		label, style = strings.Join(labels, ", "), "dotted"
		if label == "" {
			label = "destination"
		}
		tip = append(tip, "destination: "+label)
	default:
		label = strings.Join(labels, ", ")
		tip = append(tip, e.kind)
	}
	if e.count > 1 {
		if label != "" {
			label += " "
		}
		label += "×" + strconv.Itoa(e.count)
		tip = append(tip, fmt.Sprintf("%d flows merged", e.count))
	}
	for i, s := range e.sources {
		if i == 3 {
			tip = append(tip, fmt.Sprintf("and %d more places", len(e.sources)-3))
			break
		}
		if w := where(s.File, s.Line); w != "" {
			tip = append(tip, "declared at "+w)
		}
	}
	if label != "" {
		a["label"] = html(`<FONT COLOR="` + colour + `">` + htmlText(truncate(label, 40)) + `</FONT>`)
	}
	a["color"] = plain(colour)
	if width != "1" {
		a["penwidth"] = plain(width)
	}
	if style != "solid" {
		a["style"] = plain(style)
	}
	a["tooltip"] = plain(tooltip(tip...))
}

// eventDetails are the details of the events behind a trigger edge
// ("s3:ObjectCreated:*", "rate(5 minutes)").
func (b *builder) eventDetails(e *vedge) []string {
	var out []string
	fns := []*vnode{b.v.nodes[e.to]}
	if fns[0] != nil && fns[0].isGroup() {
		fns = fns[0].members
	}
	sources := map[string]bool{e.from: true}
	if n := b.v.nodes[e.from]; n != nil && n.isGroup() {
		for _, m := range n.members {
			sources[m.id] = true
		}
	}
	seen := map[string]bool{}
	for _, f := range fns {
		if f == nil || f.fn == nil {
			continue
		}
		for _, ev := range f.fn.Events {
			if sources[ev.Source] && ev.Detail != "" && !seen[ev.Detail] && len(out) < 5 {
				seen[ev.Detail] = true
				out = append(out, ev.Type+" "+ev.Detail)
			}
		}
	}
	return out
}

// triggerWord names an event source type for an edge label: the trigger
// catalog's label (catalogs/triggers.yaml); other edge labels stay as they are.
func triggerWord(t string) string {
	if t == "SNS subscription" { // an SNS -> queue/stream edge label, not a trigger type
		return "SNS"
	}
	tr, _ := catalogs.TriggerOf(t)
	return tr.Label
}

func without(in []string, drop string) []string {
	var out []string
	for _, s := range in {
		if !strings.EqualFold(s, drop) {
			out = append(out, s)
		}
	}
	return out
}

func entriesOf(n *vnode) []*model.EntryPoint {
	if n == nil {
		return nil
	}
	if n.entry != nil {
		return []*model.EntryPoint{n.entry}
	}
	var out []*model.EntryPoint
	for _, m := range n.members {
		if m.entry != nil {
			out = append(out, m.entry)
		}
	}
	return out
}

func nameOf(n *vnode) string {
	switch {
	case n == nil:
		return "?"
	case n.isGroup():
		return fmt.Sprintf("%s (%d)", n.groupKey, len(n.members))
	case n.entry != nil:
		t := entryTitle(n.entry)
		if n.entry.API != "" {
			t += " on " + n.entry.API
		}
		return t
	case n.client != nil:
		return n.client.Label
	}
	return n.id
}

// ---- legend

// riskEmphasis is how many of the riskiest functions get a heavy border.
const riskEmphasis = 3

const riskColor = "#a50026"

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// legend is the graph label, drawn under the diagram: the title, the blast
// scale, the badge colours, what edge labels and colours mean, and the shapes
// of the resource kinds present.
func (b *builder) legend() string {
	m := b.v.m
	var s strings.Builder
	row := func(title, body string) {
		s.WriteString(`<TR><TD ALIGN="LEFT" VALIGN="MIDDLE"><B>` + htmlText(title) + `</B></TD><TD ALIGN="LEFT">` + body + `</TD></TR>`)
	}
	cells := func(inner string) string {
		return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2"><TR>` + inner + `</TR></TABLE>`
	}
	s.WriteString(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">`)
	title := fmt.Sprintf("%s · %d functions, %d resources, %d entry points, %d third parties", templateName(m),
		len(m.Functions), len(m.Resources), len(m.EntryPoints), len(m.ThirdParties))
	s.WriteString(`<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="13"><B>` + htmlText(title) + `</B></FONT></TD></TR>`)
	if d := cleanText(m.Description); d != "" {
		s.WriteString(`<TR><TD ALIGN="LEFT" COLSPAN="2">` + htmlText(truncate(d, 140)) + `</TD></TR>`)
	}
	if d := b.viewText(); d != "" {
		s.WriteString(`<TR><TD ALIGN="LEFT" COLSPAN="2"><I>` + htmlText(d) + `</I></TD></TR>`)
	}
	var inner strings.Builder
	for _, band := range blastBands {
		fmt.Fprintf(&inner, `<TD BGCOLOR="%s" BORDER="1" COLOR="#3f007d"><FONT COLOR="%s"> %d–%d </FONT></TD>`, band.fill, band.text, band.min, band.max)
	}
	inner.WriteString(`<TD BGCOLOR="` + noBlastFill + `" BORDER="1" COLOR="#3f007d"> not computed </TD>`)
	row("Blast radius score", cells(inner.String()+`<TD ALIGN="LEFT">fill of each function (0–100)</TD>`))
	inner.Reset()
	for _, sev := range severities[:4] {
		col := severityBadge[sev]
		fmt.Fprintf(&inner, `<TD BGCOLOR="%s" STYLE="rounded"><FONT COLOR="%s" POINT-SIZE="9"><B>n %s</B></FONT></TD>`, col[0], col[1], sev)
	}
	row("Risk", cells(`<TD BORDER="3" COLOR="`+riskColor+`"> risk #1 </TD><TD ALIGN="LEFT">the `+strconv.Itoa(riskEmphasis)+` riskiest functions: worst open finding + exposure, then blast radius</TD>`))
	row("Findings badge", cells(inner.String()+`<TD ALIGN="LEFT">number of open findings at the element's most severe level</TD>`))
	row("Access (IAM level)", `<FONT COLOR="`+colRead+`">R read · L list</FONT>     `+
		`<FONT COLOR="`+colWrite+`">W write · T tagging</FONT>     `+
		`<FONT COLOR="`+colPermissions+`">Perm permissions management</FONT>     `+
		`<FONT COLOR="`+colLogs+`">grey: writes to logs</FONT>`)
	row("Flows", `<FONT COLOR="`+colPublic+`">public route, no auth</FONT>     `+
		`<FONT COLOR="`+colAuthRoute+`">route with auth</FONT>     `+
		`<FONT COLOR="`+colTrigger+`">trigger (labelled with its source)</FONT>     `+
		`<FONT COLOR="`+colOutbound+`">outbound call (dashed)</FONT>     ×N merged flows`+b.privateLegend())
	byShape := map[string][]string{}
	var order []string
	for _, k := range sortedSet(b.kinds) {
		st := styleFor(k)
		w := shapeWord(st.shape)
		if byShape[w] == nil {
			order = append(order, w)
		}
		byShape[w] = append(byShape[w], st.word)
	}
	shapes := []string{"rounded box: function", "box: route", "dashed box: third party"}
	for _, w := range order {
		shapes = append(shapes, w+": "+strings.Join(dedupe(byShape[w]), ", "))
	}
	row("Shapes", htmlText(strings.Join(shapes, " · ")))
	s.WriteString(`</TABLE>`)
	return s.String()
}

func shapeWord(shape string) string {
	switch shape {
	case "cds":
		return "ribbon"
	case "box3d":
		return "3-D box"
	case "invhouse":
		return "inverted house"
	case "tab":
		return "tabbed box"
	case "box":
		return "box"
	}
	return shape
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// viewText says what part of the application the picture shows.
func (b *builder) viewText() string {
	var parts []string
	if b.v.focus != "" {
		parts = append(parts, "focus on "+b.v.focus)
	}
	if b.v.collapse != "" {
		groups := 0
		for _, n := range b.v.nodes {
			if n.isGroup() && n.role == roleFunction {
				groups++
			}
		}
		word := "groups"
		if groups == 1 {
			word = "group"
		}
		parts = append(parts, fmt.Sprintf("collapsed view: functions grouped by %s (%d %s), large sets of routes and resources merged; thick outline = group, ×N = merged flows", modeWord(b.v.collapse), groups, word))
	}
	return strings.Join(parts, " · ")
}

// colPrivateRoute colours a VPC-endpoint client's calls to a PRIVATE API.
const colPrivateRoute = "#35978f"

// privateLegend names the private-route colour when the diagram has callers
// of a PRIVATE API.
func (b *builder) privateLegend() string {
	for _, c := range b.v.m.Clients {
		if c.Boundary == model.BoundaryVPC {
			return `     <FONT COLOR="` + colPrivateRoute + `">private route (VPC endpoint)</FONT>`
		}
	}
	return ""
}
