package diagram

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// The diagram on paper. A drawing that keeps its smallest text at MinPt or
// more inside the page's drawing area is printed whole; a larger one is split
// by trust boundary: pages hold the elements of one boundary (or of several
// small ones), and a flow that crosses to an element drawn on another page
// ends in a stub, a dashed grey box naming that element, its boundary and the
// part it is drawn on. A boundary too large for one page is cut again, at its
// sub-boundaries (an API, a VPC) where it can be, then in halves; adjacent
// parts that fit together are merged back. Every size is the one Graphviz
// laid out (the SVG's width, height and font sizes), so a page's printed text
// size is its smallest font size times the scale it is printed at.

// PaperOptions describe the drawing area of one page.
type PaperOptions struct {
	Width, Height float64 // drawing area, in points
	MinPt         float64 // smallest printed text size, in points
	DPI           int     // PNG resolution; 0 measures only (no PNG)
}

// PaperPage is one page of a diagram on paper.
type PaperPage struct {
	Part, Parts int
	Title       string   // what the page holds: "whole application", or its boundaries
	Boundaries  []string // boundary labels of the elements drawn on the page
	Elements    int      // elements drawn on the page (stubs not counted)
	Stubs       int      // elements of other parts drawn as stubs
	PNG         []byte   // nil when PaperOptions.DPI is 0
	Width       float64  // laid-out size of the drawing, in points
	Height      float64
	MinFont     float64 // smallest font size in the layout, in points
	Scale       float64 // largest scale <= 1 at which the drawing fits the area
}

// PrintedPt is the page's smallest text size once printed.
func (p PaperPage) PrintedPt() float64 { return p.MinFont * p.Scale }

// paperMaxParts bounds the number of pages a diagram is split into; past it
// the view is collapsed (functions grouped) before splitting.
const paperMaxParts = 12

// Paper lays the application's diagram out for pages of o's drawing area.
func Paper(ctx context.Context, m *model.Model, o PaperOptions) ([]PaperPage, error) {
	if m == nil {
		return nil, ErrNoModel
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Width <= 0 || o.Height <= 0 || o.MinPt <= 0 {
		return nil, fmt.Errorf("diagram: paper area %gx%g pt, text %g pt", o.Width, o.Height, o.MinPt)
	}
	if o.DPI < 0 || o.DPI > MaxDPI {
		return nil, fmt.Errorf("DPI %d out of range (1-%d, 0 to measure only)", o.DPI, MaxDPI)
	}
	v := autoView(m, "")
	pl := newPaperLayout(ctx, v, o)
	parts, err := pl.partition()
	if err != nil {
		return nil, err
	}
	if v.collapse == "" && (len(parts) > paperMaxParts || !pl.allFit(parts)) {
		// Too many pages to follow, or an element whose flows alone are
		// too many for a page: group functions, and resources by kind.
		cv := autoView(m, v.chooseAuto())
		cpl := newPaperLayout(ctx, cv, o)
		cparts, err := cpl.partition()
		if err != nil {
			return nil, err
		}
		if cpl.allFit(cparts) || !pl.allFit(parts) && len(cparts) <= len(parts) {
			pl, parts = cpl, cparts
		}
	}
	return pl.pages(parts)
}

// allFit reports whether every part fits its page (measured already).
func (pl *paperLayout) allFit(parts [][]string) bool {
	for _, p := range parts {
		if f, err := pl.measure(p); err != nil || !pl.fits(f) {
			return false
		}
	}
	return true
}

// autoView is the view the screen shows by default (collapsed above the
// auto thresholds), or collapsed by mode when mode is set.
func autoView(m *model.Model, mode string) *view {
	v := newView(m)
	if mode == "" {
		if fns, all := v.counts(); fns > AutoCollapseFunctions || all > AutoCollapseNodes {
			mode = v.chooseAuto()
		}
	}
	if mode != "" && mode != CollapseNone {
		v.applyCollapse(mode)
	}
	return v
}

// paperLayout splits one view into pages.
type paperLayout struct {
	ctx     context.Context
	v       *view
	o       PaperOptions
	b       *builder          // for place()
	base    []string          // every node, in boundary order
	order   []string          // the same, resources beside their first user
	bound   map[string]int    // node -> boundary index (order of boundaryOrder)
	sub     map[string]string // node -> sub-boundary key (API, VPC)
	cache   map[string]fit    // measured pages, by their elements
	grouped map[string]bool   // pages drawn with one stub per boundary
}

var boundaryOrder = []string{bInternet, bVPCClients, bAPI, bAccount, bThirdParty, ""}

func newPaperLayout(ctx context.Context, v *view, o PaperOptions) *paperLayout {
	pl := &paperLayout{ctx: ctx, v: v, o: o, bound: map[string]int{}, sub: map[string]string{}, cache: map[string]fit{}, grouped: map[string]bool{}}
	pl.b = &builder{v: v, apiNodes: map[string]bool{}, kinds: map[string]bool{}}
	idx := map[string]int{}
	for i, b := range boundaryOrder {
		idx[b] = i
	}
	for _, id := range v.ids() {
		parent, key := pl.b.place(v.nodes[id])
		pl.bound[id], pl.sub[id] = idx[parent], key
		pl.order = append(pl.order, id)
	}
	sort.SliceStable(pl.order, func(i, j int) bool {
		a, b := pl.order[i], pl.order[j]
		if pl.bound[a] != pl.bound[b] {
			return pl.bound[a] < pl.bound[b]
		}
		if pl.sub[a] != pl.sub[b] {
			return pl.sub[a] < pl.sub[b]
		}
		return roleOrder[v.nodes[a].role] < roleOrder[v.nodes[b].role]
	})
	pl.base = pl.order
	pl.order = pl.nearUsers(pl.base, 0)
	return pl
}

// nearUsers moves each resource of the same boundary and sub-boundary right
// after the first function reaching it (only those reached by at most
// maxUsers functions, when maxUsers > 0), so that a cut between two
// functions leaves most flows on one page.
func (pl *paperLayout) nearUsers(order []string, maxUsers int) []string {
	after := map[string][]string{} // function -> resources placed after it
	placed := map[string]bool{}
	users := map[string]map[string]bool{}
	for _, e := range pl.v.edges {
		if users[e.to] == nil {
			users[e.to] = map[string]bool{}
		}
		users[e.to][e.from] = true
	}
	for _, e := range pl.v.edges {
		from, to := pl.v.nodes[e.from], pl.v.nodes[e.to]
		if from == nil || to == nil || from.role != roleFunction || to.role != roleResource {
			continue
		}
		if placed[e.to] || maxUsers > 0 && len(users[e.to]) > maxUsers || pl.bound[e.from] != pl.bound[e.to] || pl.sub[e.from] != pl.sub[e.to] {
			continue
		}
		placed[e.to] = true
		after[e.from] = append(after[e.from], e.to)
	}
	out := make([]string, 0, len(order))
	for _, id := range order {
		if placed[id] {
			continue
		}
		out = append(out, id)
		out = append(out, after[id]...)
	}
	return out
}

// fit is a measured page.
type fit struct {
	w, h, font float64
}

func (pl *paperLayout) scale(f fit) float64 {
	return math.Min(1, math.Min(pl.o.Width/f.w, pl.o.Height/f.h))
}

func (pl *paperLayout) fits(f fit) bool { return f.font*pl.scale(f) >= pl.o.MinPt-1e-9 }

// partition returns the pages' home elements, in boundary order.
func (pl *paperLayout) partition() ([][]string, error) {
	whole, err := pl.measure(pl.order)
	if err != nil || pl.fits(whole) {
		return [][]string{pl.order}, err
	}
	parts, err := pl.split(pl.order)
	if err != nil || len(parts) <= 2 {
		return parts, err
	}
	// Else pages filled in order, with the resources that many functions
	// reach (logs, tracing) at the end: the fewer pages win.
	hubs := pl.nearUsers(pl.base, 2)
	other, err := pl.pack(hubs)
	if err != nil {
		return nil, err
	}
	if other, err = pl.fold(other, hubs); err != nil || len(other) >= len(parts) {
		return parts, err
	}
	return other, nil
}

// pack fills pages in order: each takes the longest run of the remaining
// elements that fits (found by halving), cut back to the last change of
// boundary when that keeps most of the run.
func (pl *paperLayout) pack(ids []string) ([][]string, error) {
	var out [][]string
	for len(ids) > 0 {
		lo, hi := 1, len(ids)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			f, err := pl.measure(ids[:mid])
			if err != nil {
				return nil, err
			}
			if pl.fits(f) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		cut := lo
		for c := cut; cut < len(ids) && c > cut*6/10 && c > 0; c-- {
			if pl.bound[ids[c]] != pl.bound[ids[c-1]] {
				cut = c
				break
			}
		}
		out = append(out, ids[:cut])
		ids = ids[cut:]
	}
	return out, nil
}

// split halves order at boundaries until every part fits, joins neighbours
// that fit together, and folds small parts into others.
func (pl *paperLayout) split(order []string) ([][]string, error) {
	var leaves [][]string
	if err := pl.bisect(order, &leaves); err != nil {
		return nil, err
	}
	parts, err := pl.merge(leaves)
	if err != nil {
		return nil, err
	}
	return pl.fold(parts, order)
}

// bisect cuts ids in two until each part fits (or is one element).
func (pl *paperLayout) bisect(ids []string, out *[][]string) error {
	if err := pl.ctx.Err(); err != nil {
		return err
	}
	if len(ids) > 1 {
		f, err := pl.measure(ids)
		if err != nil {
			return err
		}
		if !pl.fits(f) {
			cut := pl.cut(ids)
			if err := pl.bisect(ids[:cut], out); err != nil {
				return err
			}
			return pl.bisect(ids[cut:], out)
		}
	}
	*out = append(*out, ids)
	return nil
}

// cut picks where to split ids: at a change of boundary nearest the middle,
// else at a change of sub-boundary in the middle half, else in the middle.
func (pl *paperLayout) cut(ids []string) int {
	n := len(ids)
	dist := func(i int) int { return max(i-n/2, n/2-i) }
	best := func(ok func(i int) bool, lo, hi int) int {
		c := -1
		for i := max(lo, 1); i <= min(hi, n-1); i++ {
			if ok(i) && (c < 0 || dist(i) < dist(c)) {
				c = i
			}
		}
		return c
	}
	if c := best(func(i int) bool { return pl.bound[ids[i]] != pl.bound[ids[i-1]] }, 1, n-1); c > 0 {
		return c
	}
	if c := best(func(i int) bool { return pl.sub[ids[i]] != pl.sub[ids[i-1]] }, n/4, n-n/4); c > 0 {
		return c
	}
	return n / 2
}

// merge joins adjacent parts while the union still fits.
func (pl *paperLayout) merge(leaves [][]string) ([][]string, error) {
	var out [][]string
	cur := leaves[0]
	for _, next := range leaves[1:] {
		joined := append(append([]string(nil), cur...), next...)
		f, err := pl.measure(joined)
		if err != nil {
			return nil, err
		}
		if pl.fits(f) {
			cur = joined
			continue
		}
		out = append(out, cur)
		cur = next
	}
	return append(out, cur), nil
}

// foldMax is the size of a part (in elements) that fold tries to place on
// another page: a small boundary such as the third parties.
const foldMax = 4

// fold moves each small part onto another part it fits with, so a boundary
// of two elements does not take a page of its own.
func (pl *paperLayout) fold(parts [][]string, order []string) ([][]string, error) {
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	for i := len(parts) - 1; i >= 0 && len(parts) > 1; i-- {
		if len(parts[i]) > foldMax {
			continue
		}
		for j := range parts {
			if j == i {
				continue
			}
			joined := append(append([]string(nil), parts[j]...), parts[i]...)
			sort.Slice(joined, func(a, b int) bool { return pos[joined[a]] < pos[joined[b]] })
			f, err := pl.measure(joined)
			if err != nil {
				return nil, err
			}
			if pl.fits(f) {
				parts[j] = joined
				parts = append(parts[:i], parts[i+1:]...)
				break
			}
		}
	}
	return parts, nil
}

// pages draws the parts with their stubs naming the part of the other end.
func (pl *paperLayout) pages(parts [][]string) ([]PaperPage, error) {
	partOf := map[string]int{}
	for i, p := range parts {
		for _, id := range p {
			partOf[id] = i + 1
		}
	}
	titles := pl.titles(parts)
	widths := map[int]bool{} // pixel widths of the parts' bitmaps so far
	var out []PaperPage
	for i, home := range parts {
		g, stubs := pl.graph(home, partOf, len(parts), pl.grouped[strings.Join(home, "\x00")])
		f, err := pl.measure(home) // cached: the layout with stubs named "part 99"
		if err != nil {
			return nil, err
		}
		pg := PaperPage{Part: i + 1, Parts: len(parts), Title: titles[i], Boundaries: pl.boundaryLabels(home),
			Elements: len(home), Stubs: stubs, Width: f.w, Height: f.h, MinFont: f.font, Scale: pl.scale(f)}
		if len(parts) == 1 {
			pg.Title = "whole application"
		}
		if pl.o.DPI > 0 {
			if err := pl.bitmap(g, &pg, widths); err != nil {
				return nil, err
			}
		}
		out = append(out, pg)
	}
	return out, nil
}

// titles names each part after its boundaries; a boundary spread over
// several parts says which of them this one is.
func (pl *paperLayout) titles(parts [][]string) []string {
	spread := map[int][]int{} // boundary -> parts holding it
	for i, p := range parts {
		seen := map[int]bool{}
		for _, id := range p {
			if b := pl.bound[id]; !seen[b] {
				seen[b] = true
				spread[b] = append(spread[b], i)
			}
		}
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		var names []string
		seen := map[int]bool{}
		for _, id := range p {
			b := pl.bound[id]
			if seen[b] {
				continue
			}
			seen[b] = true
			name := boundaryName(boundaryOrder[b])
			if s := spread[b]; len(s) > 1 {
				k := sort.SearchInts(s, i)
				name += fmt.Sprintf(" (%d of %d)", k+1, len(s))
			}
			names = append(names, name)
		}
		out[i] = strings.Join(names, ", ")
	}
	return out
}

func boundaryName(b string) string {
	if l, ok := boundaryLabels[b]; ok {
		return l
	}
	return "outside every boundary"
}

func (pl *paperLayout) boundaryLabels(ids []string) []string {
	var out []string
	seen := map[int]bool{}
	for _, id := range ids {
		if b := pl.bound[id]; !seen[b] {
			seen[b] = true
			out = append(out, boundaryName(boundaryOrder[b]))
		}
	}
	return out
}

// measure lays out the page holding ids (stubs named as if on part 99).
func (pl *paperLayout) measure(ids []string) (fit, error) {
	key := strings.Join(ids, "\x00")
	if f, ok := pl.cache[key]; ok {
		return f, nil
	}
	g, _ := pl.graph(ids, nil, 0, false)
	f, err := pl.layoutSize(g)
	if err != nil {
		return f, err
	}
	if !pl.fits(f) && len(ids) == 1 {
		// One element with more flows than a page holds: one stub per
		// boundary instead of one per element.
		g, _ := pl.graph(ids, nil, 0, true)
		gf, err := pl.layoutSize(g)
		if err != nil {
			return f, err
		}
		if gf.font*pl.scale(gf) > f.font*pl.scale(f) {
			f = gf
			pl.grouped[key] = true
		}
	}
	pl.cache[key] = f
	return f, nil
}

// pngSize reads a PNG's size in pixels.
func pngSize(data []byte) (w, h int, ok bool) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

var (
	svgSizeRe = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)
	svgFontRe = regexp.MustCompile(`font-size="([0-9.]+)"`)
)

// layoutSize renders g as SVG and reads the size of the drawing and its
// smallest font size.
func (pl *paperLayout) layoutSize(g *ggraph) (fit, error) {
	svg, err := render(pl.ctx, g, "svg", 0)
	if err != nil {
		return fit{}, err
	}
	return svgFit(svg)
}

func svgFit(svg []byte) (fit, error) {
	mm := svgSizeRe.FindSubmatch(svg)
	if mm == nil {
		return fit{}, fmt.Errorf("diagram: the SVG has no size")
	}
	w, _ := strconv.ParseFloat(string(mm[1]), 64)
	h, _ := strconv.ParseFloat(string(mm[2]), 64)
	font := math.Inf(1)
	for _, fm := range svgFontRe.FindAllSubmatch(svg, -1) {
		if s, err := strconv.ParseFloat(string(fm[1]), 64); err == nil && s > 0 && s < font {
			font = s
		}
	}
	if math.IsInf(font, 1) {
		font = 0
	}
	if w <= 0 || h <= 0 {
		return fit{}, fmt.Errorf("diagram: the SVG is %gx%g pt", w, h)
	}
	return fit{w: w, h: h, font: font}, nil
}

// graph builds the page holding home: its elements, the flows touching them,
// and the other end of each flow that crosses to another part as a stub;
// with grouped, one stub per boundary stands for all of that boundary's.
func (pl *paperLayout) graph(home []string, partOf map[string]int, parts int, grouped bool) (*ggraph, int) {
	v := pl.v
	in := make(map[string]bool, len(home))
	for _, id := range home {
		in[id] = true
	}
	pv := &view{m: v.m, nodes: map[string]*vnode{}, events: v.events, collapse: v.collapse}
	for _, id := range home {
		pv.nodes[id] = v.nodes[id]
	}
	stubs := map[string][]string{} // stub id -> elements it stands for
	stubOf := func(id string) string {
		if grouped {
			return "stubs:" + strconv.Itoa(pl.bound[id])
		}
		return id
	}
	for _, e := range v.edges {
		a, b := in[e.from], in[e.to]
		if !a && !b {
			continue
		}
		ce := *e
		for _, end := range []*string{&ce.from, &ce.to} {
			if in[*end] || v.nodes[*end] == nil {
				continue
			}
			sid := stubOf(*end)
			if !containsStr(stubs[sid], *end) {
				stubs[sid] = append(stubs[sid], *end)
			}
			if pv.nodes[sid] == nil {
				pv.nodes[sid] = &vnode{id: sid, role: v.nodes[*end].role, res: v.nodes[*end].res, fn: v.nodes[*end].fn,
					entry: v.nodes[*end].entry, tp: v.nodes[*end].tp, client: v.nodes[*end].client, findings: findingCounts{}}
				if !grouped {
					pv.nodes[sid] = v.nodes[*end]
				}
			}
			*end = sid
		}
		pv.edges = append(pv.edges, &ce)
	}
	if grouped {
		pv.edges = mergeEdges(pv.edges)
	}
	g := build(pv)
	g.attrs["label"] = plain("")
	// Closer ranks and rows than on screen: paper has no zoom.
	g.attrs["nodesep"], g.attrs["ranksep"] = plain("0.15"), plain("0.45")
	if len(stubs) > 0 {
		pl.drawStubs(g, stubs, partOf, parts)
	}
	n := 0
	for _, m := range stubs {
		n += len(m)
	}
	return g, n
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mergeEdges joins the flows between the same two nodes of the same kind.
func mergeEdges(in []*vedge) []*vedge {
	merged := map[string]*vedge{}
	var out []*vedge
	for _, e := range in {
		key := e.from + "\x00" + e.to + "\x00" + e.kind
		m := merged[key]
		if m == nil {
			m = &vedge{from: e.from, to: e.to, kind: e.kind, implied: e.implied, access: map[string]bool{}, actions: map[string]bool{},
				labels: map[string]bool{}, details: map[string]bool{}}
			merged[key] = m
			out = append(out, m)
		}
		m.absorb(e)
	}
	sortEdges(out)
	return out
}

// drawStubs moves the stub nodes out of their clusters and draws them as
// dashed grey boxes naming the element (or how many), its boundary and its
// part.
func (pl *paperLayout) drawStubs(g *ggraph, stubs map[string][]string, partOf map[string]int, parts int) {
	names := map[string]string{}
	for id := range stubs {
		names[NodeID(id)] = id
	}
	var moved []*gnode
	var prune func(cs []*gcluster) []*gcluster
	prune = func(cs []*gcluster) []*gcluster {
		out := cs[:0]
		for _, c := range cs {
			kept := c.nodes[:0]
			for _, n := range c.nodes {
				if _, ok := names[n.name]; ok {
					moved = append(moved, n)
				} else {
					kept = append(kept, n)
				}
			}
			c.nodes = kept
			c.clusters = prune(c.clusters)
			if len(c.nodes) > 0 || len(c.clusters) > 0 {
				out = append(out, c)
			}
		}
		return out
	}
	g.clusters = prune(g.clusters)
	kept := g.nodes[:0]
	for _, n := range g.nodes {
		if _, ok := names[n.name]; ok {
			moved = append(moved, n)
		} else {
			kept = append(kept, n)
		}
	}
	g.nodes = kept
	sort.Slice(moved, func(i, j int) bool { return moved[i].name < moved[j].name })
	for _, n := range moved {
		title, where, part := pl.stubText(stubs[names[n.name]], partOf, parts)
		n.attrs = attrs{
			"id":        plain(n.name),
			"class":     plain("stub"),
			"shape":     plain("box"),
			"style":     plain("rounded,dashed,filled"),
			"fillcolor": plain("#ffffff"),
			"color":     plain("#8c8c8c"),
			"label": html(`<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0"><TR><TD ALIGN="LEFT"><FONT COLOR="#444444"><B>` +
				htmlText(title) + `</B></FONT></TD></TR><TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#555555">` +
				htmlText(where+" · drawn on "+part) + `</FONT></TD></TR></TABLE>`),
			"tooltip": plain(tooltip(title, where+": drawn on "+part+" of the diagram")),
		}
	}
	g.nodes = append(g.nodes, moved...)
}

// stubText is what a stub standing for members says: the element (or how
// many), its boundary and the part(s) they are drawn on.
func (pl *paperLayout) stubText(members []string, partOf map[string]int, parts int) (title, where, part string) {
	first := members[0]
	where = boundaryName(boundaryOrder[pl.bound[first]])
	title = truncate(nameOf(pl.v.nodes[first]), 40)
	if len(members) > 1 {
		title = strconv.Itoa(len(members)) + " elements"
	}
	var nums []int
	seen := map[int]bool{}
	for _, id := range members {
		if k := partOf[id]; k > 0 && !seen[k] {
			seen[k] = true
			nums = append(nums, k)
		}
	}
	sort.Ints(nums)
	switch {
	case parts == 0:
		part = "part 99" // measuring: as wide as a real part number
	case len(nums) == 1:
		part = "part " + strconv.Itoa(nums[0])
	case len(nums) > 1:
		ss := make([]string, len(nums))
		for i, k := range nums {
			ss[i] = strconv.Itoa(k)
		}
		part = "parts " + strings.Join(ss, ", ")
	default:
		part = "another part"
	}
	return title, where, part
}

// bitmap renders a part as PNG with o.DPI pixels per inch of paper: the
// drawing is printed at pg.Scale, so it is rendered at that scale. No two
// parts get the same pixel width (one more pixel per inch until they
// differ): the PDF library orders images by width alone, and a tie made the
// PDF's bytes differ from run to run.
func (pl *paperLayout) bitmap(g *ggraph, pg *PaperPage, widths map[int]bool) error {
	dpi := max(1, int(math.Round(float64(pl.o.DPI)*pg.Scale)))
	for try := 0; ; try++ {
		data, err := render(pl.ctx, g, "png", dpi)
		if err != nil {
			return err
		}
		w, h, ok := pngSize(data)
		if ok && widths[w] && try < 4 {
			dpi++
			continue
		}
		pg.PNG = data
		if ok {
			widths[w] = true
			// The real stubs' labels may differ a little in width.
			pg.Width, pg.Height = float64(w)/float64(dpi)*72, float64(h)/float64(dpi)*72
			pg.Scale = pl.scale(fit{w: pg.Width, h: pg.Height})
		}
		return nil
	}
}
