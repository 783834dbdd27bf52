package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// authorizers: an API invokes its Lambda authorizer functions on every request.
func (b *builder) authorizers() {
	add := func(api string, fnArn *yaml.Node, name string, where model.Source) {
		fn := b.fnTarget(b.t.Resolve(fnArn))
		if fn == "" {
			return
		}
		if api == implicitRest || api == implicitHTTP {
			if _, ok := b.res[api]; !ok {
				return // no route uses the implicit API
			}
		}
		b.plainTrigger(fn, api, "Authorizer", name, "authorizer of "+api, b.fns[fn].Condition, where)
	}
	for _, r := range b.t.Resources {
		switch r.Type {
		case "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
			for _, kv := range sam.Pairs(sam.Get(r.Properties, "Auth", "Authorizers")) {
				add(b.node(r.ID), sam.Get(kv.Value, "FunctionArn"), kv.Key, b.src(kv.KeyN, r.ID))
			}
		case "AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer":
			api := b.refNode(b.t.Resolve(firstNonNil(sam.Get(r.Properties, "RestApiId"), sam.Get(r.Properties, "ApiId"))))
			if api != "" {
				add(api, sam.Get(r.Properties, "AuthorizerUri"), r.ID, b.src(r.Node, r.ID))
			}
		}
	}
	for sec, api := range map[string]string{"Api": implicitRest, "HttpApi": implicitHTTP} {
		for _, kv := range sam.Pairs(sam.Get(b.t.Globals[sec], "Auth", "Authorizers")) {
			add(api, sam.Get(kv.Value, "FunctionArn"), kv.Key, b.src(kv.KeyN, api))
		}
	}
}

// connectors models AWS::Serverless::Connector (and the embedded Connectors
// resource attribute): SAM turns them into policies granting the source
// read/write access to the destination.
func (b *builder) connectors() {
	for _, r := range b.t.Resources {
		if r.Type == "AWS::Serverless::Connector" {
			b.connector(r.ID, sam.Get(r.Properties, "Source"), r.Properties, r.Condition, b.src(r.Node, r.ID))
		}
		for _, kv := range sam.Pairs(sam.Get(r.Node, "Connectors")) {
			p := sam.Get(kv.Value, "Properties")
			src := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "Id", Tag: "!!str"}, {Kind: yaml.ScalarNode, Value: r.ID, Tag: "!!str"}}}
			b.connector(r.ID+"."+kv.Key, src, p, r.Condition, b.src(kv.KeyN, r.ID))
		}
	}
}

func (b *builder) connector(name string, srcN, p *yaml.Node, cond string, where model.Source) {
	from := b.endpointID(srcN)
	var access []string
	for _, perm := range b.t.ResolveList(sam.Get(p, "Permissions")) {
		access = append(access, strings.ToLower(perm.Text))
	}
	for _, d := range sam.Items(sam.Get(p, "Destination")) {
		to := b.endpointID(d)
		if from == "" || to == "" {
			continue
		}
		_, srcFn := b.fns[from]
		_, dstFn := b.fns[to]
		switch {
		case srcFn && dstFn:
			b.edge(model.Edge{From: from, To: to, Kind: model.EdgeInvoke, Label: "connector " + name, Condition: cond, Source: where})
		case srcFn:
			b.edge(model.Edge{From: from, To: to, Kind: model.EdgeAccess, Access: access, Label: "connector " + name, Condition: cond, Source: where})
		case dstFn:
			b.plainTrigger(to, from, "Connector", name, strings.Join(access, ","), cond, where)
		default:
			b.edge(model.Edge{From: from, To: to, Kind: model.EdgeAccess, Access: access, Label: "connector " + name, Condition: cond, Source: where})
		}
	}
}

// endpointID reads a connector endpoint ({Id: X} or {Arn: ..., Type: ...}).
func (b *builder) endpointID(n *yaml.Node) string {
	if id := sam.Str(sam.Get(n, "Id")); id != "" {
		return b.node(id)
	}
	if arn := sam.Get(n, "Arn"); arn != nil {
		return b.targetOf(b.t.Resolve(arn))
	}
	return ""
}
