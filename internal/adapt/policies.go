package adapt

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// The IAM knowledge the builder uses, as variables so that tests can check
// the builder's own logic with reference data.
var (
	iamPolicyTemplate = iam.PolicyTemplate
	iamManagedPolicy  = iam.ManagedPolicy
	iamGrants         = iam.Grants
)

// permissions computes a function's effective IAM policy: SAM Policies
// (templates, managed names/ARNs, inline documents), what SAM adds on its own,
// the template role's inline and managed policies and the policies attached to
// that role; then grants and access edges.
func (b *builder) permissions(f *model.Function) {
	p := b.fnRes(f).Properties
	if f.Type == "AWS::Serverless::Function" && sam.Get(p, "Role") == nil {
		for _, item := range sam.Items(sam.Get(p, "Policies")) {
			b.policyItem(f, item, false)
		}
		b.samImplicitPolicies(f)
	}
	if f.RoleInTemplate {
		b.rolePolicies(f, f.Role)
	} else if sam.Get(p, "Role") != nil {
		b.diag("warning", sam.Get(p, "Role"), f.ID, "%s: role %s is defined outside the template; its permissions are not known", f.ID, f.Role)
	}
	f.Grants = iamGrants(f.Statements)
	if len(f.Grants) == 0 {
		f.Grants = fallbackGrants(f.Statements)
	}
	seen := map[string]bool{}
	for _, g := range f.Grants {
		if !seen[g.Action] {
			seen[g.Action] = true
			f.Granted = append(f.Granted, g.Action)
		}
	}
	sort.Strings(f.Granted)
	b.grantEdges(f)
}

// fallbackGrants keeps actions as written when the IAM catalog cannot expand
// them, so the model never loses a permission.
func fallbackGrants(stmts []model.Statement) []model.Grant {
	var out []model.Grant
	for _, s := range stmts {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		for _, a := range s.Actions {
			lvl, _ := iam.AccessLevel(a)
			for _, t := range s.Targets {
				out = append(out, model.Grant{Action: a, Access: lvl, Target: t, Origin: s.Origin, Source: s.Source})
			}
		}
	}
	return out
}

func actionService(a string) string {
	svc, _, ok := strings.Cut(a, ":")
	if !ok || svc == "*" || svc == "" {
		return ""
	}
	return strings.ToLower(svc)
}

// grantEdges groups grants per target into access / invoke edges. Grants are
// grouped before they become edges: a wildcard policy expands to thousands of
// grants, and merging them into an edge one at a time would be quadratic.
func (b *builder) grantEdges(f *model.Function) {
	type group struct {
		edge            model.Edge
		access, actions map[string]bool
	}
	var order []string
	groups := map[string]*group{}
	for _, g := range f.Grants {
		to, kind := b.grantEdgeTo(g, f.ID)
		key := to + "\x00" + kind
		gr := groups[key]
		if gr == nil {
			gr = &group{edge: model.Edge{From: f.ID, To: to, Kind: kind, Condition: f.Condition, Source: g.Source},
				access: map[string]bool{}, actions: map[string]bool{}}
			groups[key] = gr
			order = append(order, key)
		}
		if g.Access != "" {
			gr.access[g.Access] = true
		}
		gr.actions[g.Action] = true
	}
	for _, key := range order {
		gr := groups[key]
		gr.edge.Access = slices.Collect(maps.Keys(gr.access))
		gr.edge.Actions = slices.Collect(maps.Keys(gr.actions))
		b.edge(gr.edge)
	}
}

// grantEdgeTo is the node a grant's edge goes to and the edge's kind: invoke
// for lambda:Invoke* on a function, outbound to another account (a third
// party: the same edge as the statement's cross-account flow), else access;
// a grant on "*" goes to the service's external node.
func (b *builder) grantEdgeTo(g model.Grant, holder string) (to, kind string) {
	to = g.Target
	if to == "*" || to == "" {
		to = b.external(actionService(g.Action))
	}
	kind = model.EdgeAccess
	if _, isFn := b.fns[to]; isFn && strings.HasPrefix(strings.ToLower(g.Action), "lambda:invoke") {
		kind = model.EdgeInvoke
	}
	if strings.HasPrefix(to, "account:") {
		b.accountNode(to, holder, g.Source)
		kind = model.EdgeOutbound
	}
	return to, kind
}

// policyItem handles one entry of SAM Policies.
func (b *builder) policyItem(f *model.Function, item *yaml.Node, conditional bool) {
	src := b.src(item, f.ID)
	if name, arg, ok := sam.Intrinsic(item); ok {
		if name == "Fn::If" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
			for _, br := range arg.Content[1:] {
				if sam.RefName(br) == "AWS::NoValue" {
					continue
				}
				for _, it := range sam.Items(br) {
					b.policyItem(f, it, true)
				}
			}
			return
		}
		v := b.t.Resolve(item)
		for _, ref := range v.Refs {
			if r := b.t.Resource(ref.ID); r != nil && r.Type == "AWS::IAM::ManagedPolicy" {
				b.document(f, sam.Get(r.Properties, "PolicyDocument"), "attached", ref.ID, nil, conditional, b.src(sam.Get(r.Properties, "PolicyDocument"), ref.ID))
				return
			}
		}
		b.managed(f, v.Text, "managed", conditional, src)
		return
	}
	switch item.Kind {
	case yaml.ScalarNode:
		b.managed(f, item.Value, "managed", conditional, src)
	case yaml.MappingNode:
		if sam.Get(item, "Statement") != nil {
			b.document(f, item, "inline", "", nil, conditional, src)
			return
		}
		for _, kv := range sam.Pairs(item) {
			b.policyTemplate(f, kv.Key, kv.Value, conditional, b.src(kv.KeyN, f.ID))
		}
	}
}

// policyTemplate expands a SAM policy template with the user's parameters.
func (b *builder) policyTemplate(f *model.Function, name string, params *yaml.Node, conditional bool, src model.Source) {
	ref := model.PolicyRef{Kind: "template", Name: name, Source: src}
	vars := map[string]*yaml.Node{}
	for _, kv := range sam.Pairs(params) {
		vars[kv.Key] = kv.Value
		if ref.Params == nil {
			ref.Params = map[string]string{}
		}
		ref.Params[kv.Key] = b.t.Resolve(kv.Value).Text
	}
	def, names, ok := iamPolicyTemplate(name)
	if !ok {
		f.Policies = append(f.Policies, ref)
		b.diagAt("warning", src, "%s: unknown SAM policy template %q", f.ID, name)
		return
	}
	ref.Known = true
	f.Policies = append(f.Policies, ref)
	for _, pn := range names {
		if _, given := vars[pn]; !given {
			b.diagAt("warning", src, "%s: policy template %s: parameter %s is missing", f.ID, name, pn)
		}
	}
	doc, err := policyNode(def)
	if err != nil {
		b.diagAt("warning", src, "%s: policy template %s cannot be read: %v", f.ID, name, err)
		return
	}
	b.statements(f, doc, name, vars, conditional, src, false)
}

// policyNodes caches catalog policy documents parsed into nodes, keyed by
// their bytes: the same few documents (the basic execution role, common
// templates) are expanded for almost every function, and the statements
// reader never modifies a node.
var policyNodes sync.Map

func policyNode(doc []byte) (*yaml.Node, error) {
	if n, ok := policyNodes.Load(string(doc)); ok {
		return n.(*yaml.Node), nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		return nil, err
	}
	if len(n.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	policyNodes.Store(string(doc), n.Content[0])
	return n.Content[0], nil
}

// managed adds an AWS managed policy by name or ARN.
func (b *builder) managed(f *model.Function, nameOrARN, kind string, conditional bool, src model.Source) {
	name := nameOrARN
	if i := strings.Index(name, ":policy/"); i >= 0 {
		name = name[i+len(":policy/"):]
	}
	for _, pr := range f.Policies {
		if (pr.Kind == "managed" || pr.Kind == "role-managed") && lastSeg(pr.Name) == lastSeg(name) {
			return // SAM adds AWSLambdaBasicExecutionRole even when listed
		}
	}
	ref := model.PolicyRef{Kind: kind, Name: name, Source: src}
	doc, ok := iamManagedPolicy(nameOrARN)
	for _, alt := range []string{name, lastSeg(name), "service-role/" + lastSeg(name)} {
		if ok {
			break
		}
		doc, ok = iamManagedPolicy(alt)
	}
	ref.Known = ok
	f.Policies = append(f.Policies, ref)
	if !ok {
		if strings.Contains(nameOrARN, ":iam::") && !strings.Contains(nameOrARN, ":iam::aws:") {
			b.diagAt("warning", src, "%s: customer managed policy %s is outside the template; its permissions are not known", f.ID, nameOrARN)
		}
		return
	}
	n, err := policyNode(doc)
	if err != nil {
		return
	}
	b.statements(f, n, name, nil, conditional, src, false)
}

// document adds the statements of a policy document written in the template.
func (b *builder) document(f *model.Function, doc *yaml.Node, kind, name string, vars map[string]*yaml.Node, conditional bool, src model.Source) {
	f.Policies = append(f.Policies, model.PolicyRef{Kind: kind, Name: name, Known: true, Source: src})
	origin := name
	if origin == "" {
		origin = kind
	}
	b.statements(f, doc, origin, vars, conditional, src, true)
}

// statements converts a policy document's Statement list.
func (b *builder) statements(f *model.Function, doc *yaml.Node, origin string, vars map[string]*yaml.Node, conditional bool, src model.Source, own bool) {
	st := sam.Get(doc, "Statement")
	if st == nil {
		return
	}
	var items []*yaml.Node
	if name, arg, ok := sam.Intrinsic(st); ok && name == "Fn::If" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
		items = append(sam.Items(arg.Content[1]), sam.Items(arg.Content[2])...)
		conditional = true
	} else {
		items = sam.Items(st)
	}
	for _, s := range items {
		cond := conditional
		if name, arg, ok := sam.Intrinsic(s); ok && name == "Fn::If" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
			for _, br := range arg.Content[1:] {
				if br.Kind == yaml.MappingNode && !sam.IsIntrinsic(br) {
					b.statement(f, br, origin, vars, true, src, own)
				}
			}
			continue
		}
		if s.Kind != yaml.MappingNode {
			continue
		}
		b.statement(f, s, origin, vars, cond, src, own)
	}
}

func (b *builder) statement(f *model.Function, s *yaml.Node, origin string, vars map[string]*yaml.Node, cond bool, src model.Source, own bool) {
	ms := model.Statement{Effect: b.t.ResolveWith(sam.Get(s, "Effect"), vars).Text, Origin: origin, Condition: cond || sam.Get(s, "Condition") != nil, Source: src}
	if ms.Effect == "" {
		ms.Effect = "Allow"
	}
	if own { // written in the template: point at the statement itself
		ms.Source = b.src(s, f.ID)
	}
	for _, a := range b.t.ResolveListWith(sam.Get(s, "Action"), vars) {
		ms.Actions = append(ms.Actions, a.Text)
	}
	for _, a := range b.t.ResolveListWith(sam.Get(s, "NotAction"), vars) {
		ms.NotActions = append(ms.NotActions, a.Text)
	}
	for _, r := range b.t.ResolveListWith(sam.Get(s, "Resource"), vars) {
		ms.Resources = append(ms.Resources, r.Text)
		ms.Targets = mergeKeep(ms.Targets, b.statementTargets(r, ms.Actions)...)
		// A grant on another account's resource (a function, a bucket, a
		// role to assume) is a data flow to a party outside this account.
		if !strings.EqualFold(ms.Effect, "Deny") {
			if acct := arnAccount(r.Text); acct != "" && isAccountID(acct) && !isAWSOwnedAccount(acct) && !strings.Contains(r.Text, ":layer:") {
				b.foreignAccount(acct, r.Text, f.ID, ms.Source)
				svc, _ := arnParts(r.Text)
				b.edge(model.Edge{From: f.ID, To: "account:" + acct, Kind: model.EdgeOutbound, Label: svc,
					Actions: ms.Actions, Condition: f.Condition, Source: ms.Source})
			}
		}
	}
	for _, r := range b.t.ResolveListWith(sam.Get(s, "NotResource"), vars) {
		ms.NotResources = append(ms.NotResources, r.Text)
	}
	if len(ms.NotResources) > 0 && len(ms.Targets) == 0 {
		ms.Targets = []string{"*"}
	}
	f.Statements = append(f.Statements, ms)
}

func mergeKeep(a []string, add ...string) []string {
	for _, s := range add {
		found := false
		for _, x := range a {
			if x == s {
				found = true
				break
			}
		}
		if !found {
			a = append(a, s)
		}
	}
	return a
}

// statementTargets maps one rendered Resource to model nodes.
func (b *builder) statementTargets(v sam.Value, actions []string) []string {
	var out []string
	for _, r := range v.Refs {
		if id := b.node(r.ID); id != "" {
			out = mergeKeep(out, id)
		}
	}
	if len(out) > 0 {
		return out
	}
	text := strings.TrimSpace(v.Text)
	if text == "*" || text == "" {
		return []string{"*"}
	}
	if svc, res := arnParts(text); svc != "" {
		if !strings.ContainsAny(res, "$") {
			for _, cand := range candidatesFromARN(res) {
				if id, ok := b.names[cand]; ok {
					return []string{b.node(id)}
				}
			}
		}
		return []string{b.outsideARN(text)}
	}
	if len(actions) > 0 {
		if svc := actionService(actions[0]); svc != "" {
			return []string{b.external(svc)}
		}
	}
	return []string{"*"}
}

// candidatesFromARN lists the names a resource part of an ARN could carry
// (bucket, bucket/key, table/name/stream/x, function:name...).
func candidatesFromARN(res string) []string {
	var out []string
	res = strings.TrimSuffix(res, "/*")
	out = append(out, res)
	parts := strings.FieldsFunc(res, func(r rune) bool { return r == '/' || r == ':' })
	for i, p := range parts {
		if i < 3 {
			out = append(out, p)
		}
	}
	return out
}

// samImplicitPolicies adds what the SAM transform attaches on its own.
func (b *builder) samImplicitPolicies(f *model.Function) {
	p := b.fnRes(f).Properties
	src := f.Source
	b.managed(f, "AWSLambdaBasicExecutionRole", "managed", false, src)
	if f.VPC != nil {
		b.managed(f, "AWSLambdaVPCAccessExecutionRole", "managed", false, src)
	}
	if strings.EqualFold(f.Tracing, "Active") {
		b.managed(f, "AWSXrayWriteOnlyAccess", "managed", false, src)
	}
	for _, ev := range f.Events { // the poller's policy (catalogs/triggers.yaml pollerPolicy)
		if tr, _ := catalogs.TriggerOf(ev.Type); tr.PollerPolicy != "" {
			b.managed(f, tr.PollerPolicy, "managed", false, ev.Where)
		}
	}
	if dlq := sam.Get(p, "DeadLetterQueue"); dlq != nil {
		typ := strings.ToUpper(sam.Str(sam.Get(dlq, "Type")))
		action := "sqs:SendMessage"
		if typ == "SNS" {
			action = "sns:Publish"
		}
		v := b.t.Resolve(sam.Get(dlq, "TargetArn"))
		f.Statements = append(f.Statements, model.Statement{Effect: "Allow", Actions: []string{action}, Resources: []string{v.Text},
			Targets: b.statementTargets(v, []string{action}), Origin: "DeadLetterQueue", Source: b.src(dlq, f.ID)})
	}
	for _, which := range []string{"OnSuccess", "OnFailure"} {
		d := sam.Get(p, "EventInvokeConfig", "DestinationConfig", which)
		if d == nil {
			continue
		}
		action := map[string]string{"SQS": "sqs:SendMessage", "SNS": "sns:Publish", "Lambda": "lambda:InvokeFunction", "EventBridge": "events:PutEvents", "S3Bucket": "s3:PutObject"}[sam.Str(sam.Get(d, "Type"))]
		if action == "" {
			continue
		}
		v := b.t.Resolve(sam.Get(d, "Destination"))
		f.Statements = append(f.Statements, model.Statement{Effect: "Allow", Actions: []string{action}, Resources: []string{v.Text},
			Targets: b.statementTargets(v, []string{action}), Origin: "EventInvokeConfig", Source: b.src(d, f.ID)})
	}
}

// rolePolicies adds an in-template role's inline and managed policies and
// the AWS::IAM::Policy / ManagedPolicy resources attached to it.
func (b *builder) rolePolicies(f *model.Function, roleID string) {
	role := b.t.Resource(roleID)
	if role == nil {
		return
	}
	for _, pol := range sam.Items(sam.Get(role.Properties, "Policies")) {
		name := b.t.Resolve(sam.Get(pol, "PolicyName")).Text
		b.document(f, sam.Get(pol, "PolicyDocument"), "role-inline", name, nil, false, b.src(pol, roleID))
	}
	for _, arn := range b.t.ResolveList(sam.Get(role.Properties, "ManagedPolicyArns")) {
		src := model.Source{File: b.t.File, Line: arn.Line, LogicalID: roleID}
		attached := false
		for _, ref := range arn.Refs {
			if r := b.t.Resource(ref.ID); r != nil && r.Type == "AWS::IAM::ManagedPolicy" {
				b.document(f, sam.Get(r.Properties, "PolicyDocument"), "attached", ref.ID, nil, arn.Conditional, b.src(r.Node, ref.ID))
				attached = true
			}
		}
		if !attached {
			b.managed(f, arn.Text, "role-managed", arn.Conditional, src)
		}
	}
	for _, r := range b.t.Resources {
		if r.Type != "AWS::IAM::Policy" && r.Type != "AWS::IAM::ManagedPolicy" && r.Type != "AWS::IAM::RolePolicy" {
			continue
		}
		roles := b.t.ResolveList(sam.Get(r.Properties, "Roles"))
		if r.Type == "AWS::IAM::RolePolicy" {
			roles = b.t.ResolveList(sam.Get(r.Properties, "RoleName"))
		}
		for _, rv := range roles {
			hit := false
			for _, ref := range rv.Refs {
				if ref.ID == roleID {
					hit = true
				}
			}
			if hit {
				b.document(f, sam.Get(r.Properties, "PolicyDocument"), "attached", r.ID, nil, r.Condition != "", b.src(r.Node, r.ID))
			}
		}
	}
}
