package diagram

// The edges of the diagram: direction, colour, width, label and tooltip
// per kind of flow.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/uniq"
)

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

// edgeLook is how one edge is drawn: its label, colour, pen width, line
// style and tooltip lines.
type edgeLook struct {
	label, colour, width, style string
	tip                         []string
}

func (b *builder) edgeStyle(e *vedge, a attrs) {
	from, to := b.v.nodes[e.from], b.v.nodes[e.to]
	l := &edgeLook{colour: colOther, width: "1", style: "solid", tip: []string{nameOf(from) + " → " + nameOf(to)}}
	labels := sortedSet(e.labels)
	switch {
	case e.implied:
		l.label, l.style = strings.Join(labels, ", "), "dashed"
		l.tip = append(l.tip, "link recorded on the third party ("+l.label+"), no data flow modelled")
	case e.kind == model.EdgeTrigger && from != nil && from.role == roleClient:
		clientFlowLook(l, from, to, labels, a)
	case e.kind == model.EdgeTrigger && from != nil && from.role == roleEntry:
		l.colour = colTrigger
		l.tip = append(l.tip, "invokes")
	case e.kind == model.EdgeTrigger:
		b.triggerLook(l, e, labels)
	case e.kind == model.EdgeAccess && to != nil && to.res != nil && to.res.Kind == "loggroup":
		// Every function writes its logs: drawn quietly, details in the tooltip.
		l.colour, l.width = colLogs, "0.7"
		l.tip = append(l.tip, "logging: "+strings.Join(sortedSet(e.access), ", "))
	case e.kind == model.EdgeAccess:
		accessLook(l, e, labels)
	default:
		otherLook(l, e, labels)
	}
	l.merged(e)
	if l.label != "" {
		a["label"] = html(`<FONT COLOR="` + l.colour + `">` + htmlText(truncate(l.label, 40)) + `</FONT>`)
	}
	a["color"] = plain(l.colour)
	if l.width != "1" {
		a["penwidth"] = plain(l.width)
	}
	if l.style != "solid" {
		a["style"] = plain(l.style)
	}
	a["tooltip"] = plain(tooltip(l.tip...))
}

// clientFlowLook draws a client's call to an entry point: the model labels
// it with the authorization it passes; red when none, teal for a PRIVATE
// API's VPC-endpoint callers.
func clientFlowLook(l *edgeLook, from, to *vnode, labels []string, a attrs) {
	l.colour = colAuthRoute
	a["tailport"] = plain("e") // fan out right of the node, clear of the cluster label
	open := false
	for _, s := range labels {
		if strings.EqualFold(s, "NONE") || s == "" {
			open = true
		}
	}
	if len(labels) == 0 {
		for _, m := range entriesOf(to) {
			open = open || strings.EqualFold(m.Auth, "NONE")
		}
	}
	if open {
		l.colour, l.width = colPublic, "1.5"
		l.tip = append(l.tip, "no authorization")
	}
	if from.client != nil && from.client.Boundary == model.BoundaryVPC {
		l.colour, l.width = colPrivateRoute, "1.2"
		l.tip = append(l.tip, "private API: only callers in a VPC whose interface endpoint the API admits")
		for _, m := range entriesOf(to) {
			if len(m.AllowedFrom) > 0 {
				l.tip = append(l.tip, "resource policy: "+strings.Join(m.AllowedFrom, ", "))
				break
			}
		}
	}
	if others := without(labels, "NONE"); len(others) > 0 {
		l.tip = append(l.tip, "authorization: "+strings.Join(others, ", "))
	}
}

// triggerLook draws a trigger, labelled with its source's words.
func (b *builder) triggerLook(l *edgeLook, e *vedge, labels []string) {
	l.colour = colTrigger
	for i, s := range labels {
		labels[i] = triggerWord(s)
	}
	l.label = strings.Join(uniq.Keep(labels), ", ")
	l.tip = append(l.tip, "trigger: "+l.label)
	l.tip = append(l.tip, b.eventDetails(e)...)
	if len(e.access) > 0 { // a pipe, schedule or rule target: its role's access on the flow
		l.label = strings.TrimSpace(l.label + " (" + accessLetters(e.access) + ")")
		l.tip = append(l.tip, "access: "+strings.Join(sortedSet(e.access), ", "))
		if acts := sortedSet(e.actions); len(acts) > 0 {
			l.tip = append(l.tip, "actions: "+strings.Join(acts[:min(len(acts), 30)], ", "))
		}
	}
}

// accessLook draws IAM access: labelled and coloured by access level, the
// actions in the tooltip.
func accessLook(l *edgeLook, e *vedge, labels []string) {
	l.label = accessLetters(e.access)
	l.colour, l.width = accessColour(e.access)
	levels := sortedSet(e.access)
	if len(levels) == 0 {
		levels = []string{"unknown level"}
	}
	l.tip = append(l.tip, "access: "+strings.Join(levels, ", "))
	acts := sortedSet(e.actions)
	if len(acts) > 0 {
		shown := acts[:min(len(acts), 30)]
		line := fmt.Sprintf("%d actions: %s", len(acts), strings.Join(shown, ", "))
		if len(acts) > 30 {
			line += fmt.Sprintf(" … and %d more", len(acts)-30)
		}
		l.tip = append(l.tip, line)
	}
	for _, s := range labels {
		l.tip = append(l.tip, "via "+s)
	}
}

// otherLook draws outbound calls, invocations, destinations and any other
// kind of flow.
func otherLook(l *edgeLook, e *vedge, labels []string) {
	switch e.kind {
	case model.EdgeOutbound:
		l.label = strings.ToUpper(strings.Join(labels, ", "))
		l.colour, l.style = colOutbound, "dashed"
		l.tip = append(l.tip, "outbound call "+l.label)
	case model.EdgeInvoke:
		l.label, l.colour, l.width = "invoke", "#000000", "1.5"
		l.tip = append(l.tip, "invokes")
	case model.EdgeDestination:
		l.label, l.style = strings.Join(labels, ", "), "dotted"
		if l.label == "" {
			l.label = "destination"
		}
		l.tip = append(l.tip, "destination: "+l.label)
	default:
		l.label = strings.Join(labels, ", ")
		l.tip = append(l.tip, e.kind)
	}
}

// merged adds the count of merged flows and where they are declared.
func (l *edgeLook) merged(e *vedge) {
	if e.count > 1 {
		if l.label != "" {
			l.label += " "
		}
		l.label += "×" + strconv.Itoa(e.count)
		l.tip = append(l.tip, fmt.Sprintf("%d flows merged", e.count))
	}
	for i, s := range e.sources {
		if i == 3 {
			l.tip = append(l.tip, fmt.Sprintf("and %d more places", len(e.sources)-3))
			break
		}
		if w := where(s.File, s.Line); w != "" {
			l.tip = append(l.tip, "declared at "+w)
		}
	}
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
