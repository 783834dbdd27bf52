package diagram

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

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
	b := &builder{v: v, g: newGraph(v), apiNodes: map[string]bool{}, kinds: map[string]bool{}}
	b.findAPINodes()
	cs := &clusterSet{b: b, top: map[string]*gcluster{}, sub: map[string]*gcluster{}}
	for _, id := range b.sortedNodeIDs() {
		n := v.nodes[id]
		if b.apiNodes[id] {
			if len(v.nodes) == 1 || v.focus == id {
				cs.subCluster(bAPI, id) // keep the (empty) cluster visible
			}
			continue
		}
		gn := b.node(n)
		parent, key := b.place(n)
		switch {
		case parent == "":
			b.g.nodes = append(b.g.nodes, gn)
		case key == "":
			cs.boundary(parent).nodes = append(cs.boundary(parent).nodes, gn)
		default:
			cs.subCluster(parent, key).nodes = append(cs.subCluster(parent, key).nodes, gn)
		}
	}
	for _, name := range []string{bInternet, bVPCClients, bAPI, bAccount, bThirdParty} {
		if c := cs.top[name]; c != nil {
			sort.Slice(c.clusters, func(i, j int) bool { return c.clusters[i].name < c.clusters[j].name })
			b.g.clusters = append(b.g.clusters, c)
		}
	}
	b.edges()
	b.g.attrs["label"] = html(b.legend())
	declareClusterAttrs(b.g)
	return b.g
}

// newGraph is the empty graph with the diagram's graph, node and edge
// defaults.
func newGraph(v *view) *ggraph {
	return &ggraph{
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
}

// findAPINodes marks the APIs drawn as clusters: an API whose routes are
// drawn becomes the cluster around them; it is drawn as a node only when a
// flow starts or ends on it.
func (b *builder) findAPINodes() {
	linked := map[string]bool{}
	for _, e := range b.v.edges {
		linked[e.from], linked[e.to] = true, true
	}
	for _, n := range b.v.nodes {
		if api := b.apiOfNode(n); api != "" && b.v.nodes[api] != nil && !linked[api] {
			b.apiNodes[api] = true
		}
	}
}

// clusterSet creates the trust-boundary clusters and the API and VPC
// clusters inside them on first use.
type clusterSet struct {
	b   *builder
	top map[string]*gcluster // by boundary name
	sub map[string]*gcluster // by boundary/key
}

// boundary is the cluster of a top-level trust boundary.
func (cs *clusterSet) boundary(name string) *gcluster {
	if c := cs.top[name]; c != nil {
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
	cs.top[name] = c
	return c
}

// subCluster is the cluster of one API (in the API layer) or one VPC (in
// the account).
func (cs *clusterSet) subCluster(parent, key string) *gcluster {
	id := parent + "/" + key
	if c := cs.sub[id]; c != nil {
		return c
	}
	c := &gcluster{}
	switch parent {
	case bAPI:
		c = cs.b.apiCluster(key)
	case bAccount:
		c = vpcCluster(key)
	}
	cs.sub[id] = c
	p := cs.boundary(parent)
	p.clusters = append(p.clusters, c)
	return c
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
