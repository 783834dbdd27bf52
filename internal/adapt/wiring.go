package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// wiringAdapters models, per resource type, the plain CloudFormation
// resources that connect things (the same connections SAM events declare).
var wiringAdapters = map[string]func(b *builder, r *sam.Resource, where model.Source){
	"AWS::Lambda::EventSourceMapping": (*builder).eventSourceMapping,
	"AWS::Lambda::Permission":         (*builder).permission,
	"AWS::Lambda::Url":                (*builder).lambdaURL,
	"AWS::Lambda::EventInvokeConfig":  (*builder).eventInvokeConfig,
	"AWS::Events::Rule":               (*builder).eventRule,
	"AWS::Scheduler::Schedule":        (*builder).schedule,
	"AWS::SNS::Subscription":          (*builder).snsSubscription,
	"AWS::SNS::Topic":                 (*builder).snsTopicSubscriptions,
	"AWS::S3::Bucket":                 (*builder).bucketNotifications,
	"AWS::ApiGateway::Method":         (*builder).restMethod,
	"AWS::ApiGatewayV2::Route":        (*builder).httpRoute,
	"AWS::AppSync::DataSource":        (*builder).appSyncDataSource,
	"AWS::Pipes::Pipe":                (*builder).pipe,
	"AWS::IoT::TopicRule":             (*builder).iotTopicRule,
	"AWS::Logs::SubscriptionFilter":   (*builder).logSubscription,
	"AWS::Cognito::UserPool":          (*builder).userPoolTriggers,
}

// wiring models plain CloudFormation connections, which count as much as SAM
// events: real templates mix both styles.
func (b *builder) wiring() {
	for _, r := range b.t.Resources {
		adapter := wiringAdapters[r.Type]
		if adapter == nil {
			continue
		}
		where := b.src(r.Node, r.ID)
		where.Line = r.Line
		adapter(b, r, where)
	}
}

// eventSourceMapping models AWS::Lambda::EventSourceMapping: a poller
// invoking the function with records from a stream, queue or Kafka cluster.
func (b *builder) eventSourceMapping(r *sam.Resource, where model.Source) {
	p := r.Properties
	fn := b.fnTarget(b.t.Resolve(sam.Get(p, "FunctionName")))
	if fn == "" {
		return
	}
	src := sam.Get(p, "EventSourceArn")
	v := b.t.Resolve(src)
	from := b.refNode(v)
	svc, _ := arnParts(v.Text)
	if from == "" && src != nil {
		from = b.external(svc)
		if to := b.outsideARN(v.Text); to != "" {
			from = to // another account or a named region
			if strings.HasPrefix(to, "account:") {
				b.accountNode(to, fn, where)
			}
		}
	}
	typ := esmType(b, from, svc)
	if src == nil && sam.Get(p, "SelfManagedEventSource") != nil {
		from = b.selfManagedKafka(sam.Get(p, "SelfManagedEventSource", "Endpoints", "KafkaBootstrapServers"), r.ID, fn, where)
		typ = "SelfManagedKafka"
	}
	b.plainTrigger(fn, from, typ, r.ID, "", r.Condition, where)
}

// lambdaURL models AWS::Lambda::Url: the function's URL as an entry point.
func (b *builder) lambdaURL(r *sam.Resource, where model.Source) {
	p := r.Properties
	fn := b.fnTarget(b.t.Resolve(sam.Get(p, "TargetFunctionArn")))
	if f := b.fns[fn]; f != nil {
		if f.URL == nil {
			f.URL = b.functionURL(fn, p)
			f.URL.Source = where
		}
		b.functionURLEntry(f, f.URL)
	}
}

// eventInvokeConfig models AWS::Lambda::EventInvokeConfig's destinations.
func (b *builder) eventInvokeConfig(r *sam.Resource, _ model.Source) {
	fn := b.fnTarget(b.t.Resolve(sam.Get(r.Properties, "FunctionName")))
	if f := b.fns[fn]; f != nil {
		b.destinations(f, sam.Get(r.Properties, "DestinationConfig"), r.ID)
	}
}

// schedule models AWS::Scheduler::Schedule: a principal (its role) that
// invokes a function (an entry point of the function), or a node of its own
// that calls a service API (universal target) or sends to a resource, with
// its role's access drawn from it.
func (b *builder) schedule(r *sam.Resource, where model.Source) {
	p := r.Properties
	pr := b.principal(model.PrincipalSchedule, r.ID, b.roleOf(b.t.Resolve(sam.Get(p, "Target", "RoleArn"))), nil, r.Condition, where)
	tgt := b.t.Resolve(sam.Get(p, "Target", "Arn"))
	expr := b.t.Resolve(sam.Get(p, "ScheduleExpression")).Text
	if f := b.fns[b.fnTarget(tgt)]; f != nil {
		id := b.entry("schedule", r.ID, f, "", where)
		f.Events = append(f.Events, withSource(event(r.ID, "Schedule", r.Condition, where), id, expr))
	} else if svc, action, ok := universalTarget(tgt.Text); ok {
		b.resource(r)
		b.edge(model.Edge{From: b.external("scheduler"), To: r.ID, Kind: model.EdgeTrigger, Label: expr, Condition: r.Condition, Source: where})
		b.universalTarget(r, pr, svc, action, where)
	} else if to := b.refNode(tgt); to != "" {
		b.resource(r)
		b.edge(model.Edge{From: b.external("scheduler"), To: r.ID, Kind: model.EdgeTrigger, Label: expr, Condition: r.Condition, Source: where})
		b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: "schedule", Condition: r.Condition, Source: where})
	}
	if pr != nil {
		b.flowPrincipalEdges(pr, r.ID, r.Condition)
	}
}

// snsSubscription models AWS::SNS::Subscription.
func (b *builder) snsSubscription(r *sam.Resource, where model.Source) {
	p := r.Properties
	topic := b.refNode(b.t.Resolve(sam.Get(p, "TopicArn")))
	if topic == "" {
		topic = b.external("sns")
	}
	b.subscription(topic, sam.Get(p, "Protocol"), sam.Get(p, "Endpoint"), r, where)
}

// snsTopicSubscriptions models the Subscription list of AWS::SNS::Topic.
func (b *builder) snsTopicSubscriptions(r *sam.Resource, _ model.Source) {
	for _, s := range sam.Items(sam.Get(r.Properties, "Subscription")) {
		b.subscription(r.ID, sam.Get(s, "Protocol"), sam.Get(s, "Endpoint"), r, b.src(s, r.ID))
	}
}

// bucketNotifications models an AWS::S3::Bucket's NotificationConfiguration:
// functions it triggers, queues and topics it sends to.
func (b *builder) bucketNotifications(r *sam.Resource, _ model.Source) {
	nc := sam.Get(r.Properties, "NotificationConfiguration")
	for _, lc := range sam.Items(sam.Get(nc, "LambdaConfigurations")) {
		fn := b.fnTarget(b.t.Resolve(sam.Get(lc, "Function")))
		b.plainTrigger(fn, r.ID, "S3", r.ID, b.t.Resolve(sam.Get(lc, "Event")).Text, r.Condition, b.src(lc, r.ID))
	}
	for _, key := range []string{"QueueConfigurations", "TopicConfigurations"} {
		for _, c := range sam.Items(sam.Get(nc, key)) {
			field := "Queue"
			if key == "TopicConfigurations" {
				field = "Topic"
			}
			if to := b.refNode(b.t.Resolve(sam.Get(c, field))); to != "" {
				b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: "S3 notification", Condition: r.Condition, Source: b.src(c, r.ID)})
			}
		}
	}
}

// pipe models AWS::Pipes::Pipe as a node between its source and its
// enrichment and target (source -> pipe -> target), with its role's access
// drawn from it. A function it invokes records the event with the pipe's
// source, as an event source mapping would.
func (b *builder) pipe(r *sam.Resource, where model.Source) {
	p := r.Properties
	pr := b.principal(model.PrincipalPipe, r.ID, b.roleOf(b.t.Resolve(sam.Get(p, "RoleArn"))), nil, r.Condition, where)
	b.resource(r)
	from := b.targetOf(b.t.Resolve(sam.Get(p, "Source")))
	b.edge(model.Edge{From: from, To: r.ID, Kind: model.EdgeTrigger, Label: "Pipe", Condition: r.Condition, Source: where})
	for _, key := range []string{"Enrichment", "Target"} {
		v := b.t.Resolve(sam.Get(p, key))
		if b.outboundTo(r.ID, v, "pipe "+strings.ToLower(key), r.Condition, where) {
			continue
		}
		if fn := b.fnTarget(v); fn != "" {
			if f := b.fns[fn]; f != nil && from != "" {
				f.Events = append(f.Events, withSource(event(r.ID, "Pipe", r.Condition, where), from, key))
			}
			b.edge(model.Edge{From: r.ID, To: fn, Kind: model.EdgeTrigger, Label: "Pipe", Condition: r.Condition, Source: where})
		} else if to := b.targetOf(v); to != "" {
			b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: "pipe " + strings.ToLower(key), Condition: r.Condition, Source: where})
		}
	}
	if pr != nil {
		b.flowPrincipalEdges(pr, r.ID, r.Condition)
	}
}

// iotTopicRule models AWS::IoT::TopicRule: its actions, and the functions it
// invokes as entry points.
func (b *builder) iotTopicRule(r *sam.Resource, where model.Source) {
	p := r.Properties
	sql := b.t.Resolve(sam.Get(p, "TopicRulePayload", "Sql")).Text
	b.topicRuleActions(r, where)
	for _, a := range sam.Items(sam.Get(p, "TopicRulePayload", "Actions")) {
		if f := b.fns[b.fnTarget(b.t.Resolve(sam.Get(a, "Lambda", "FunctionArn")))]; f != nil {
			id := b.entry("iot-rule", r.ID, f, "", where)
			f.Events = append(f.Events, withSource(event(r.ID, "IoTRule", r.Condition, where), id, sql))
		}
	}
}

// logSubscription models AWS::Logs::SubscriptionFilter to a function.
func (b *builder) logSubscription(r *sam.Resource, where model.Source) {
	p := r.Properties
	fn := b.fnTarget(b.t.Resolve(sam.Get(p, "DestinationArn")))
	from := b.targetOf(b.t.Resolve(sam.Get(p, "LogGroupName")))
	if from == "" {
		from = b.external("logs")
	}
	b.plainTrigger(fn, from, "CloudWatchLogs", r.ID, "", r.Condition, where)
}

// userPoolTriggers models an AWS::Cognito::UserPool's LambdaConfig triggers.
func (b *builder) userPoolTriggers(r *sam.Resource, _ model.Source) {
	for _, kv := range sam.Pairs(sam.Get(r.Properties, "LambdaConfig")) {
		if fn := b.fnTarget(b.t.Resolve(kv.Value)); fn != "" {
			b.plainTrigger(fn, r.ID, "Cognito", r.ID, kv.Key, r.Condition, b.src(kv.KeyN, r.ID))
		}
	}
}

// esmType names an event source mapping's trigger type from its source node
// or ARN service (catalogs/triggers.yaml rows with mapping: true).
func esmType(b *builder, from, svc string) string {
	if mr := b.res[from]; mr != nil {
		svc = mr.Service
	}
	return catalogs.MappingTrigger(svc)
}

// plainTrigger records a trigger wired outside SAM Events on fn.
func (b *builder) plainTrigger(fn, from, typ, name, detail string, cond string, where model.Source) {
	f := b.fns[fn]
	if f == nil || from == "" {
		return
	}
	for _, ev := range f.Events { // SAM already said it
		if ev.Source == from && ev.Type == typ {
			return
		}
	}
	f.Events = append(f.Events, withSource(event(name, typ, cond, where), from, detail))
	b.edge(model.Edge{From: from, To: fn, Kind: model.EdgeTrigger, Label: typ, Condition: cond, Source: where})
}

// permission models AWS::Lambda::Permission: who may invoke the function.
func (b *builder) permission(r *sam.Resource, where model.Source) {
	p := r.Properties
	fn := b.fnTarget(b.t.Resolve(sam.Get(p, "FunctionName")))
	if fn == "" {
		return
	}
	principal := iam.ServicePrincipal(b.t.Resolve(sam.Get(p, "Principal")).Text)
	srcV := b.t.Resolve(sam.Get(p, "SourceArn"))
	from := ""
	for _, ref := range srcV.Refs {
		res := b.t.Resource(ref.ID)
		if res == nil || res.Type == "AWS::Events::Rule" || res.Type == "AWS::ApiGateway::Method" || strings.HasPrefix(res.Type, "AWS::ApiGatewayV2::") && res.Type != "AWS::ApiGatewayV2::Api" {
			continue // the rule / route wiring already models the source
		}
		if _, isAPI := b.apis[ref.ID]; isAPI {
			continue // routes come from methods/routes/OpenAPI
		}
		from = b.node(ref.ID)
		break
	}
	switch {
	case from != "":
		typ := strings.TrimSuffix(principal, ".amazonaws.com")
		b.plainTrigger(fn, from, "Permission:"+typ, r.ID, principal, r.Condition, where)
	case principal == "*":
		b.diag("warning", r.Node, r.ID, "%s: %s may be invoked by any principal", r.ID, fn)
	case arnAccount("arn:aws:iam::"+principal+":root") != "" && isAccountID(principal):
		b.foreignAccount(principal, "arn:aws:iam::"+principal+":root", fn, where)
	}
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// eventRule models an EventBridge rule: its bus (or schedule) triggers each
// function target directly (an event of the function); the rule is a node of
// its own between the bus and its other targets (bus -> rule -> target), with
// the access of its targets' roles drawn from it.
func (b *builder) eventRule(r *sam.Resource, where model.Source) {
	p := r.Properties
	expr := b.t.Resolve(sam.Get(p, "ScheduleExpression")).Text
	for _, tgt := range sam.Items(sam.Get(p, "Targets")) {
		v := b.t.Resolve(sam.Get(tgt, "Arn"))
		tw := b.src(tgt, r.ID)
		pr := b.rulePrincipal(r, tgt, tw)
		if f := b.fns[b.fnTarget(v)]; f != nil {
			if expr != "" {
				id := b.entry("schedule", r.ID, f, "", tw)
				f.Events = append(f.Events, withSource(event(r.ID, "Schedule", r.Condition, tw), id, expr))
				continue
			}
			from := b.busTrigger(f, sam.Get(p, "EventBusName"), r.ID, model.Event{Type: "EventBridgeRule", Condition: r.Condition, Where: tw})
			f.Events = append(f.Events, withSource(event(r.ID, "EventBridgeRule", r.Condition, tw), from, patternSource(b.t, sam.Get(p, "EventPattern"))))
			continue
		}
		_, _, isDest := b.apiDestinationOf(v)
		to := ""
		if !isDest {
			if to = b.targetOf(v); to == "" {
				continue
			}
		}
		b.ruleNode(r, expr, tw)
		if isDest {
			b.outboundTo(r.ID, v, "rule "+r.ID, r.Condition, tw)
		} else {
			b.edge(model.Edge{From: r.ID, To: to, Kind: model.EdgeTrigger, Label: "rule target", Condition: r.Condition, Source: tw})
		}
		if pr != nil {
			b.flowPrincipalEdges(pr, r.ID, r.Condition)
		}
	}
}

// rulePrincipal records the role a rule target acts with (one principal per
// rule, or per target when a second target has its own role).
func (b *builder) rulePrincipal(r *sam.Resource, tgt *yaml.Node, tw model.Source) *model.Principal {
	roleID := b.roleOf(b.t.Resolve(sam.Get(tgt, "RoleArn")))
	if roleID == "" {
		return nil
	}
	id := r.ID
	if old := b.principalByID(id); old != nil && old.Role != roleID { // a second target with its own role
		id = r.ID + " " + b.t.Resolve(sam.Get(tgt, "Id")).Text
	}
	return b.principal(model.PrincipalRule, id, roleID, nil, r.Condition, tw)
}

// ruleNode draws a rule with targets other than functions as a node, fed by
// its bus (a template bus, a partner bus, the account's default bus) or by
// the scheduler.
func (b *builder) ruleNode(r *sam.Resource, expr string, tw model.Source) {
	if _, ok := b.res[r.ID]; ok {
		return
	}
	b.resource(r)
	busV := b.t.Resolve(sam.Get(r.Properties, "EventBusName"))
	from, label := b.refNode(busV), "rule"
	switch {
	case from != "":
	case expr != "":
		from, label = b.external("scheduler"), expr
	case strings.HasPrefix(busV.Text, "aws.partner/"):
		from = b.partnerBus(busV.Text, "", tw)
	default:
		from = b.external("events")
	}
	b.edge(model.Edge{From: from, To: r.ID, Kind: model.EdgeTrigger, Label: label, Condition: r.Condition, Source: tw})
}

// subscription models an SNS subscription to a function, queue or URL.
func (b *builder) subscription(topic string, protoN, endpointN *yaml.Node, r *sam.Resource, where model.Source) {
	proto := strings.ToLower(b.t.Resolve(protoN).Text)
	ev := b.t.Resolve(endpointN)
	switch proto {
	case "lambda":
		b.plainTrigger(b.fnTarget(ev), topic, "SNS", r.ID, "", r.Condition, where)
	case "sqs", "firehose":
		if to := b.targetOf(ev); to != "" {
			b.edge(model.Edge{From: topic, To: to, Kind: model.EdgeTrigger, Label: "SNS subscription", Condition: r.Condition, Source: where})
		}
	case "http", "https":
		if host, scheme := hostOf(ev.Text); host != "" {
			tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: ev.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: r.ID, Source: where}, "")
			b.edge(model.Edge{From: topic, To: tp.ID, Kind: model.EdgeOutbound, Label: "SNS " + proto, Condition: r.Condition, Source: where})
		}
	}
}

// restMethod models AWS::ApiGateway::Method with a Lambda (or HTTP) integration.
func (b *builder) restMethod(r *sam.Resource, where model.Source) {
	p := r.Properties
	apiV := b.t.Resolve(sam.Get(p, "RestApiId"))
	api := "RestApi"
	if len(apiV.Refs) > 0 {
		api = apiV.Refs[0].ID
	}
	method := b.t.Resolve(sam.Get(p, "HttpMethod")).Text
	path := b.restPath(sam.Get(p, "ResourceId"), 0)
	uri := b.t.Resolve(sam.Get(p, "Integration", "Uri"))
	fn := b.fnTarget(uri)
	authType := strings.ToUpper(b.t.Resolve(sam.Get(p, "AuthorizationType")).Text)
	apiKey, _ := sam.Bool(sam.Get(p, "ApiKeyRequired"))
	auth, public := "NONE", true
	switch authType {
	case "", "NONE":
		if apiKey {
			auth = "API_KEY"
		}
	case "AWS_IAM":
		auth, public = "AWS_IAM", false
	case "COGNITO_USER_POOLS":
		auth, public = "COGNITO:"+firstRef(b.t.Resolve(sam.Get(p, "AuthorizerId"))), false
	case "CUSTOM":
		auth, public = "LAMBDA:"+firstRef(b.t.Resolve(sam.Get(p, "AuthorizerId"))), false
	default:
		auth, public = authType, false
	}
	if strings.EqualFold(method, "OPTIONS") && fn == "" {
		return // CORS mock
	}
	id := b.route(api, "rest", method, path, fn, auth, public, r.Condition, where)
	if f := b.fns[fn]; f != nil {
		f.Events = append(f.Events, withSource(event(r.ID, "Api", r.Condition, where), id, strings.ToUpper(method)+" "+path))
	}
	{
		integ := sam.Get(p, "Integration")
		typ := strings.ToUpper(b.t.Resolve(sam.Get(integ, "Type")).Text)
		if typ == "" && uri.Text != "" {
			typ = "HTTP"
		}
		b.integrate(apiIntegration{route: id, via: r.ID, typ: typ, uri: uri,
			creds: b.t.Resolve(sam.Get(integ, "Credentials")), method: b.t.Resolve(sam.Get(integ, "IntegrationHttpMethod")).Text,
			params: []*yaml.Node{sam.Get(integ, "RequestParameters"), sam.Get(integ, "RequestTemplates")},
			cond:   r.Condition, where: where})
	}
}

func firstRef(v sam.Value) string {
	if len(v.Refs) > 0 {
		return v.Refs[0].ID
	}
	return v.Text
}

// restPath rebuilds a path from AWS::ApiGateway::Resource PathPart chains.
func (b *builder) restPath(n *yaml.Node, depth int) string {
	v := b.t.Resolve(n)
	if depth > 30 || len(v.Refs) == 0 {
		return "/"
	}
	ref := v.Refs[0]
	res := b.t.Resource(ref.ID)
	if res == nil || res.Type != "AWS::ApiGateway::Resource" || ref.Attr != "" {
		return "/" // RootResourceId
	}
	parent := b.restPath(sam.Get(res.Properties, "ParentId"), depth+1)
	part := b.t.Resolve(sam.Get(res.Properties, "PathPart")).Text
	return strings.TrimSuffix(parent, "/") + "/" + part
}

// httpRoute models AWS::ApiGatewayV2::Route -> Integration -> function.
func (b *builder) httpRoute(r *sam.Resource, where model.Source) {
	p := r.Properties
	apiV := b.t.Resolve(sam.Get(p, "ApiId"))
	api := "HttpApi"
	if len(apiV.Refs) > 0 {
		api = apiV.Refs[0].ID
	}
	kind := "http"
	if a := b.apis[api]; a != nil {
		kind = a.kind
	}
	key := b.t.Resolve(sam.Get(p, "RouteKey")).Text
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		method, path = "ANY", key
	}
	fn := ""
	var integ *sam.Resource
	tgt := b.t.Resolve(sam.Get(p, "Target"))
	for _, ref := range tgt.Refs {
		if ir := b.t.Resource(ref.ID); ir != nil && ir.Type == "AWS::ApiGatewayV2::Integration" {
			integ = ir
			fn = b.fnTarget(b.t.Resolve(sam.Get(ir.Properties, "IntegrationUri")))
		}
	}
	authType := strings.ToUpper(b.t.Resolve(sam.Get(p, "AuthorizationType")).Text)
	auth, public := "NONE", true
	switch authType {
	case "", "NONE":
	case "AWS_IAM":
		auth, public = "AWS_IAM", false
	case "JWT":
		auth, public = "JWT:"+firstRef(b.t.Resolve(sam.Get(p, "AuthorizerId"))), false
	case "CUSTOM":
		auth, public = "LAMBDA:"+firstRef(b.t.Resolve(sam.Get(p, "AuthorizerId"))), false
	default:
		auth, public = authType, false
	}
	id := b.route(api, kind, method, path, fn, auth, public, r.Condition, where)
	if f := b.fns[fn]; f != nil {
		f.Events = append(f.Events, withSource(event(r.ID, "HttpApi", r.Condition, where), id, key))
	}
	if integ != nil {
		ip := integ.Properties
		iw := b.src(integ.Node, integ.ID)
		iw.Line = integ.Line
		b.integrate(apiIntegration{route: id, via: integ.ID, typ: strings.ToUpper(b.t.Resolve(sam.Get(ip, "IntegrationType")).Text),
			uri: b.t.Resolve(sam.Get(ip, "IntegrationUri")), subtype: b.t.Resolve(sam.Get(ip, "IntegrationSubtype")).Text,
			creds: b.t.Resolve(sam.Get(ip, "CredentialsArn")), method: b.t.Resolve(sam.Get(ip, "IntegrationMethod")).Text,
			params: []*yaml.Node{sam.Get(ip, "RequestParameters"), sam.Get(ip, "RequestTemplates")},
			cond:   firstText(r.Condition, integ.Condition), where: iw})
	}
}

// appSyncDataSource: a GraphQL API reaching a function, table or HTTP endpoint.
func (b *builder) appSyncDataSource(r *sam.Resource, where model.Source) {
	p := r.Properties
	api := b.refNode(b.t.Resolve(sam.Get(p, "ApiId")))
	if api == "" {
		api = b.external("appsync")
	}
	if fn := b.fnTarget(b.t.Resolve(sam.Get(p, "LambdaConfig", "LambdaFunctionArn"))); fn != "" {
		b.plainTrigger(fn, api, "AppSync", r.ID, "", r.Condition, where)
		return
	}
	if tbl := b.refNode(b.t.Resolve(sam.Get(p, "DynamoDBConfig", "TableName"))); tbl != "" {
		b.edge(model.Edge{From: api, To: tbl, Kind: model.EdgeAccess, Label: "AppSync data source", Condition: r.Condition, Source: where})
	}
	if ep := b.t.Resolve(sam.Get(p, "HttpConfig", "Endpoint")); ep.Text != "" {
		if host, scheme := hostOf(ep.Text); host != "" && !isAWSHost(host) {
			tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: ep.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: r.ID, Source: where}, "")
			b.edge(model.Edge{From: api, To: tp.ID, Kind: model.EdgeOutbound, Label: "AppSync HTTP", Condition: r.Condition, Source: where})
		}
	}
}
