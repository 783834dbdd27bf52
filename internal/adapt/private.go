package adapt

import (
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// ClientVPCEndpoint is the caller of a PRIVATE API: a client in a VPC whose
// interface endpoint the API admits.
const ClientVPCEndpoint = "vpc-endpoint"

// endpointPrivate reads EndpointConfiguration in its three spellings: a
// string (SAM: PRIVATE), {Type: PRIVATE} (SAM) or {Types: [PRIVATE]}
// (AWS::ApiGateway::RestApi). It returns whether the API is PRIVATE and the
// VPC endpoint ids the configuration names.
func (b *builder) endpointPrivate(p *yaml.Node) (bool, []string) {
	ec := sam.Get(p, "EndpointConfiguration")
	if ec == nil {
		return false, nil
	}
	private := false
	if ec.Kind == yaml.ScalarNode || sam.IsIntrinsic(ec) {
		private = strings.EqualFold(b.t.Resolve(ec).Text, "PRIVATE")
	}
	for _, key := range []string{"Type", "Types"} {
		for _, v := range b.t.ResolveList(sam.Get(ec, key)) {
			if strings.EqualFold(v.Text, "PRIVATE") {
				private = true
			}
		}
	}
	var vpces []string
	for _, key := range []string{"VPCEndpointIds", "VpcEndpointIds"} {
		for _, v := range b.t.ResolveList(sam.Get(ec, key)) {
			vpces = mergeKeep(vpces, "aws:SourceVpce "+v.Text)
		}
	}
	return private, vpces
}

// samResourcePolicy reads SAM Auth.ResourcePolicy: who it lets in.
func (b *builder) samResourcePolicy(rp *yaml.Node) (allowed []string, vpcOnly bool) {
	if rp == nil {
		return nil, false
	}
	vpc := false
	for _, c := range []struct{ key, cond string }{
		{"IntrinsicVpceWhitelist", "aws:SourceVpce"}, {"IntrinsicVpcWhitelist", "aws:SourceVpc"},
		{"SourceVpcWhitelist", ""}, {"IpRangeWhitelist", "aws:SourceIp"}, {"AwsAccountWhitelist", "account"},
	} {
		for _, v := range b.t.ResolveList(sam.Get(rp, c.key)) {
			for _, part := range strings.Split(v.Text, ",") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				cond := c.cond
				if cond == "" { // SourceVpcWhitelist takes vpc- and vpce- ids
					cond = "aws:SourceVpc"
					if strings.HasPrefix(part, "vpce-") {
						cond = "aws:SourceVpce"
					}
				}
				allowed = mergeKeep(allowed, cond+" "+part)
				if strings.HasPrefix(cond, "aws:SourceVpc") {
					vpc = true
				}
			}
		}
	}
	cs, csVPC := b.policyAllowedFrom(sam.Get(rp, "CustomStatements"))
	allowed = mergeKeep(allowed, cs...)
	onlyVPC := (vpc || csVPC) && !hasPrefixAny(allowed, "aws:SourceIp", "account")
	return allowed, onlyVPC
}

// policyAllowedFrom reads a resource policy's statements (a document or a
// list of statements): the aws:SourceVpce / aws:SourceVpc / aws:SourceIp
// values of its conditions, as "<key> <value>". vpcOnly is true when every
// such condition is about a VPC or VPC endpoint.
func (b *builder) policyAllowedFrom(doc *yaml.Node) (allowed []string, vpcOnly bool) {
	stmts := sam.Get(doc, "Statement")
	if stmts == nil && doc != nil && doc.Kind == yaml.SequenceNode {
		stmts = doc
	}
	if stmts != nil && stmts.Kind == yaml.MappingNode {
		stmts = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{stmts}}
	}
	vpc, other := false, false
	for _, st := range sam.Items(stmts) {
		for _, op := range sam.Pairs(sam.Get(st, "Condition")) {
			for _, kv := range sam.Pairs(op.Value) {
				key := strings.ToLower(kv.Key)
				var name string
				switch key {
				case "aws:sourcevpce":
					name, vpc = "aws:SourceVpce", true
				case "aws:sourcevpc":
					name, vpc = "aws:SourceVpc", true
				case "aws:sourceip":
					name, other = "aws:SourceIp", true
				default:
					continue
				}
				negated := strings.Contains(strings.ToLower(op.Key), "not")
				allowEffect := strings.EqualFold(firstText(b.t.Resolve(sam.Get(st, "Effect")).Text, "Allow"), "Allow")
				if negated == allowEffect { // Allow if not X / Deny if X: X is kept out
					for _, v := range b.t.ResolveList(kv.Value) {
						allowed = mergeKeep(allowed, "not "+name+" "+v.Text)
					}
					continue
				}
				for _, v := range b.t.ResolveList(kv.Value) {
					allowed = mergeKeep(allowed, name+" "+v.Text)
				}
			}
		}
	}
	sort.Strings(allowed)
	return allowed, vpc && !other
}

func hasPrefixAny(list []string, prefixes ...string) bool {
	for _, s := range list {
		for _, p := range prefixes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
	}
	return false
}

// apiReach records an API's endpoint type and resource policy on its apiInfo.
func (b *builder) apiReach(a *apiInfo, p *yaml.Node, samAPI bool) {
	private, vpces := b.endpointPrivate(p)
	var allowed []string
	vpcOnly := false
	if samAPI {
		allowed, vpcOnly = b.samResourcePolicy(sam.Get(p, "Auth", "ResourcePolicy"))
	} else {
		allowed, vpcOnly = b.policyAllowedFrom(sam.Get(p, "Policy"))
	}
	if private && len(allowed) == 0 {
		allowed = vpces
	}
	a.private = private
	a.vpcOnly = vpcOnly
	sort.Strings(allowed)
	a.allowedFrom = allowed
}

// privateClients adds the VPC-endpoint client and its edges to every
// private route (called by finish instead of the internet edges).
func (b *builder) privateClients() {
	added := false
	for _, ep := range b.m.EntryPoints {
		if !ep.Private {
			continue
		}
		if !added {
			b.m.Clients = append(b.m.Clients, &model.Client{ID: ClientVPCEndpoint, Label: "Clients in a VPC (interface endpoint)", Boundary: model.BoundaryVPC})
			added = true
		}
		b.edge(model.Edge{From: ClientVPCEndpoint, To: ep.ID, Kind: model.EdgeTrigger, Label: ep.Auth, Condition: ep.Condition, Source: ep.Source})
	}
}
