package diagram

import (
	"context"
	"testing"

	"github.com/goccy/go-graphviz/cgraph"

	"github.com/samthreat/samthreat/internal/model"
)

// FuzzTemplateText puts arbitrary text wherever a template's words reach the
// diagram (logical ids, types, paths, hosts, labels, the description): the
// DOT must parse with Graphviz's parser and the SVG must be well-formed with
// only Graphviz's own markup. go test runs the seeds; go test -fuzz explores.
func FuzzTemplateText(f *testing.F) {
	for _, s := range []string{"", "plain", `<script>alert(1)</script>`, `a"b\"c\`, "&nbsp;&#0;&#x41;&amp;", `\N\G\E\T\H\L\n\l\r`,
		"\x00\x01\x1f\x7f", "\xff\xfe", "]]><!--", "emoji 🚀 ñ", "<TABLE><TR><TD>x</TD></TR></TABLE>", "-", "_5F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 200 {
			s = s[:200]
		}
		m := &model.Model{Template: s, Description: s,
			Clients:      []*model.Client{{ID: "internet", Label: s, Boundary: model.BoundaryInternet}},
			Functions:    []*model.Function{{ID: "F" + s, Type: s, Runtime: s, Handler: s, CodeURI: s, File: s, Blast: blastOf(len(s) % 101)}},
			Resources:    []*model.Resource{{ID: "R" + s, Type: s, Kind: s, Boundary: s, File: s}},
			EntryPoints:  []*model.EntryPoint{{ID: "E" + s, Kind: "route", API: "A" + s, APIType: s, Method: s, Path: s, Auth: s, Public: true, Function: "F" + s}},
			ThirdParties: []*model.ThirdParty{{ID: "T" + s, Host: s, URL: s, Kind: model.ThirdPartyKind(s), Via: s, Functions: []string{"F" + s}}},
			Findings:     []*model.Finding{{Severity: model.Severity(s), Resource: "F" + s}, {Severity: "high", Resource: "R" + s}},
		}
		m.Edges = []*model.Edge{
			{From: "internet", To: "E" + s, Kind: model.EdgeTrigger, Label: s},
			{From: "E" + s, To: "F" + s, Kind: model.EdgeTrigger, Label: s},
			{From: "F" + s, To: "R" + s, Kind: model.EdgeAccess, Access: []string{s}, Actions: []string{s}, Label: s},
			{From: "R" + s, To: "F" + s, Kind: model.EdgeTrigger, Label: s},
			{From: "F" + s, To: "X" + s, Kind: s, Label: s},
		}
		for _, o := range []Options{{}, {Focus: "F" + s}, {Collapse: CollapseTrigger}} {
			dot, err := DOT(m, o)
			if err != nil {
				t.Fatalf("%+v: %v", o, err)
			}
			g, err := cgraph.ParseBytes(dot)
			if err != nil {
				t.Fatalf("%+v: Graphviz cannot parse the DOT: %v\n%s", o, err, dot)
			}
			g.Close()
			o.Format = "svg"
			svg, err := Render(context.Background(), m, o)
			if err != nil {
				t.Fatalf("%+v: %v", o, err)
			}
			checkSVG(t, svg)
		}
	})
}
