package adapt

import (
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// principal computes the effective grants of a holder of IAM permissions that
// is not a function (a state machine, an API integration, a pipe, a schedule,
// a rule target, any other role), with the same code as functions' (SAM
// Policies, the role's inline, managed and attached policies, internal/iam
// expansion), and records it in Model.Principals once per id.
//
// samPolicies is a SAM Policies list (AWS::Serverless::StateMachine without
// Role), or nil; roleID is the logical id of an in-template AWS::IAM::Role, or
// "". The returned principal is nil when neither gives anything to model.
func (b *builder) principal(kind, id, roleID string, samPolicies *yaml.Node, cond string, where model.Source) *model.Principal {
	if old := b.principalByID(id); old != nil {
		return old
	}
	if roleID == "" && samPolicies == nil {
		return nil
	}
	holder := &model.Function{ID: id, Condition: cond, Source: where}
	for _, item := range sam.Items(samPolicies) {
		b.policyItem(holder, item, false)
	}
	if roleID != "" {
		b.rolePolicies(holder, roleID)
	}
	grants := iamGrants(holder.Statements)
	if len(grants) == 0 {
		grants = fallbackGrants(holder.Statements)
	}
	p := &model.Principal{ID: id, Kind: kind, Role: roleID, Policies: holder.Policies, Statements: holder.Statements,
		Grants: grants, Granted: []string{}, Source: where}
	if roleID != "" {
		p.AssumedBy = b.trustedServices(roleID)
		b.roleUsed[roleID] = true
	}
	seen := map[string]bool{}
	for _, g := range grants {
		if !seen[g.Action] {
			seen[g.Action] = true
			p.Granted = append(p.Granted, g.Action)
		}
	}
	sort.Strings(p.Granted)
	b.m.Principals = append(b.m.Principals, p)
	return p
}

func (b *builder) principalByID(id string) *model.Principal {
	for _, p := range b.m.Principals {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// roleOf returns the logical id of the in-template AWS::IAM::Role a value
// (Ref, GetAtt Arn, Sub) names, or "".
func (b *builder) roleOf(v sam.Value) string {
	for _, ref := range v.Refs {
		if r := b.t.Resource(ref.ID); r != nil && r.Type == "AWS::IAM::Role" {
			return ref.ID
		}
	}
	if v.Known && strings.Contains(v.Text, ":role/") {
		name := lastSeg(v.Text)
		if id, ok := b.names[name]; ok {
			if r := b.t.Resource(id); r != nil && r.Type == "AWS::IAM::Role" {
				return id
			}
		}
	}
	return ""
}

// trustedServices lists the principals a role's trust policy lets assume it
// (service principals, and AWS/Federated principals as written).
func (b *builder) trustedServices(roleID string) []string {
	r := b.t.Resource(roleID)
	if r == nil {
		return nil
	}
	var out []string
	for _, st := range sam.Items(sam.Get(r.Properties, "AssumeRolePolicyDocument", "Statement")) {
		if !strings.EqualFold(firstText(b.t.Resolve(sam.Get(st, "Effect")).Text, "Allow"), "Allow") {
			continue
		}
		pr := sam.Get(st, "Principal")
		if pr != nil && pr.Kind == yaml.ScalarNode {
			out = mergeKeep(out, b.t.Resolve(pr).Text)
			continue
		}
		for _, key := range []string{"Service", "AWS", "Federated"} {
			for _, v := range b.t.ResolveList(sam.Get(pr, key)) {
				if v.Text != "" {
					out = mergeKeep(out, iam.ServicePrincipal(v.Text))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func firstText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// principalEdges draws a principal's grants as edges from node (the state
// machine, the topic rule...): access, or invoke for lambda:Invoke* on a
// function, with the access levels of its grants.
func (b *builder) principalEdges(p *model.Principal, node, cond string) {
	b.grantEdgesFrom(p, node, cond, false)
}

// flowPrincipalEdges draws the grants of a principal whose role exists to
// carry a flow (a pipe, a schedule, a rule target): a grant on a node it
// already sends to adds its access to that flow's edge instead of a second
// edge beside it.
func (b *builder) flowPrincipalEdges(p *model.Principal, node, cond string) {
	b.grantEdgesFrom(p, node, cond, true)
}

func (b *builder) grantEdgesFrom(p *model.Principal, node, cond string, onFlows bool) {
	for _, g := range p.Grants {
		to, kind := b.grantEdgeTo(g, "")
		var access []string
		if g.Access != "" {
			access = []string{g.Access}
		}
		if _, flows := b.edges[node+"\x00"+to+"\x00"+model.EdgeTrigger]; flows && onFlows {
			kind = model.EdgeTrigger // the flow node carries to "to": its access goes on that edge
			b.foldEdge(node, to, model.EdgeOutbound, model.EdgeTrigger)
		}
		b.edge(model.Edge{From: node, To: to, Kind: kind, Access: access, Actions: []string{g.Action}, Condition: cond, Source: g.Source})
	}
}

// foldEdge merges the edge from -> to of kind into the one of kind into (the
// cross-account edge a statement drew before the flow it belongs to was
// known), so that one flow is one edge.
func (b *builder) foldEdge(from, to, kind, into string) {
	key := from + "\x00" + to + "\x00" + kind
	old, ok := b.edges[key]
	if !ok {
		return
	}
	delete(b.edges, key)
	b.m.Edges = slices.DeleteFunc(b.m.Edges, func(e *model.Edge) bool { return e == old })
	b.edge(model.Edge{From: from, To: to, Kind: into, Access: old.Access, Actions: old.Actions, Condition: old.Condition, Source: old.Source})
}

// topicRuleTargets are the properties of IoT topic rule actions that name
// their target (the Lambda action is a trigger, modelled in wiring).
var topicRuleTargets = map[string][]string{
	"DynamoDB": {"TableName"}, "DynamoDBv2": {"PutItem", "TableName"}, "Sqs": {"QueueUrl"}, "Sns": {"TargetArn"},
	"Kinesis": {"StreamName"}, "Firehose": {"DeliveryStreamName"}, "S3": {"BucketName"}, "StepFunctions": {"StateMachineName"},
	"Republish": {"Topic"}, "CloudwatchLogs": {"LogGroupName"}, "Timestream": {"TableName"},
}

// topicRuleActions models an IoT topic rule's actions that are not Lambda
// functions: an edge from the rule to the resource each sends to, an
// outbound edge to the URL of an Http action, and the rule's roles as one
// principal.
func (b *builder) topicRuleActions(r *sam.Resource, where model.Source) {
	roleID := ""
	for _, a := range sam.Items(sam.Get(r.Properties, "TopicRulePayload", "Actions")) {
		for _, kv := range sam.Pairs(a) {
			aw := b.src(kv.KeyN, r.ID)
			if roleID == "" {
				roleID = b.roleOf(b.t.Resolve(sam.Get(kv.Value, "RoleArn")))
			}
			if kv.Key == "Http" {
				u := b.t.Resolve(sam.Get(kv.Value, "Url"))
				if host, scheme := hostOf(u.Text); host != "" && !isAWSHost(host) && !strings.Contains(host, "${") {
					tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: u.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: r.ID, Source: aw}, "")
					b.edge(model.Edge{From: r.ID, To: tp.ID, Kind: model.EdgeOutbound, Label: "IoT rule Http action", Condition: r.Condition, Source: aw})
				}
				continue
			}
			for _, prop := range topicRuleTargets[kv.Key] {
				n := sam.Get(kv.Value, prop)
				if prop == "PutItem" {
					n = sam.Get(kv.Value, "PutItem", "TableName")
				}
				if to := b.refNode(b.t.Resolve(n)); to != "" && to != r.ID {
					b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: "IoT rule " + kv.Key, Condition: r.Condition, Source: aw})
				}
			}
		}
	}
	b.principal(model.PrincipalTopicRule, r.ID, roleID, nil, r.Condition, where)
}

// otherRoles records every AWS::IAM::Role of the template that no modelled
// principal assumes as a principal of kind role (its trust policy says who
// may assume it).
func (b *builder) otherRoles() {
	for _, f := range b.m.Functions {
		if f.RoleInTemplate {
			b.roleUsed[f.Role] = true
		}
	}
	for _, r := range b.t.Resources {
		if r.Type != "AWS::IAM::Role" || b.roleUsed[r.ID] {
			continue
		}
		where := b.src(r.Node, r.ID)
		where.Line = r.Line
		if pr := b.principal(model.PrincipalRole, r.ID, r.ID, nil, r.Condition, where); pr != nil {
			b.resource(r) // drawn as a node with its access, as a function is
			b.principalEdges(pr, r.ID, r.Condition)
		}
	}
}

// universalTarget splits an EventBridge Scheduler universal target
// (arn:aws:scheduler:::aws-sdk:<service>:<action>) into the IAM service and
// action.
func universalTarget(arn string) (service, action string, ok bool) {
	i := strings.Index(arn, ":scheduler:::aws-sdk:")
	if i < 0 {
		return "", "", false
	}
	svc, action, _ := strings.Cut(arn[i+len(":scheduler:::aws-sdk:"):], ":")
	if svc == "" {
		return "", "", false
	}
	return sdkServicePrefix(svc), action, true
}

// universalTarget models a schedule calling an AWS API directly: the flow goes
// from the schedule's node to the template resources of that service named in
// the target's Input, else to what the schedule's role may reach in that
// service, else to external:<service>; its access is the role's grants there.
func (b *builder) universalTarget(r *sam.Resource, pr *model.Principal, svc, action string, where model.Source) {
	var targets []string
	for _, ref := range b.t.Resolve(sam.Get(r.Properties, "Target", "Input")).Refs {
		if mr := b.res[b.node(ref.ID)]; mr != nil && mr.Service == svc {
			targets = mergeKeep(targets, mr.ID)
		}
	}
	if len(targets) == 0 && pr != nil {
		for _, g := range pr.Grants {
			if actionService(g.Action) == svc && g.Target != "*" && !strings.HasPrefix(g.Target, "external:") {
				targets = mergeKeep(targets, g.Target)
			}
		}
	}
	if len(targets) == 0 {
		targets = []string{b.external(svc)}
	}
	sort.Strings(targets)
	for _, to := range targets {
		e := model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: svc + ":" + action, Condition: r.Condition, Source: where}
		if pr != nil {
			for _, g := range pr.Grants {
				if actionService(g.Action) == svc && (g.Target == to || g.Target == "*" || g.Target == "external:"+svc) {
					e.Access = mergeKeep(e.Access, g.Access)
					e.Actions = mergeKeep(e.Actions, g.Action)
				}
			}
		}
		b.edge(e)
	}
}
