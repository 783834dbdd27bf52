package diagram

import (
	"fmt"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// fontName is used for layout metrics and as the SVG font-family. It must be
// a single family Graphviz knows: its text width estimates (no system fonts
// in the WebAssembly build) match the name exactly, and any other string,
// such as a CSS-like list "Helvetica,Arial,sans-serif", is measured with
// Times widths, about 10% narrower than the Helvetica/Arial/Liberation Sans
// the browser draws with: legend labels then ran into each other and node
// text out of its badge or box. PNG text is drawn with the Go fonts,
// embedded in the binary (see render.go), so no system font is needed.
const fontName = "Helvetica"

// blastBand is one class of the sequential blast-radius scale (ColorBrewer
// Purples, five classes): functions are filled by their BlastScore (0-100).
type blastBand struct {
	min, max int
	fill     string
	text     string // label colour readable on fill
}

var blastBands = []blastBand{
	{0, 19, "#f2f0f7", "#000000"},
	{20, 39, "#cbc9e2", "#000000"},
	{40, 59, "#9e9ac8", "#000000"},
	{60, 79, "#756bb1", "#ffffff"},
	{80, 100, "#54278f", "#ffffff"},
}

// noBlast fills functions whose blast radius was not computed.
const noBlastFill = "#ffffff"

func bandFor(score int) blastBand {
	for _, b := range blastBands {
		if score <= b.max {
			return b
		}
	}
	return blastBands[len(blastBands)-1]
}

// severities, most severe first, with the badge colours (distinct from the
// purple blast scale so the two never read as one).
var severities = model.Severities

var severityBadge = map[model.Severity][2]string{ // background, text
	"critical": {"#a50026", "#ffffff"},
	"high":     {"#e34a33", "#ffffff"},
	"medium":   {"#fdae61", "#000000"},
	"low":      {"#fee08b", "#000000"},
	"info":     {"#d9d9d9", "#000000"},
}

// findingCounts counts open findings per severity.
type findingCounts map[model.Severity]int

func (c findingCounts) add(o findingCounts) {
	for k, v := range o {
		c[k] += v
	}
}

// top is the most severe level present and its count.
func (c findingCounts) top() (model.Severity, int) {
	for _, s := range severities {
		if c[s] > 0 {
			return s, c[s]
		}
	}
	return "", 0
}

func (c findingCounts) summary() string {
	var parts []string
	for _, s := range severities {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s], s))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "open findings: " + strings.Join(parts, ", ")
}

// badgeCell is the HTML table cell of a findings badge, or "".
func badgeCell(c findingCounts) string {
	sev, n := c.top()
	if n == 0 {
		return ""
	}
	col := severityBadge[sev]
	// Regular, not bold: Graphviz measures bold text with regular widths,
	// and WebKitGTK drew the bold badge up to 1.5 pt wider than its box.
	return fmt.Sprintf(`<TD BGCOLOR="%s" CELLPADDING="2" STYLE="rounded"><FONT COLOR="%s" POINT-SIZE="9">%d %s</FONT></TD>`, col[0], col[1], n, sev)
}

// kindStyle is how a resource kind is drawn.
type kindStyle struct {
	shape string
	fill  string
	word  string // for the legend
}

var resourceStyles = map[string]kindStyle{
	"table":        {"cylinder", "#e5f5e0", "table"},
	"database":     {"cylinder", "#e5f5e0", "database"},
	"cache":        {"cylinder", "#e5f5e0", "cache"},
	"search":       {"cylinder", "#e5f5e0", "search domain"},
	"filesystem":   {"cylinder", "#e5f5e0", "file system"},
	"bucket":       {"folder", "#e5f5e0", "bucket"},
	"queue":        {"cds", "#fff7bc", "queue"},
	"topic":        {"hexagon", "#fff7bc", "topic"},
	"stream":       {"cds", "#fff7bc", "stream"},
	"bus":          {"octagon", "#fff7bc", "event bus"},
	"rule":         {"octagon", "#fff7bc", "rule"},
	"pipe":         {"cds", "#deebf7", "pipe"},
	"schedule":     {"ellipse", "#f7f7f7", "schedule"},
	"statemachine": {"box3d", "#deebf7", "state machine"},
	"function":     {"box", "#f2f0f7", "function (other)"},
	"secret":       {"note", "#fde0dd", "secret"},
	"parameter":    {"note", "#fde0dd", "parameter"},
	"key":          {"invhouse", "#fde0dd", "key"},
	"userpool":     {"house", "#fde0dd", "user pool"},
	"role":         {"pentagon", "#fde0dd", "role"},
	"iot":          {"component", "#deebf7", "IoT"},
	"api":          {"tab", "#deebf7", "API"},
	"ai":           {"component", "#deebf7", "AI service"},
	"email":        {"component", "#deebf7", "email"},
	"loggroup":     {"note", "#f0f0f0", "log group"},
}

var otherStyle = kindStyle{"box", "#f0f0f0", "other resource"}

func styleFor(kind string) kindStyle {
	if s, ok := resourceStyles[kind]; ok {
		return s
	}
	return otherStyle
}

// Shapes of the other node kinds, for the legend too.
const (
	functionShape   = "box"
	routeShape      = "box"
	clientShape     = "ellipse"
	thirdPartyShape = "box"
	scheduleShape   = "ellipse"
)

// accessLetters renders access levels as the edge label: R read, L list,
// W write, T tagging, Perm permissions management; "?" when unknown.
func accessLetters(levels map[string]bool) string {
	var b strings.Builder
	for _, l := range [][2]string{{"read", "R"}, {"list", "L"}, {"write", "W"}, {"tagging", "T"}} {
		if levels[l[0]] {
			b.WriteString(l[1])
		}
	}
	if levels["permissions"] {
		if b.Len() > 0 {
			b.WriteString("+")
		}
		b.WriteString("Perm")
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// Edge colours.
const (
	colTrigger     = "#525252"
	colPublic      = "#d7191c"
	colAuthRoute   = "#1a9641"
	colRead        = "#4575b4"
	colWrite       = "#e66101"
	colPermissions = "#a50026"
	colOutbound    = "#7b3294"
	colOther       = "#737373"
	colLogs        = "#bdbdbd"
)

func accessColour(levels map[string]bool) (string, string) {
	switch {
	case levels["permissions"]:
		return colPermissions, "2"
	case levels["write"] || levels["tagging"] || len(levels) == 0:
		return colWrite, "1.5"
	default:
		return colRead, "1"
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
