package adapt

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// maxDefinitionFile bounds DefinitionUri files read from disk.
const maxDefinitionFile = 4 << 20

// stateMachines models what state machines run: Task states name the
// functions and services they call (inline Definition, DefinitionString,
// DefinitionUri files next to the template), plus SAM Events and Policies.
func (b *builder) stateMachines() {
	for _, r := range b.t.Resources {
		if r.Type != "AWS::Serverless::StateMachine" && r.Type != "AWS::StepFunctions::StateMachine" {
			continue
		}
		p := r.Properties
		def := b.definition(r)
		subs := map[string]*yaml.Node{}
		for _, key := range []string{"DefinitionSubstitutions"} {
			for _, kv := range sam.Pairs(sam.Get(p, key)) {
				subs[kv.Key] = kv.Value
			}
		}
		if def != nil {
			b.states(r, def, subs, 0)
		}
		for _, kv := range sam.Pairs(sam.Get(p, "Events")) {
			typ := sam.Str(sam.Get(kv.Value, "Type"))
			ep := sam.Get(kv.Value, "Properties")
			where := b.src(kv.KeyN, r.ID)
			switch typ {
			case "Api", "HttpApi":
				api := implicitRest
				if v := b.t.Resolve(firstNonNil(sam.Get(ep, "RestApiId"), sam.Get(ep, "ApiId"))); len(v.Refs) > 0 {
					api = v.Refs[0].ID
				}
				kind := "rest"
				if typ == "HttpApi" {
					kind = "http"
				}
				id := b.route(api, kind, b.t.Resolve(sam.Get(ep, "Method")).Text, b.t.Resolve(sam.Get(ep, "Path")).Text, "", "NONE", true, r.Condition, where)
				if a := b.apis[api]; a != nil {
					name := a.defaultAuth
					if az := sam.Get(ep, "Auth", "Authorizer"); az != nil {
						name = b.t.Resolve(az).Text
					}
					b.eps[id].Auth, b.eps[id].Public = a.authLabel(name, a.apiKey)
				}
				if ep := b.eps[id]; ep.Function == "" {
					ep.Integration = "aws:states" // SAM integrates the route with StartExecution
				}
				b.edge(model.Edge{From: id, To: r.ID, Kind: model.EdgeTrigger, Label: typ, Condition: r.Condition, Source: where})
			case "Schedule", "ScheduleV2":
				b.edge(model.Edge{From: b.external("scheduler"), To: r.ID, Kind: model.EdgeTrigger, Label: b.t.Resolve(sam.Get(ep, "Schedule")).Text, Condition: r.Condition, Source: where})
			case "EventBridgeRule", "CloudWatchEvent":
				from := b.refNode(b.t.Resolve(sam.Get(ep, "EventBusName")))
				if from == "" {
					from = b.external("events")
				}
				b.edge(model.Edge{From: from, To: r.ID, Kind: model.EdgeTrigger, Label: typ, Condition: r.Condition, Source: where})
			}
		}
	}
}

// definition returns the state machine definition as a node tree.
func (b *builder) definition(r *sam.Resource) *yaml.Node {
	p := r.Properties
	if d := sam.Get(p, "Definition"); d != nil && d.Kind == yaml.MappingNode {
		return d
	}
	if ds := sam.Get(p, "DefinitionString"); ds != nil {
		v := b.t.Resolve(ds)
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(v.Text), &n); err == nil && len(n.Content) > 0 {
			return n.Content[0]
		}
		b.diag("info", ds, r.ID, "%s: DefinitionString could not be read", r.ID)
		return nil
	}
	uri := sam.Get(p, "DefinitionUri")
	if uri == nil {
		return nil
	}
	return b.localDocument(r, uri)
}

// localDocument reads a definition file next to the template (DefinitionUri,
// AWS::Include): a state machine definition or an OpenAPI document. Only local
// relative or absolute paths are read, bounded in size, with the loader's limits.
func (b *builder) localDocument(r *sam.Resource, uri *yaml.Node) *yaml.Node {
	path := sam.Str(uri)
	if path == "" || strings.Contains(path, "://") {
		b.diag("info", uri, r.ID, "%s: definition is not a local file; what it defines is not modelled", r.ID)
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(b.t.Dir, path)
	}
	data, err := b.t.Files().ReadFile(path, safefs.Other)
	if err == nil && len(data) > maxDefinitionFile {
		err = fmt.Errorf("%d bytes, over the %d-byte limit", len(data), maxDefinitionFile)
	}
	if err != nil {
		b.diag("info", uri, r.ID, "%s: definition file %s not read: %s", r.ID, sam.Str(uri), safefs.Reason(err))
		return nil
	}
	doc, err := sam.Parse(path, data)
	if err != nil {
		b.diag("info", uri, r.ID, "%s: definition file %s cannot be parsed: %v", r.ID, sam.Str(uri), err)
		return nil
	}
	return doc.Root
}

// states walks States (and Parallel branches / Map iterators).
func (b *builder) states(r *sam.Resource, def *yaml.Node, subs map[string]*yaml.Node, depth int) {
	if depth > 20 {
		return
	}
	for _, kv := range sam.Pairs(sam.Get(def, "States")) {
		st := kv.Value
		switch sam.Str(sam.Get(st, "Type")) {
		case "Task":
			b.task(r, kv.Key, st, subs)
		case "Parallel":
			for _, br := range sam.Items(sam.Get(st, "Branches")) {
				b.states(r, br, subs, depth+1)
			}
		case "Map":
			b.states(r, firstNonNil(sam.Get(st, "ItemProcessor"), sam.Get(st, "Iterator")), subs, depth+1)
		}
	}
}

// substitute resolves ${name} DefinitionSubstitutions in a definition string.
func (b *builder) substitute(s string, subs map[string]*yaml.Node) sam.Value {
	if !strings.Contains(s, "${") {
		v := sam.Value{Text: s, Known: true}
		return v
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "Fn::Sub", Tag: "!!str"},
		{Kind: yaml.ScalarNode, Value: s, Tag: "!!str"},
	}}
	return b.t.ResolveWith(n, subs)
}

func (b *builder) task(r *sam.Resource, name string, st *yaml.Node, subs map[string]*yaml.Node) {
	res := b.substitute(b.t.Resolve(sam.Get(st, "Resource")).Text, subs)
	if v := b.t.Resolve(sam.Get(st, "Resource")); len(v.Refs) > 0 {
		res.Refs = append(res.Refs, v.Refs...)
	}
	where := b.src(st, r.ID)
	fnV := res
	if strings.Contains(res.Text, ":states:::lambda:invoke") {
		fnV = b.substitute(b.t.Resolve(firstNonNil(sam.Get(st, "Parameters", "FunctionName"), sam.Get(st, "Arguments", "FunctionName"))).Text, subs)
	}
	if fn := b.fnTarget(fnV); fn == "" && b.remoteTarget(r, fnV.Text, "Task "+name, where) {
		return
	} else if fn != "" {
		b.edge(model.Edge{From: r.ID, To: fn, Kind: model.EdgeTrigger, Label: "Task " + name, Condition: r.Condition, Source: where})
		if f := b.fns[fn]; f != nil {
			f.Events = append(f.Events, withSource(event(name, "StepFunctions", r.Condition, where), r.ID, "Task "+name))
		}
		return
	}
	// service integrations: arn:aws:states:::dynamodb:putItem, sqs:sendMessage...
	if i := strings.Index(res.Text, ":states:::"); i >= 0 {
		svc, rest, _ := strings.Cut(res.Text[i+len(":states:::"):], ":")
		if svc == "aws-sdk" { // arn:aws:states:::aws-sdk:<sdk service>:<action>
			sdk, _, _ := strings.Cut(rest, ":")
			svc = sdkServicePrefix(sdk)
		}
		to := ""
		params := firstNonNil(sam.Get(st, "Parameters"), sam.Get(st, "Arguments"))
		for _, kv := range sam.Pairs(params) {
			key := strings.TrimSuffix(kv.Key, ".$")
			switch key {
			case "TableName", "QueueUrl", "TopicArn", "Bucket", "StateMachineArn", "EventBusName", "StreamName", "SecretId":
				v := b.substitute(b.t.Resolve(kv.Value).Text, subs)
				if id := b.refNode(v); id != "" {
					to = id
				} else if key == "StateMachineArn" && b.remoteTarget(r, v.Text, "Task "+name, where) {
					return
				}
			case "Entries":
				for _, e := range sam.Items(kv.Value) {
					if id := b.refNode(b.substitute(b.t.Resolve(sam.Get(e, "EventBusName")).Text, subs)); id != "" {
						to = id
					}
				}
			}
		}
		if to == "" {
			to = b.external(strings.ToLower(svc))
		}
		b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeAccess, Label: "Task " + name, Condition: r.Condition, Source: where})
		if svc == "http" {
			if ep := b.t.Resolve(sam.Get(params, "ApiEndpoint")).Text; ep != "" {
				if host, scheme := hostOf(ep); host != "" {
					tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: ep, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: r.ID, Source: where}, "")
					b.edge(model.Edge{From: r.ID, To: tp.ID, Kind: model.EdgeOutbound, Label: "Task " + name, Condition: r.Condition, Source: where})
				}
			}
		}
	}
}

// stateMachinePermissions models what a state machine's own role may do
// (SAM Policies or an in-template Role): access edges from the state machine,
// and third-party hosts named in its definition.
func (b *builder) stateMachinePermissions() {
	for _, r := range b.t.Resources {
		if r.Type != "AWS::Serverless::StateMachine" && r.Type != "AWS::StepFunctions::StateMachine" {
			continue
		}
		p := r.Properties
		var samPolicies *yaml.Node
		if r.Type == "AWS::Serverless::StateMachine" && sam.Get(p, "Role") == nil {
			samPolicies = sam.Get(p, "Policies")
			if samPolicies == nil {
				samPolicies = &yaml.Node{Kind: yaml.SequenceNode} // SAM still creates a role
			}
		}
		roleID := b.roleOf(b.t.Resolve(firstNonNil(sam.Get(p, "Role"), sam.Get(p, "RoleArn"))))
		pr := b.principal(model.PrincipalStateMachine, r.ID, roleID, samPolicies, r.Condition, b.src(r.Node, r.ID))
		if pr != nil {
			b.principalEdges(pr, r.ID, r.Condition)
		}
		b.stateMachineLogs(r)
		if def := b.definition(r); def != nil {
			b.definitionHosts(r, def, 0)
		}
	}
}

// definitionHosts finds http(s) URLs anywhere in a definition.
func (b *builder) definitionHosts(r *sam.Resource, n *yaml.Node, depth int) {
	if n == nil || depth > 60 {
		return
	}
	if n.Kind == yaml.ScalarNode {
		for _, raw := range urlRe.FindAllString(b.t.Resolve(n).Text, -1) {
			host, scheme := hostOf(raw)
			if host == "" || isAWSHost(host) {
				continue
			}
			where := b.src(n, r.ID)
			tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: raw, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: r.ID, Source: where}, "")
			b.edge(model.Edge{From: r.ID, To: tp.ID, Kind: model.EdgeOutbound, Label: scheme, Condition: r.Condition, Source: where})
		}
		return
	}
	for _, c := range n.Content {
		b.definitionHosts(r, c, depth+1)
	}
}

// sdkServices maps AWS SDK service names of arn:aws:states:::aws-sdk:<name>
// integrations to IAM service prefixes where they differ.
var sdkServices = map[string]string{"sfn": "states", "eventbridge": "events", "cloudwatchlogs": "logs",
	"cloudwatch": "cloudwatch", "elasticloadbalancingv2": "elasticloadbalancing", "apigatewayv2": "apigateway",
	"opensearch": "es", "sesv2": "ses", "lambda": "lambda", "dynamodbstreams": "dynamodb", "efs": "elasticfilesystem",
	"scheduler": "scheduler", "pipes": "pipes", "bedrockruntime": "bedrock", "bedrockagentruntime": "bedrock"}

func sdkServicePrefix(sdk string) string {
	sdk = strings.ToLower(sdk)
	if p, ok := sdkServices[sdk]; ok {
		return p
	}
	return sdk
}

// remoteTarget models a task target given as a literal ARN outside this
// account (a foreign-account third party) or in a named region (its own
// external node per region, never collapsed with the others). It reports
// whether the ARN was such a target.
func (b *builder) remoteTarget(r *sam.Resource, arn, label string, where model.Source) bool {
	p := iam.SplitARN(arn)
	if p == nil {
		return false
	}
	svc, region := p[2], p[3]
	if acct := arnAccount(arn); acct != "" && isAccountID(acct) && !isAWSOwnedAccount(acct) {
		b.foreignAccount(acct, arn, "", where)
		b.edge(model.Edge{From: r.ID, To: "account:" + acct, Kind: model.EdgeOutbound, Label: label + " (" + svc + ")", Condition: r.Condition, Source: where})
		return true
	}
	if region != "" && !strings.Contains(region, "${") {
		to := b.externalIn(svc, region)
		b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeAccess, Label: label, Condition: r.Condition, Source: where})
		return true
	}
	return false
}

// stateMachineLogs draws the edge from a state machine to the log groups its
// Logging / LoggingConfiguration sends execution history to.
func (b *builder) stateMachineLogs(r *sam.Resource) {
	p := r.Properties
	for _, key := range []string{"Logging", "LoggingConfiguration"} {
		for _, d := range sam.Items(sam.Get(p, key, "Destinations")) {
			lg := sam.Get(d, "CloudWatchLogsLogGroup", "LogGroupArn")
			if lg == nil {
				continue
			}
			to := b.targetOf(b.t.Resolve(lg))
			if to == "" {
				continue
			}
			b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeAccess, Access: []string{model.AccessWrite},
				Label: "execution logs", Condition: r.Condition, Source: b.src(lg, r.ID)})
		}
	}
}
