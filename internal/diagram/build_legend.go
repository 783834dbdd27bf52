package diagram

// The legend under the diagram and the text saying what the view shows.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/uniq"
)

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
		shapes = append(shapes, w+": "+strings.Join(uniq.Keep(byShape[w]), ", "))
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
