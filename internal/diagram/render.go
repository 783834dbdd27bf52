package diagram

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/goccy/go-graphviz/cgraph"
	"github.com/goccy/go-graphviz/gvc"
)

// go-graphviz runs Graphviz in one WebAssembly module shared by the whole
// process, and neither graph building nor rendering is goroutine-safe: every
// use goes through gvMu, and one Graphviz context is created on first use and
// kept.
var (
	gvMu  sync.Mutex
	gvCtx *gvc.Context
)

// DefaultDPI is the PNG resolution when Options.DPI is 0.
const DefaultDPI = 96

// maxPNGSide bounds the longer side of a PNG, in pixels: Graphviz scales a
// larger drawing down (the bitmap is held in memory as RGBA, 4 bytes a pixel).
const maxPNGSide = 8000

func instance(ctx context.Context) (*gvc.Context, error) {
	if gvCtx != nil {
		return gvCtx, nil
	}
	plugins, err := pngPlugins(ctx)
	if err != nil {
		return nil, fmt.Errorf("diagram: starting graphviz: %w", err)
	}
	c, err := gvc.NewWithPlugins(ctx, plugins...)
	if err != nil {
		return nil, fmt.Errorf("diagram: starting graphviz: %w", err)
	}
	gvCtx = c
	return c, nil
}

// render lays g out with dot and renders it; callers have built g already.
func render(ctx context.Context, g *ggraph, format string, dpi int) (out []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gvMu.Lock()
	defer gvMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("diagram: graphviz failed: %v", r)
		}
	}()
	c, err := instance(ctx)
	if err != nil {
		return nil, err
	}
	extra := attrs{}
	if format == "png" {
		if dpi == 0 {
			dpi = DefaultDPI
		}
		side := strconv.FormatFloat(float64(maxPNGSide)/float64(dpi), 'f', 2, 64)
		extra["dpi"] = plain(strconv.Itoa(dpi))
		extra["size"] = plain(side + "," + side)
	}
	cg, err := toCgraph(g, extra)
	if err != nil {
		return nil, fmt.Errorf("diagram: building the graph: %w", err)
	}
	defer cg.Close()
	return layoutAndRender(ctx, c, cg, format)
}

func layoutAndRender(ctx context.Context, c *gvc.Context, cg *cgraph.Graph, format string) ([]byte, error) {
	if err := c.Layout(ctx, cg, "dot"); err != nil {
		return nil, fmt.Errorf("diagram: graphviz layout: %w", err)
	}
	var buf bytes.Buffer
	err := c.RenderData(ctx, cg, format, &buf)
	if ferr := c.FreeLayout(ctx, cg); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return nil, fmt.Errorf("diagram: graphviz %s output: %w", format, err)
	}
	if buf.Len() == 0 {
		return nil, fmt.Errorf("diagram: graphviz produced no %s output", format)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// toCgraph creates g through go-graphviz's API, object by object, with the
// same semantics as Graphviz's DOT parser for the text DOT writes: graph
// attribute statements set defaults (agattr) on the graph or subgraph they
// appear in, node and edge attributes are declared on the root with an
// empty default and set per object.
func toCgraph(g *ggraph, extra attrs) (*cgraph.Graph, error) {
	cg, err := cgraph.Open("samthreat", cgraph.Directed, nil)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			cg.Close()
		}
	}()
	ga := attrs{}
	for k, v := range g.attrs {
		ga[k] = v
	}
	for k, v := range extra {
		ga[k] = v
	}
	if err := setDefaults(cg, cg, int(cgraph.GRAPH), ga); err != nil {
		return nil, err
	}
	if err := setDefaults(cg, cg, int(cgraph.NODE), g.nodeAttrs); err != nil {
		return nil, err
	}
	if err := setDefaults(cg, cg, int(cgraph.EDGE), g.edgeAttrs); err != nil {
		return nil, err
	}
	cb := &cgraphBuilder{root: cg, nodes: map[string]*cgraph.Node{}}
	for _, c := range g.clusters {
		if err := cb.addCluster(cg, c); err != nil {
			return nil, err
		}
	}
	for _, n := range g.nodes {
		if err := cb.addNode(cg, n); err != nil {
			return nil, err
		}
	}
	for _, e := range g.edges {
		if err := cb.addEdge(e); err != nil {
			return nil, err
		}
	}
	ok = true
	return cg, nil
}

// cgraphBuilder adds clusters, nodes and edges to one cgraph root.
type cgraphBuilder struct {
	root  *cgraph.Graph
	nodes map[string]*cgraph.Node // by node name, for the edges
}

func (cb *cgraphBuilder) addNode(parent *cgraph.Graph, n *gnode) error {
	gn, err := parent.CreateNodeByName(n.name)
	if err != nil {
		return err
	}
	cb.nodes[n.name] = gn
	for _, k := range n.attrs.sortedKeys() {
		v, err := valueString(cb.root, n.attrs[k])
		if err != nil {
			return err
		}
		if err := gn.SafeSet(k, v, ""); err != nil {
			return fmt.Errorf("node %s: %s: %w", n.name, k, err)
		}
	}
	return nil
}

func (cb *cgraphBuilder) addCluster(parent *cgraph.Graph, c *gcluster) error {
	sub, err := parent.CreateSubGraphByName(c.name)
	if err != nil {
		return err
	}
	if err := setDefaults(cb.root, sub, int(cgraph.GRAPH), c.attrs); err != nil {
		return err
	}
	for _, s := range c.clusters {
		if err := cb.addCluster(sub, s); err != nil {
			return err
		}
	}
	for _, n := range c.nodes {
		if err := cb.addNode(sub, n); err != nil {
			return err
		}
	}
	return nil
}

func (cb *cgraphBuilder) addEdge(e *gedge) error {
	from, to := cb.nodes[e.from], cb.nodes[e.to]
	if from == nil || to == nil {
		return fmt.Errorf("edge %s -> %s: unknown node", e.from, e.to)
	}
	ge, err := cb.root.CreateEdgeByName(e.attrs["id"].s, from, to)
	if err != nil {
		return err
	}
	for _, k := range e.attrs.sortedKeys() {
		v, err := valueString(cb.root, e.attrs[k])
		if err != nil {
			return err
		}
		if err := ge.SafeSet(k, v, ""); err != nil {
			return fmt.Errorf("edge %s: %s: %w", e.attrs["id"].s, k, err)
		}
	}
	return nil
}

// setDefaults declares attributes on g (the root or a subgraph) with a value,
// like a "graph [...]"/"node [...]"/"edge [...]" statement does.
func setDefaults(root, g *cgraph.Graph, kind int, a attrs) error {
	for _, k := range a.sortedKeys() {
		v, err := valueString(root, a[k])
		if err != nil {
			return err
		}
		if _, err := g.Attr(kind, k, v); err != nil {
			return fmt.Errorf("attribute %s: %w", k, err)
		}
	}
	return nil
}

// valueString returns the string to hand to cgraph: HTML labels go through
// agstrdup_html so Graphviz parses them as HTML-like labels.
func valueString(root *cgraph.Graph, v value) (string, error) {
	if !v.html {
		return v.s, nil
	}
	return root.StrdupHTML(v.s)
}
