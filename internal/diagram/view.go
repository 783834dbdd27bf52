package diagram

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Node roles in a view.
const (
	roleClient     = "client"
	roleEntry      = "entry"
	roleFunction   = "function"
	roleResource   = "resource"
	roleThirdParty = "third-party"
	roleMissing    = "missing" // an edge end the model does not describe
)

// vnode is one node of a view: a model element, or a group of them in a
// collapsed view.
type vnode struct {
	id       string // model id, or a synthetic group id
	role     string
	fn       *model.Function
	res      *model.Resource
	entry    *model.EntryPoint
	tp       *model.ThirdParty
	client   *model.Client
	members  []*vnode // non-empty for a group
	groupKey string   // what the members share, for the label
	findings findingCounts
}

func (n *vnode) isGroup() bool { return len(n.members) > 0 }

// vedge is one data flow of a view; in a collapsed view it merges the model
// edges between the same two (group) nodes.
type vedge struct {
	from, to string
	kind     string
	access   map[string]bool
	actions  map[string]bool
	labels   map[string]bool
	details  map[string]bool
	sources  []model.Source
	implied  bool // drawn from ThirdParty.Functions, no model edge
	count    int
}

// view is what gets drawn.
type view struct {
	m        *model.Model
	nodes    map[string]*vnode
	edges    []*vedge
	focus    string                 // model id of the focused element, or ""
	collapse string                 // grouping applied ("" = none)
	events   map[string]model.Event // entry point id -> the event that declared it

	apis map[string]string            // function -> API of its first route (cache)
	keys map[string]map[string]string // mode -> function -> group key (cache)
}

// newView indexes every model element and edge.
func newView(m *model.Model) *view {
	v := &view{m: m, nodes: map[string]*vnode{}, events: map[string]model.Event{}}
	findings := openFindings(m)
	v.addElements(findings)
	linked := v.addEdges(findings)
	v.addImplied(linked)
	sortEdges(v.edges)
	return v
}

// openFindings counts the open findings of each element by severity.
func openFindings(m *model.Model) map[string]findingCounts {
	findings := map[string]findingCounts{}
	for _, f := range m.Findings {
		if f == nil || f.Suppressed || (f.Triage != nil && f.Triage.Status != "" && f.Triage.Status != "open") {
			continue
		}
		if findings[f.Resource] == nil {
			findings[f.Resource] = findingCounts{}
		}
		findings[f.Resource][model.Severity(strings.ToLower(string(f.Severity)))]++
	}
	return findings
}

// add indexes a node once, with its open findings.
func (v *view) add(n *vnode, findings map[string]findingCounts) {
	if n.id == "" {
		return
	}
	if _, dup := v.nodes[n.id]; dup {
		return
	}
	n.findings = findings[n.id]
	if n.findings == nil {
		n.findings = findingCounts{}
	}
	v.nodes[n.id] = n
}

// addElements indexes the model's clients, entry points, functions (and
// their events), resources and third parties.
func (v *view) addElements(findings map[string]findingCounts) {
	m := v.m
	for _, c := range m.Clients {
		if c != nil {
			v.add(&vnode{id: c.ID, role: roleClient, client: c}, findings)
		}
	}
	for _, e := range m.EntryPoints {
		if e != nil {
			v.add(&vnode{id: e.ID, role: roleEntry, entry: e}, findings)
		}
	}
	for _, f := range m.Functions {
		if f == nil {
			continue
		}
		v.add(&vnode{id: f.ID, role: roleFunction, fn: f}, findings)
		for _, ev := range f.Events {
			v.events[f.ID+" "+ev.Name] = ev
		}
	}
	for _, r := range m.Resources {
		if r != nil {
			v.add(&vnode{id: r.ID, role: roleResource, res: r}, findings)
		}
	}
	for _, t := range m.ThirdParties {
		if t != nil {
			v.add(&vnode{id: t.ID, role: roleThirdParty, tp: t}, findings)
		}
	}
}

// addEdges indexes the model's edges (an end the model does not describe
// becomes a "missing" node) and returns the pairs they link, both ways.
func (v *view) addEdges(findings map[string]findingCounts) map[[2]string]bool {
	linked := map[[2]string]bool{}
	for _, e := range v.m.Edges {
		if e == nil || e.From == "" || e.To == "" {
			continue
		}
		for _, end := range []string{e.From, e.To} {
			if v.nodes[end] == nil {
				v.add(&vnode{id: end, role: roleMissing}, findings)
			}
		}
		ve := &vedge{from: e.From, to: e.To, kind: e.Kind, access: map[string]bool{}, actions: map[string]bool{},
			labels: map[string]bool{}, details: map[string]bool{}, count: 1}
		for _, a := range e.Access {
			ve.access[a] = true
		}
		for _, a := range e.Actions {
			ve.actions[a] = true
		}
		if e.Label != "" {
			ve.labels[e.Label] = true
		}
		ve.sources = append(ve.sources, e.Source)
		v.edges = append(v.edges, ve)
		linked[[2]string{e.From, e.To}] = true
		linked[[2]string{e.To, e.From}] = true
	}
	return linked
}

// addImplied draws the third parties the model links to functions without
// an edge (foreign accounts, foreign layers) as implied, dashed links.
func (v *view) addImplied(linked map[[2]string]bool) {
	for _, t := range v.m.ThirdParties {
		if t == nil {
			continue
		}
		for _, f := range t.Functions {
			if v.nodes[f] == nil || linked[[2]string{f, t.ID}] {
				continue
			}
			v.edges = append(v.edges, &vedge{from: f, to: t.ID, kind: "uses", access: map[string]bool{}, actions: map[string]bool{},
				labels: map[string]bool{impliedLabel(t.Kind): true}, details: map[string]bool{}, implied: true, count: 1, sources: []model.Source{t.Source}})
			linked[[2]string{f, t.ID}] = true
		}
	}
}

func impliedLabel(kind model.ThirdPartyKind) string {
	switch kind {
	case model.ThirdPartyForeignLayer:
		return "layer"
	case model.ThirdPartyForeignAccount:
		return "trusts"
	case model.ThirdPartyHTTP:
		return "calls"
	}
	return string(kind)
}

func sortEdges(es []*vedge) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return edgeTieKey(a) < edgeTieKey(b)
	})
}

// edgeTieKey orders edges between the same two nodes of the same kind by
// everything else they carry, so the order never depends on the model's.
func edgeTieKey(e *vedge) string {
	var b strings.Builder
	for _, set := range []map[string]bool{e.labels, e.access, e.actions, e.details} {
		b.WriteString(strings.Join(sortedSet(set), ","))
		b.WriteByte(0)
	}
	fmt.Fprintf(&b, "%t\x00%d", e.implied, e.count)
	for _, s := range e.sources {
		fmt.Fprintf(&b, "\x00%s:%d:%d", s.File, s.Line, s.Column)
	}
	return b.String()
}

// ids lists node ids, sorted.
func (v *view) ids() []string {
	out := make([]string, 0, len(v.nodes))
	for id := range v.nodes {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// counts reports the number of function and of all nodes.
func (v *view) counts() (functions, all int) {
	for _, n := range v.nodes {
		if n.role == roleFunction {
			functions++
		}
	}
	return functions, len(v.nodes)
}

// keep restricts the view to the given node ids and the edges between them.
func (v *view) keep(ids map[string]bool) {
	v.apis, v.keys = nil, nil
	for id := range v.nodes {
		if !ids[id] {
			delete(v.nodes, id)
		}
	}
	out := v.edges[:0]
	for _, e := range v.edges {
		if ids[e.from] && ids[e.to] {
			out = append(out, e)
		}
	}
	v.edges = out
}

// ---- focus

// UnknownIDError is returned for a --focus id the model does not have; it
// names the closest ids so a typo is easy to fix.
type UnknownIDError struct {
	ID          string
	Suggestions []string
}

func (e *UnknownIDError) Error() string {
	msg := fmt.Sprintf("unknown focus id %q: no function, resource, entry point or third party has it", e.ID)
	if len(e.Suggestions) > 0 {
		msg += " (did you mean " + strings.Join(e.Suggestions, ", ") + "?)"
	}
	return msg
}

// resolve finds the node for a user-typed id: exact, else a unique
// case-insensitive match.
func (v *view) resolve(id string) (string, error) {
	if n := v.nodes[id]; n != nil && n.role != roleMissing {
		return id, nil
	}
	var ci []string
	for _, k := range v.ids() {
		if strings.EqualFold(k, id) && v.nodes[k].role != roleMissing {
			ci = append(ci, k)
		}
	}
	if len(ci) == 1 {
		return ci[0], nil
	}
	return "", &UnknownIDError{ID: id, Suggestions: v.suggest(id)}
}

// suggest lists up to five ids closest to id (edit distance, then prefix or
// substring matches), most similar first.
func (v *view) suggest(id string) []string {
	type cand struct {
		id   string
		dist int
	}
	low := strings.ToLower(id)
	var cs []cand
	for _, k := range v.ids() {
		if v.nodes[k].role == roleMissing {
			continue
		}
		kl := strings.ToLower(k)
		d := editDistance(low, kl)
		limit := max(2, len([]rune(id))/3)
		if d <= limit || (len(low) >= 3 && strings.Contains(kl, low)) {
			cs = append(cs, cand{k, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].id < cs[j].id
	})
	var out []string
	for i := 0; i < len(cs) && i < 5; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// carries reports whether a flow lets whoever controls its source act on its
// target beyond reading it: anything but a read/list-only access. Reaching a
// resource this way can go on to what the resource triggers.
func (e *vedge) carries() bool {
	if e.kind != model.EdgeAccess {
		return true
	}
	if len(e.access) == 0 {
		return true // unknown level: assume the worst
	}
	for a := range e.access {
		if a != model.AccessRead && a != model.AccessList {
			return true
		}
	}
	return false
}

// applyFocus keeps the focused element and:
//   - a function, entry point or client: everything it can reach (following
//     flows forward, through resources only where it can write), plus what
//     triggers it (one step back, with the clients of its routes);
//   - a resource or third party: everything that can reach it (following
//     flows backward), plus what it triggers directly;
//   - an API: its routes and everything they reach.
func (v *view) applyFocus(id string) {
	fw := v.newFocusWalk(id)
	n := v.nodes[id]
	switch {
	case n.role == roleResource && n.res != nil && n.res.Kind == "api":
		fw.api(id)
	case n.role == roleResource || n.role == roleThirdParty || n.role == roleMissing:
		fw.backward(id)
		for _, e := range fw.out[id] {
			fw.keep[e.to] = true
		}
	default:
		fw.forward(id)
		fw.triggers(id)
	}
	v.keep(fw.keep)
	v.focus = id
}

// focusWalk follows flows from or to the focused element.
type focusWalk struct {
	v       *view
	out, in map[string][]*vedge
	keep    map[string]bool
}

func (v *view) newFocusWalk(id string) *focusWalk {
	fw := &focusWalk{v: v, out: map[string][]*vedge{}, in: map[string][]*vedge{}, keep: map[string]bool{id: true}}
	for _, e := range v.edges {
		fw.out[e.from] = append(fw.out[e.from], e)
		fw.in[e.to] = append(fw.in[e.to], e)
	}
	return fw
}

// forward keeps everything the starts reach, through resources only where
// the flow can write.
func (fw *focusWalk) forward(starts ...string) {
	for _, s := range starts {
		fw.keep[s] = true
	}
	breadthFirst(starts, func(cur string) []string {
		var next []string
		for _, e := range fw.out[cur] {
			fw.keep[e.to] = true
			n := fw.v.nodes[e.to]
			if n == nil || n.role == roleThirdParty || n.role == roleMissing {
				continue
			}
			if n.role == roleResource && !e.carries() {
				continue
			}
			next = append(next, e.to)
		}
		return next
	})
}

// backward keeps everything that can reach start.
func (fw *focusWalk) backward(start string) {
	breadthFirst([]string{start}, func(cur string) []string {
		var next []string
		for _, e := range fw.in[cur] {
			if cur != start && fw.v.nodes[cur].role == roleResource && !e.carries() {
				continue // reading an intermediate resource does not reach the focus
			}
			fw.keep[e.from] = true
			next = append(next, e.from)
		}
		return next
	})
}

// breadthFirst visits every node reachable from starts once, in breadth-first
// order; next returns a node's successors to visit.
func breadthFirst(starts []string, next func(cur string) []string) {
	queue := append([]string(nil), starts...)
	seen := map[string]bool{}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if seen[cur] {
			continue
		}
		seen[cur] = true
		queue = append(queue, next(cur)...)
	}
}

// api keeps an API's routes, their callers and everything they reach.
func (fw *focusWalk) api(id string) {
	var routes []string
	for _, k := range fw.v.ids() {
		if e := fw.v.nodes[k].entry; e != nil && e.API == id {
			routes = append(routes, k)
		}
	}
	fw.forward(routes...)
	for _, r := range routes {
		for _, e := range fw.in[r] {
			fw.keep[e.from] = true
		}
	}
	fw.forward(id)
}

// triggers keeps what triggers id (one step back) and the clients of the
// routes among them.
func (fw *focusWalk) triggers(id string) {
	for _, e := range fw.in[id] {
		fw.keep[e.from] = true
		for _, e2 := range fw.in[e.from] {
			if fw.v.nodes[e.from].role == roleEntry {
				fw.keep[e2.from] = true
			}
		}
	}
}

// ---- collapse

// Collapse modes.
const (
	CollapseAuto    = ""
	CollapseNone    = "none"
	CollapseAPI     = "api"
	CollapseTrigger = "trigger"
	CollapseCodeURI = "codeuri"
)

// AutoCollapseFunctions and AutoCollapseNodes are the thresholds above which
// the default view is collapsed: beyond about forty functions (or 150 nodes
// in all) a flat diagram no longer fits a screen or a wall legibly, and
// Graphviz's layout time grows quickly.
const (
	AutoCollapseFunctions = 40
	AutoCollapseNodes     = 150
)

// maxGroups bounds the number of function groups a mode aims for; CodeUri
// folders are merged upwards until they fit, and auto mode prefers the mode
// with the most groups within it.
const maxGroups = 30

// resourceGroupMin is how many resources of one kind a collapsed view keeps
// as separate nodes; more are drawn as one node per kind.
const resourceGroupMin = 8

// functionKeys returns the group each function belongs to in a mode.
func (v *view) functionKeys(mode string) map[string]string {
	if k, ok := v.keys[mode]; ok {
		return k
	}
	if v.keys == nil {
		v.keys = map[string]map[string]string{}
	}
	keys := map[string]string{}
	v.keys[mode] = keys
	fns := []*model.Function{}
	for _, id := range v.ids() {
		if n := v.nodes[id]; n.role == roleFunction && n.fn != nil {
			fns = append(fns, n.fn)
		}
	}
	switch mode {
	case CollapseAPI:
		for _, f := range fns {
			if api := v.apiOf(f.ID); api != "" {
				keys[f.ID] = "API " + api
			} else {
				keys[f.ID] = triggerKey(f)
			}
		}
	case CollapseTrigger:
		for _, f := range fns {
			keys[f.ID] = triggerKey(f)
		}
	case CollapseCodeURI:
		dirs := map[string]string{}
		for _, f := range fns {
			dirs[f.ID] = codeKey(f)
		}
		for depth := 0; depth < 16; depth++ {
			distinct := map[string]bool{}
			for _, d := range dirs {
				distinct[d] = true
			}
			if len(distinct) <= maxGroups {
				break
			}
			for id, d := range dirs {
				if strings.HasPrefix(d, "code ") {
					if p := path.Dir(strings.TrimPrefix(d, "code ")); p != "." && p != "/" {
						dirs[id] = "code " + p
					} else {
						dirs[id] = "code ."
					}
				}
			}
		}
		for id, d := range dirs {
			keys[id] = d
		}
	}
	return keys
}

// apiOf is the API (logical id) of the first route reaching a function.
func (v *view) apiOf(fn string) string {
	if v.apis == nil {
		v.apis = map[string]string{}
		for _, n := range v.nodes {
			if e := n.entry; e != nil && e.API != "" {
				if cur, ok := v.apis[e.Function]; !ok || e.API < cur {
					v.apis[e.Function] = e.API
				}
			}
		}
	}
	return v.apis[fn]
}

func triggerKey(f *model.Function) string {
	types := map[string]bool{}
	for _, e := range f.Events {
		if e.Type != "" {
			types[e.Type] = true
		}
	}
	if f.URL != nil {
		types["FunctionURL"] = true
	}
	if len(types) == 0 {
		return "no trigger"
	}
	return "trigger " + strings.Join(sortedSet(types), "+")
}

func codeKey(f *model.Function) string {
	switch {
	case f.InlineCode:
		return "inline code"
	case f.PackageType == "Image" || f.ImageURI != "":
		return "container image"
	case f.CodeURI == "":
		return "code ."
	}
	u := strings.ReplaceAll(f.CodeURI, `\`, "/")
	u = strings.TrimPrefix(u, "./")
	return "code " + path.Clean(u)
}

// chooseAuto picks the grouping for an automatically collapsed view: the mode
// giving the most function groups within maxGroups (API first on a tie, then
// trigger, then CodeUri folder).
func (v *view) chooseAuto() string {
	best, bestN := CollapseTrigger, -1
	for _, mode := range []string{CollapseAPI, CollapseTrigger, CollapseCodeURI} {
		distinct := map[string]bool{}
		for _, k := range v.functionKeys(mode) {
			distinct[k] = true
		}
		n := len(distinct)
		if n <= maxGroups && n > bestN {
			best, bestN = mode, n
		}
	}
	return best
}

// applyCollapse groups functions by mode, routes by API, and resources and
// third parties by kind where a kind has more than resourceGroupMin members.
// A group of one stays the element itself.
func (v *view) applyCollapse(mode string) {
	gr := v.collapseGroups(mode)
	gr.replace(v)
	v.edges = mergeCollapsed(v.edges, gr.groupOf)
	v.collapse = mode
}

// grouping is which group each member of a collapsed view joins.
type grouping struct {
	groupOf map[string]string // member id -> group id
	groups  map[string]*vnode
}

func (gr *grouping) join(member *vnode, gid, key, role string) {
	g := gr.groups[gid]
	if g == nil {
		g = &vnode{id: gid, role: role, groupKey: key, findings: findingCounts{}}
		gr.groups[gid] = g
	}
	g.members = append(g.members, member)
	g.findings.add(member.findings)
	gr.groupOf[member.id] = gid
}

// collapseGroups puts functions in their mode's groups, routes in their
// API's (other entry points by kind), and resources and third parties in
// one group per kind where the kind has more than resourceGroupMin members.
func (v *view) collapseGroups(mode string) *grouping {
	gr := &grouping{groupOf: map[string]string{}, groups: map[string]*vnode{}}
	for id, key := range v.functionKeys(mode) {
		gr.join(v.nodes[id], "group:"+mode+":"+key, key, roleFunction)
	}
	kindCount := map[string]int{}
	for _, n := range v.nodes {
		switch n.role {
		case roleResource:
			kindCount["resource:"+n.res.Kind]++
		case roleThirdParty:
			kindCount["third-party:"+string(n.tp.Kind)]++
		}
	}
	for _, id := range v.ids() {
		n := v.nodes[id]
		switch n.role {
		case roleEntry:
			e := n.entry
			switch {
			case e.API != "":
				gr.join(n, "group:routes:"+e.API, e.API, roleEntry)
			default:
				gr.join(n, "group:entries:"+e.Kind, e.Kind, roleEntry)
			}
		case roleResource:
			if k := "resource:" + n.res.Kind; kindCount[k] > resourceGroupMin {
				gr.join(n, "group:"+k, n.res.Kind, roleResource)
			}
		case roleThirdParty:
			if k := "third-party:" + string(n.tp.Kind); kindCount[k] > resourceGroupMin {
				gr.join(n, "group:"+k, string(n.tp.Kind), roleThirdParty)
			}
		}
	}
	return gr
}

// replace puts each group of two or more in place of its members; a group of
// one stays the element itself.
func (gr *grouping) replace(v *view) {
	for gid, g := range gr.groups {
		if len(g.members) == 1 {
			delete(gr.groupOf, g.members[0].id)
			continue
		}
		sort.Slice(g.members, func(i, j int) bool { return g.members[i].id < g.members[j].id })
		for _, m := range g.members {
			delete(v.nodes, m.id)
		}
		v.nodes[gid] = g
	}
}

// mergeCollapsed moves the edges onto the groups and merges those between
// the same two nodes of the same kind (triggers between ungrouped nodes
// only when their labels agree); flows inside one group are dropped.
func mergeCollapsed(edges []*vedge, groupOf map[string]string) []*vedge {
	mapID := func(id string) string {
		if g, ok := groupOf[id]; ok {
			return g
		}
		return id
	}
	merged := map[string]*vedge{}
	var out []*vedge
	for _, e := range edges {
		from, to := mapID(e.from), mapID(e.to)
		if from == to {
			continue // a flow inside one group
		}
		key := from + "\x00" + to + "\x00" + e.kind
		if e.kind == model.EdgeTrigger && groupOf[e.from] == "" && groupOf[e.to] == "" {
			key += "\x00" + strings.Join(sortedSet(e.labels), ",")
		}
		m := merged[key]
		if m == nil {
			m = &vedge{from: from, to: to, kind: e.kind, implied: e.implied, access: map[string]bool{}, actions: map[string]bool{},
				labels: map[string]bool{}, details: map[string]bool{}}
			merged[key] = m
			out = append(out, m)
		}
		m.absorb(e)
	}
	sortEdges(out)
	return out
}

// absorb adds e's count, access, actions, labels, details and (up to 20)
// sources to a merged edge.
func (m *vedge) absorb(e *vedge) {
	m.count += e.count
	for k := range e.access {
		m.access[k] = true
	}
	for k := range e.actions {
		m.actions[k] = true
	}
	for k := range e.labels {
		m.labels[k] = true
	}
	for k := range e.details {
		m.details[k] = true
	}
	if len(m.sources) < 20 {
		m.sources = append(m.sources, e.sources...)
	}
}
