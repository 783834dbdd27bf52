// Package adapt turns a parsed template into the threat model, one file per
// SAM/CloudFormation resource family. Rules, blast radius and reports never
// read raw YAML for what is modelled here.
package adapt

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// builder holds one Build's state.
type builder struct {
	t     *sam.Template
	m     *model.Model
	fns   map[string]*model.Function
	res   map[string]*model.Resource
	eps   map[string]*model.EntryPoint
	tps   map[string]*model.ThirdParty
	edges map[string]*model.Edge
	apis  map[string]*apiInfo
	// names maps literal physical names (BucketName, TableName...) to logical ids.
	names map[string]string
	// roleUsed marks the roles a modelled principal assumes (functions,
	// state machines, integrations...): the others become kind "role".
	roleUsed map[string]bool
	// accountARNs keeps the first ARN seen for each foreign account a grant
	// targets ("account:<id>"), for the third party's Via.
	accountARNs map[string]string
}

// Build models a parsed template.
func Build(t *sam.Template) (m *model.Model, err error) {
	if t == nil {
		return nil, fmt.Errorf("adapt: no template")
	}
	defer func() {
		if r := recover(); r != nil { // never a stack trace for a template
			m, err = nil, &sam.Error{File: t.File, Msg: fmt.Sprintf("cannot model template: %v", r)}
		}
	}()
	b := &builder{
		t: t,
		m: &model.Model{Template: t.File, Description: t.Description, SAM: t.IsSAM(), TemplateText: string(t.Data),
			Functions: []*model.Function{}, Resources: []*model.Resource{}, EntryPoints: []*model.EntryPoint{},
			ThirdParties: []*model.ThirdParty{}, Clients: []*model.Client{}, Edges: []*model.Edge{}, Findings: []*model.Finding{}},
		fns: map[string]*model.Function{}, res: map[string]*model.Resource{}, eps: map[string]*model.EntryPoint{},
		tps: map[string]*model.ThirdParty{}, edges: map[string]*model.Edge{}, apis: map[string]*apiInfo{}, names: map[string]string{},
		roleUsed: map[string]bool{}, accountARNs: map[string]string{},
	}
	for _, p := range t.Parameters {
		if p.NoEcho && p.Default != nil {
			b.m.NoEchoDefaults = append(b.m.NoEchoDefaults, model.TemplateSecret{Value: sam.Str(p.Default), Line: p.Default.Line})
		}
	}
	for _, n := range t.Notes {
		b.diagAt("info", model.Source{File: t.File, Line: n.Line}, "%s", n.Msg)
	}
	b.nodes()
	b.checkTypes()
	for _, f := range b.m.Functions {
		b.crossCheckFunction(f)
	}
	b.readAPIs()
	for _, f := range b.m.Functions {
		b.functionEvents(f)
	}
	b.webSocketRoutes()
	b.wiring()
	b.authorizers()
	b.connectors()
	b.stateMachines()
	for _, f := range b.m.Functions {
		b.permissions(f)
	}
	b.stateMachinePermissions()
	b.otherRoles()
	b.logGroups()
	b.thirdParties()
	b.finish()
	return b.m, nil
}

// nodes creates a Function or Resource for every data-flow node, in file order.
func (b *builder) nodes() {
	for _, r := range b.t.Resources {
		k := catalogs.KindOf(r.Type)
		b.indexName(r)
		if k.Kind == "function" {
			f := b.function(r)
			b.m.Functions = append(b.m.Functions, f)
			b.fns[f.ID] = f
			continue
		}
		if k.IsNode() {
			b.resource(r)
		}
	}
}

var nameProps = []string{"BucketName", "TableName", "QueueName", "TopicName", "StateMachineName", "Name",
	"StreamName", "EventBusName", "FunctionName", "DomainName", "SecretName", "DeliveryStreamName", "UserPoolName"}

func (b *builder) indexName(r *sam.Resource) {
	for _, p := range nameProps {
		if v := b.t.Resolve(sam.Get(r.Properties, p)); v.Known && v.Text != "" {
			b.names[v.Text] = r.ID
		}
	}
}

// resource adds a template resource as a model node (idempotent).
func (b *builder) resource(r *sam.Resource) *model.Resource {
	if mr, ok := b.res[r.ID]; ok {
		return mr
	}
	k := catalogs.KindOf(r.Type)
	mr := &model.Resource{ID: r.ID, Type: r.Type, Kind: k.Kind, Service: k.Service, Boundary: model.BoundaryAccount,
		Condition: r.Condition, File: b.t.File, Line: r.Line,
		Source:       model.Source{File: b.t.File, Line: r.Line, Column: r.Column, LogicalID: r.ID},
		Suppressions: b.suppressions(r.Metadata)}
	if inVPC(r) {
		mr.Boundary = model.BoundaryVPC
	}
	b.m.Resources = append(b.m.Resources, mr)
	b.res[r.ID] = mr
	return mr
}

// vpcProps are the properties that place a data store inside a VPC.
var vpcProps = []string{"VpcSecurityGroupIds", "VPCSecurityGroups", "DBSubnetGroupName", "CacheSubnetGroupName",
	"SubnetGroupName", "VPCOptions", "VpcConfig", "SecurityGroupIds", "SubnetIds"}

func inVPC(r *sam.Resource) bool {
	for _, p := range vpcProps {
		if sam.Get(r.Properties, p) != nil {
			return true
		}
	}
	return false
}

// node returns the id of the model node for a template logical id, creating a
// resource node for template resources that are referenced but not nodes by
// default (roles, layers...). "" when the id is not in the template.
func (b *builder) node(id string) string {
	if _, ok := b.fns[id]; ok {
		return id
	}
	if _, ok := b.res[id]; ok {
		return id
	}
	if r := b.t.Resource(id); r != nil {
		b.resource(r)
		return id
	}
	return ""
}

// external returns the node for things of a service outside the template.
func (b *builder) external(service string) string {
	if service == "" {
		service = "aws"
	}
	id := "external:" + service
	if _, ok := b.res[id]; !ok {
		mr := &model.Resource{ID: id, Type: "external", Kind: externalKind(service), Service: service, External: true,
			Boundary: model.BoundaryAccount, File: b.t.File}
		b.m.Resources = append(b.m.Resources, mr)
		b.res[id] = mr
	}
	return id
}

// externalIn returns the node for a service's resources in a named region
// (a literal region in an ARN): one node per region, so that targets in other
// regions are not collapsed into one.
func (b *builder) externalIn(service, region string) string {
	id := "external:" + service + ":" + region
	if _, ok := b.res[id]; !ok {
		mr := &model.Resource{ID: id, Type: "external", Kind: externalKind(service), Service: service, External: true,
			Boundary: model.BoundaryAccount, File: b.t.File}
		b.m.Resources = append(b.m.Resources, mr)
		b.res[id] = mr
	}
	return id
}

// outsideARN returns the node for a literal ARN outside the template: the
// other account ("account:<id>", a third party outside this account) when
// the ARN names a literal account that is not AWS's own, the service's node
// in that region when it names a literal region (one node per region, never
// collapsed with the others), else the service's one external node. "" when
// s is not an ARN. The account's third party is created by the caller, who
// knows where the flow is declared (foreignAccount).
func (b *builder) outsideARN(s string) string {
	p := iam.SplitARN(s)
	if p == nil || p[2] == "" {
		return ""
	}
	svc, region := p[2], p[3]
	if acct := arnAccount(s); isAccountID(acct) && !isAWSOwnedAccount(acct) && !strings.Contains(s, ":layer:") {
		id := "account:" + acct
		if _, ok := b.accountARNs[id]; !ok {
			b.accountARNs[id] = s
		}
		return id
	}
	if literalRegion(region) {
		return b.externalIn(svc, region)
	}
	return b.external(svc)
}

// literalRegion: a region written out (us-east-1), not a pseudo parameter,
// a wildcard or empty.
func literalRegion(r string) bool {
	return r != "" && !strings.ContainsAny(r, "*?$") && !strings.Contains(r, "{")
}

// accountNode makes sure the third party of a foreign account a grant
// targets exists (a statement written in the template has created it; a
// dead-letter or destination policy has not) and says who uses it.
func (b *builder) accountNode(id, holder string, where model.Source) {
	if _, ok := b.tps[id]; ok {
		return
	}
	b.foreignAccount(strings.TrimPrefix(id, "account:"), b.accountARNs[id], holder, where)
}

var serviceKinds = func() map[string]string {
	out := map[string]string{}
	all, _ := catalogs.ResourceKinds()
	for _, k := range all {
		if k.IsNode() && k.Kind != "other" {
			if _, ok := out[k.Service]; !ok {
				out[k.Service] = k.Kind
			}
		}
	}
	return out
}()

func externalKind(service string) string {
	if k, ok := serviceKinds[service]; ok {
		return k
	}
	return "other"
}

func (b *builder) src(n *yaml.Node, id string) model.Source {
	s := model.Source{File: b.t.File, LogicalID: id}
	if n != nil {
		s.Line, s.Column = n.Line, n.Column
	}
	return s
}

// edge adds or merges an edge (same from, to, kind).
func (b *builder) edge(e model.Edge) *model.Edge {
	if e.From == "" || e.To == "" {
		return nil
	}
	key := e.From + "\x00" + e.To + "\x00" + e.Kind
	if old, ok := b.edges[key]; ok {
		old.Access = mergeSorted(old.Access, e.Access)
		old.Actions = mergeSorted(old.Actions, e.Actions)
		if old.Label == "" {
			old.Label = e.Label
		}
		if old.Condition != "" && e.Condition == "" {
			old.Condition = ""
		}
		return old
	}
	ne := e
	ne.Access = mergeSorted(nil, e.Access)
	ne.Actions = mergeSorted(nil, e.Actions)
	b.edges[key] = &ne
	b.m.Edges = append(b.m.Edges, &ne)
	return &ne
}

func mergeSorted(a, add []string) []string {
	if len(add) == 0 {
		return a
	}
	out := make([]string, 0, len(a)+len(add))
	out = append(append(out, a...), add...)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	return out
}

func (b *builder) diag(level string, n *yaml.Node, id, format string, args ...any) {
	b.m.Diagnostics = append(b.m.Diagnostics, model.Diagnostic{Level: level, Message: fmt.Sprintf(format, args...), Source: b.src(n, id)})
}

func (b *builder) diagAt(level string, src model.Source, format string, args ...any) {
	b.m.Diagnostics = append(b.m.Diagnostics, model.Diagnostic{Level: level, Message: fmt.Sprintf(format, args...), Source: src})
}

// suppressions reads Metadata: {samthreat: {suppress: [{id, reason}]}}.
func (b *builder) suppressions(meta *yaml.Node) []model.Suppression {
	var out []model.Suppression
	for _, s := range sam.Suppressions(meta) {
		out = append(out, model.Suppression{ID: s.ID, Reason: s.Reason, Source: b.src(s.Node, "")})
	}
	return out
}

// finish adds clients, sorts what has no file order, and counts.
func (b *builder) finish() {
	public, authed := false, false
	for _, ep := range b.m.EntryPoints {
		if ep.Kind != "route" && ep.Kind != "function-url" || ep.Private {
			continue
		}
		if ep.Public {
			public = true
		} else {
			authed = true
		}
	}
	if public || authed {
		b.m.Clients = append(b.m.Clients, &model.Client{ID: "internet", Label: "Internet", Boundary: model.BoundaryInternet})
	}
	if authed {
		b.m.Clients = append(b.m.Clients, &model.Client{ID: "authenticated-users", Label: "Authenticated users", Boundary: model.BoundaryInternet})
	}
	b.privateClients()
	for _, ep := range b.m.EntryPoints {
		if ep.Kind != "route" && ep.Kind != "function-url" || ep.Private {
			continue
		}
		from := "internet"
		if !ep.Public {
			from = "authenticated-users"
		}
		b.edge(model.Edge{From: from, To: ep.ID, Kind: model.EdgeTrigger, Label: ep.Auth, Condition: ep.Condition, Source: ep.Source})
	}
	sort.SliceStable(b.m.ThirdParties, func(i, j int) bool { return b.m.ThirdParties[i].ID < b.m.ThirdParties[j].ID })
	sort.SliceStable(b.m.Edges, func(i, j int) bool {
		x, y := b.m.Edges[i], b.m.Edges[j]
		if x.Kind != y.Kind {
			return x.Kind > y.Kind // trigger, outbound, invoke, destination, access
		}
		if x.From != y.From {
			return x.From < y.From
		}
		return x.To < y.To
	})
	for _, f := range b.m.Functions {
		if f.Granted == nil {
			f.Granted = []string{}
		}
	}
	s := &b.m.Summary
	s.Functions, s.Resources, s.EntryPoints = len(b.m.Functions), len(b.m.Resources), len(b.m.EntryPoints)
	s.ThirdParties, s.Edges = len(b.m.ThirdParties), len(b.m.Edges)
	s.Principals = len(b.m.Principals)
}

// fnTarget returns the function a value refers to (Ref/GetAtt Arn of a
// function, or a literal function name in the template), or "".
func (b *builder) fnTarget(v sam.Value) string {
	for _, r := range v.Refs {
		if _, ok := b.fns[r.ID]; ok {
			return r.ID
		}
		if r.Attr == "Alias" || r.Attr == "Version" {
			continue
		}
		// an alias or version of a function
		if res := b.t.Resource(r.ID); res != nil && (res.Type == "AWS::Lambda::Alias" || res.Type == "AWS::Lambda::Version") {
			if id := b.fnTarget(b.t.Resolve(sam.Get(res.Properties, "FunctionName"))); id != "" {
				return id
			}
		}
	}
	// SAM-generated ids: !Ref <Fn>Alias<name> / <Fn>.Alias (AutoPublishAlias)
	if strings.HasPrefix(v.Text, "${") && strings.HasSuffix(v.Text, "}") {
		inner := strings.TrimSuffix(strings.TrimPrefix(v.Text, "${"), "}")
		id, _, _ := strings.Cut(inner, ".")
		if _, ok := b.fns[id]; ok {
			return id
		}
		if i := strings.Index(id, "Alias"); i > 0 {
			if _, ok := b.fns[id[:i]]; ok {
				return id[:i]
			}
		}
	}
	if v.Known {
		name := v.Text
		if i := strings.LastIndex(name, ":function:"); i >= 0 {
			name = name[i+len(":function:"):]
			name, _, _ = strings.Cut(name, ":")
		}
		if id, ok := b.names[name]; ok {
			if _, isFn := b.fns[id]; isFn {
				return id
			}
		}
	}
	return ""
}

// refNode returns the model node a value refers to (first template resource
// it names), or "".
func (b *builder) refNode(v sam.Value) string {
	for _, r := range v.Refs {
		if id := b.node(r.ID); id != "" {
			return id
		}
	}
	if v.Known {
		if id, ok := b.names[v.Text]; ok {
			return b.node(id)
		}
		if svc, name := arnParts(v.Text); svc != "" {
			for _, cand := range []string{name, lastSeg(name)} {
				if id, ok := b.names[cand]; ok {
					return b.node(id)
				}
			}
		}
	}
	return ""
}

// arnParts splits arn:partition:service:region:account:resource.
func arnParts(s string) (service, resource string) {
	p := iam.SplitARN(s)
	if p == nil {
		return "", ""
	}
	return p[2], p[5]
}

// arnAccount returns an ARN's literal account id ("" when absent or unresolved).
func arnAccount(s string) string {
	p := iam.SplitARN(s)
	if p == nil || strings.Contains(p[4], "${") {
		return ""
	}
	return p[4]
}

func lastSeg(s string) string {
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// res is a function's template resource (properties with Globals applied).
func (b *builder) fnRes(f *model.Function) *sam.Resource { return b.t.Resource(f.ID) }
