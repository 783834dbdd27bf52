package main

import (
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// The private APIs measure.

func private(m *model.Model, t *sam.Template, c *Count) {
	priv := map[string]bool{}
	if isPrivate(t, t.Globals["Api"]) {
		priv["ServerlessRestApi"] = true
	}
	for _, r := range t.Resources {
		switch r.Type {
		case "AWS::Serverless::Api", "AWS::ApiGateway::RestApi":
			if isPrivate(t, r.Properties) {
				priv[r.ID] = true
			}
		}
	}
	if len(priv) == 0 {
		return
	}
	internet := map[string]bool{}
	for _, cl := range m.Clients {
		if cl.Boundary == model.BoundaryInternet {
			internet[cl.ID] = true
		}
	}
	reached := map[string]bool{}
	for _, e := range m.Edges {
		if internet[e.From] {
			reached[e.To] = true
		}
	}
	for _, ep := range m.EntryPoints {
		if !priv[ep.API] {
			continue
		}
		why := ""
		switch {
		case ep.Public:
			why = "public"
		case reached[ep.ID]:
			why = "reached from the internet"
		}
		c.add(why == "", ep.ID+": "+why)
	}
}

func isPrivate(t *sam.Template, p *yaml.Node) bool {
	ec := sam.Get(p, "EndpointConfiguration")
	if ec == nil {
		return false
	}
	if ec.Kind == yaml.ScalarNode || sam.IsIntrinsic(ec) {
		return strings.EqualFold(t.Resolve(ec).Text, "PRIVATE")
	}
	for _, k := range []string{"Type", "Types"} {
		n := sam.Get(ec, k)
		if n == nil {
			continue
		}
		if n.Kind == yaml.SequenceNode {
			for _, it := range sam.Items(n) {
				if strings.EqualFold(t.Resolve(it).Text, "PRIVATE") {
					return true
				}
			}
		} else if strings.EqualFold(t.Resolve(n).Text, "PRIVATE") {
			return true
		}
	}
	return false
}
