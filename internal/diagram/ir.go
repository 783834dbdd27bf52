package diagram

import (
	"bytes"
	"sort"
	"strings"
)

// The diagram is first built as this small, sorted graph description; DOT
// writes it as text and Render hands it to go-graphviz object by object
// through its API (agnode, agedge, agsafeset...). go-graphviz v0.2.10 cannot
// write a graph as DOT without laying it out first (its canon/dot output needs
// a layout and then carries positions), so the text form has its own writer;
// a test checks that both paths give the same picture.

// value is an attribute value: plain text, or an HTML-like label (written
// <...> in DOT, created with agstrdup_html through the API).
type value struct {
	s    string
	html bool
}

func plain(s string) value { return value{s: s} }
func html(s string) value  { return value{s: s, html: true} }

type attrs map[string]value

// sortedKeys gives attribute names in a fixed order: id first, then the rest
// alphabetically, so the DOT text is the same on every run.
func (a attrs) sortedKeys() []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "id") != (keys[j] == "id") {
			return keys[i] == "id"
		}
		return keys[i] < keys[j]
	})
	return keys
}

type gnode struct {
	name  string // the Graphviz node name: NodeID of the model id
	attrs attrs
}

type gedge struct {
	from, to string // node names
	attrs    attrs
}

type gcluster struct {
	name     string // subgraph name, starts with "cluster_"
	attrs    attrs
	clusters []*gcluster
	nodes    []*gnode
}

type ggraph struct {
	attrs     attrs // graph attributes
	nodeAttrs attrs // defaults for every node
	edgeAttrs attrs
	clusters  []*gcluster
	nodes     []*gnode // outside any cluster
	edges     []*gedge
}

// writeDOT writes g as DOT text. Every identifier is quoted; in quoted DOT
// strings only the double quote needs escaping (values never end in a
// backslash: tooltips carry none and ids are [A-Za-z0-9_-]).
func (g *ggraph) writeDOT(buf *bytes.Buffer) {
	buf.WriteString("digraph samthreat {\n")
	writeDefaults(buf, "\t", "graph", g.attrs)
	writeDefaults(buf, "\t", "node", g.nodeAttrs)
	writeDefaults(buf, "\t", "edge", g.edgeAttrs)
	for _, c := range g.clusters {
		writeCluster(buf, "\t", c)
	}
	for _, n := range g.nodes {
		writeNode(buf, "\t", n)
	}
	for _, e := range g.edges {
		buf.WriteString("\t")
		buf.WriteString(quote(e.from))
		buf.WriteString(" -> ")
		buf.WriteString(quote(e.to))
		writeAttrList(buf, e.attrs)
		buf.WriteString(";\n")
	}
	buf.WriteString("}\n")
}

func writeDefaults(buf *bytes.Buffer, indent, kind string, a attrs) {
	if len(a) == 0 {
		return
	}
	buf.WriteString(indent)
	buf.WriteString(kind)
	writeAttrList(buf, a)
	buf.WriteString(";\n")
}

func writeCluster(buf *bytes.Buffer, indent string, c *gcluster) {
	buf.WriteString(indent)
	buf.WriteString("subgraph ")
	buf.WriteString(quote(c.name))
	buf.WriteString(" {\n")
	inner := indent + "\t"
	writeDefaults(buf, inner, "graph", c.attrs)
	for _, sub := range c.clusters {
		writeCluster(buf, inner, sub)
	}
	for _, n := range c.nodes {
		writeNode(buf, inner, n)
	}
	buf.WriteString(indent)
	buf.WriteString("}\n")
}

func writeNode(buf *bytes.Buffer, indent string, n *gnode) {
	buf.WriteString(indent)
	buf.WriteString(quote(n.name))
	writeAttrList(buf, n.attrs)
	buf.WriteString(";\n")
}

func writeAttrList(buf *bytes.Buffer, a attrs) {
	if len(a) == 0 {
		return
	}
	buf.WriteString(" [")
	for i, k := range a.sortedKeys() {
		if i > 0 {
			buf.WriteString(", ")
		}
		buf.WriteString(k)
		buf.WriteByte('=')
		v := a[k]
		if v.html {
			buf.WriteByte('<')
			buf.WriteString(v.s)
			buf.WriteByte('>')
		} else {
			buf.WriteString(quote(v.s))
		}
	}
	buf.WriteByte(']')
}

var quoteReplacer = strings.NewReplacer(`"`, `\"`, "\n", `\n`)

func quote(s string) string { return `"` + quoteReplacer.Replace(s) + `"` }
