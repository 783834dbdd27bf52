package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// event starts a model.Event of type typ with what the trigger catalog says
// about it (asynchronous, outside input).
func event(name, typ, cond string, where model.Source) model.Event {
	tr, _ := catalogs.TriggerOf(typ)
	return model.Event{Name: name, Type: typ, Async: tr.Async(), ExternalInput: tr.ExternalInput, Condition: cond, Where: where}
}

// withSource sets an event's source node and detail.
func withSource(ev model.Event, source, detail string) model.Event {
	ev.Source, ev.Detail = source, detail
	return ev
}

// functionEvents models a SAM function's Events, its function URL and its
// asynchronous destinations. The trigger catalog (catalogs/triggers.yaml)
// says which adapter models each event type.
func (b *builder) functionEvents(f *model.Function) {
	r := b.fnRes(f)
	p := r.Properties
	for _, kv := range sam.Pairs(sam.Get(p, "Events")) {
		typ := sam.Str(sam.Get(kv.Value, "Type"))
		ep := sam.Get(kv.Value, "Properties")
		ev := event(kv.Key, typ, f.Condition, b.src(kv.KeyN, f.ID))
		tr, known := catalogs.TriggerOf(typ)
		if !known {
			tr.Adapter = ""
		}
		switch tr.Adapter {
		case catalogs.AdapterAPI:
			api := b.apiID(sam.Get(ep, "RestApiId"), implicitRest)
			ev.Source = b.apiRoute(f, api, "rest", ep, ev.Where)
			ev.Detail = strings.ToUpper(b.t.Resolve(sam.Get(ep, "Method")).Text) + " " + b.t.Resolve(sam.Get(ep, "Path")).Text
		case catalogs.AdapterHTTPAPI:
			api := b.apiID(sam.Get(ep, "ApiId"), implicitHTTP)
			ev.Source = b.apiRoute(f, api, "http", ep, ev.Where)
			ev.Detail = strings.TrimPrefix(ev.Source, api+" ")
		case catalogs.AdapterSource:
			ev.Source = b.triggerFrom(f, sam.Get(ep, tr.SourceProperty), tr.Service, ev)
			ev.Detail = b.eventDetail(ep, tr)
		case catalogs.AdapterKafka:
			ev.Source = b.selfManagedKafka(sam.Get(ep, "KafkaBootstrapServers"), kv.Key, f.ID, ev.Where)
			b.edge(model.Edge{From: ev.Source, To: f.ID, Kind: model.EdgeTrigger, Label: typ, Condition: f.Condition, Source: ev.Where})
		case catalogs.AdapterBus:
			ev.Source = b.busTrigger(f, sam.Get(ep, "EventBusName"), kv.Key, ev)
			ev.Detail = patternSource(b.t, sam.Get(ep, "Pattern"))
		case catalogs.AdapterSchedule:
			expr := b.t.Resolve(sam.Get(ep, "Schedule")).Text
			if expr == "" {
				expr = b.t.Resolve(sam.Get(ep, "ScheduleExpression")).Text
			}
			ev.Detail = expr
			ev.Source = b.entry("schedule", f.ID+" "+kv.Key, f, "", ev.Where)
		case catalogs.AdapterEntry:
			ev.Detail = b.eventDetail(ep, tr)
			ev.Source = b.entry(tr.EntryKind, f.ID+" "+kv.Key, f, "", ev.Where)
		default:
			b.diag("info", kv.KeyN, f.ID, "%s: event %s of type %q is not modelled", f.ID, kv.Key, typ)
		}
		if dc := sam.Get(ep, "DestinationConfig", "OnFailure"); dc != nil { // stream and queue event failures
			if to := b.targetOf(b.t.Resolve(sam.Get(dc, "Destination"))); to != "" {
				b.edge(model.Edge{From: f.ID, To: to, Kind: model.EdgeDestination, Label: kv.Key + " OnFailure", Condition: f.Condition, Source: b.src(dc, f.ID)})
			}
		}
		if dlq := sam.Get(ep, "DeadLetterConfig", "Arn"); dlq != nil { // EventBridge/Schedule target DLQ
			if to := b.targetOf(b.t.Resolve(dlq)); to != "" && ev.Source != "" {
				b.edge(model.Edge{From: ev.Source, To: to, Kind: model.EdgeDestination, Label: kv.Key + " dead-letter", Condition: f.Condition, Source: b.src(dlq, f.ID)})
			}
		}
		f.Events = append(f.Events, ev)
	}
	if f.URL != nil {
		b.functionURLEntry(f, f.URL)
	}
	b.destinations(f, sam.Get(p, "EventInvokeConfig", "DestinationConfig"), f.ID)
	if f.DeadLetter != "" {
		v := b.t.Resolve(firstNonNil(sam.Get(p, "DeadLetterQueue", "TargetArn"), sam.Get(p, "DeadLetterConfig", "TargetArn")))
		if to := b.targetOf(v); to != "" {
			b.edge(model.Edge{From: f.ID, To: to, Kind: model.EdgeDestination, Label: "dead-letter", Condition: f.Condition, Source: b.src(sam.Get(p, "DeadLetterQueue"), f.ID)})
		}
	}
}

func firstNonNil(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// targetOf names the node a value points at: a template node, or for an ARN
// outside the template another account's third party, the service's node in
// a named region, or external:<service> (outsideARN).
func (b *builder) targetOf(v sam.Value) string {
	if id := b.refNode(v); id != "" {
		return id
	}
	to := b.outsideARN(v.Text)
	if strings.HasPrefix(to, "account:") {
		b.accountNode(to, "", model.Source{File: b.t.File})
	}
	return to
}

// destinations reads OnSuccess/OnFailure destinations (SAM EventInvokeConfig
// or AWS::Lambda::EventInvokeConfig).
func (b *builder) destinations(f *model.Function, dc *yaml.Node, srcID string) {
	for _, which := range []string{"OnSuccess", "OnFailure"} {
		d := sam.Get(dc, which)
		if d == nil {
			continue
		}
		v := b.t.Resolve(sam.Get(d, "Destination"))
		to := b.targetOf(v)
		if to == "" {
			continue
		}
		f.Destinations = append(f.Destinations, to)
		kind := model.EdgeDestination
		if _, isFn := b.fns[to]; isFn {
			kind = model.EdgeInvoke
		}
		b.edge(model.Edge{From: f.ID, To: to, Kind: kind, Label: which, Condition: f.Condition, Source: b.src(d, srcID)})
	}
}

// apiID names the API an event attaches to: a Ref, a literal logical id
// (SAM accepts both), or the implicit API.
func (b *builder) apiID(n *yaml.Node, implicit string) string {
	v := b.t.Resolve(n)
	if len(v.Refs) > 0 {
		return v.Refs[0].ID
	}
	if v.Known && b.t.Resource(v.Text) != nil {
		return v.Text
	}
	if n != nil && !v.Known {
		return v.Text // an API outside the template (ImportValue, parameter)
	}
	return implicit
}

// apiRoute handles one Api/HttpApi event.
func (b *builder) apiRoute(f *model.Function, api, kind string, ep *yaml.Node, where model.Source) string {
	a := b.apis[api]
	if a == nil {
		a = &apiInfo{id: api, kind: kind, authorizers: map[string]string{}}
		b.apis[api] = a
	}
	if api == implicitRest || api == implicitHTTP {
		if _, ok := b.res[api]; !ok {
			typ := "AWS::Serverless::Api"
			if api == implicitHTTP {
				typ = "AWS::Serverless::HttpApi"
			}
			mr := &model.Resource{ID: api, Type: typ, Kind: "api", Service: "execute-api", Boundary: model.BoundaryAccount, File: b.t.File, Line: where.Line, Source: where}
			b.m.Resources = append(b.m.Resources, mr)
			b.res[api] = mr
		}
	}
	method := b.t.Resolve(sam.Get(ep, "Method")).Text
	path := b.t.Resolve(sam.Get(ep, "Path")).Text
	if kind == "http" && path == "" {
		path, method = "$default", "ANY"
	}
	if method == "" {
		method = "ANY"
	}
	authN := sam.Get(ep, "Auth")
	name := a.defaultAuth
	if az := sam.Get(authN, "Authorizer"); az != nil {
		name = b.t.Resolve(az).Text
	}
	apiKey := a.apiKey
	if k, ok := sam.Bool(sam.Get(authN, "ApiKeyRequired")); ok {
		apiKey = k
	}
	label, public := a.authLabel(name, apiKey)
	if strings.EqualFold(method, "OPTIONS") && sam.Get(authN, "Authorizer") == nil {
		label, public = "NONE", true // SAM leaves CORS preflight open
	}
	id := b.route(api, kind, method, path, f.ID, label, public, f.Condition, where)
	if v := sam.Get(ep, "RequestModel"); v != nil {
		if ok, _ := sam.Bool(sam.Get(v, "ValidateBody")); ok {
			b.eps[id].Validated = true
		}
	}
	return id
}

// triggerFrom adds a trigger edge from the node the event source names.
func (b *builder) triggerFrom(f *model.Function, src *yaml.Node, service string, ev model.Event) string {
	v := b.t.Resolve(src)
	from := b.refNode(v)
	if from == "" {
		if src == nil {
			b.diag("warning", nil, f.ID, "%s: %s event %s names no source", f.ID, ev.Type, ev.Name)
			return ""
		}
		from = b.external(service)
		if acct := arnAccount(v.Text); acct != "" && !strings.Contains(acct, "${") {
			b.foreignAccount(acct, v.Text, f.ID, ev.Where)
		}
		if to := b.outsideARN(v.Text); to != "" && (b.tps[to] != nil || !strings.HasPrefix(to, "account:")) {
			from = to // another account (its third party) or a named region
		}
	}
	b.edge(model.Edge{From: from, To: f.ID, Kind: model.EdgeTrigger, Label: ev.Type, Condition: ev.Condition, Source: ev.Where})
	return from
}

// entry adds a non-route entry point (schedule, IoT rule...) triggering f.
func (b *builder) entry(kind, id string, f *model.Function, auth string, where model.Source) string {
	if _, ok := b.eps[id]; !ok {
		ep := &model.EntryPoint{ID: id, Kind: kind, Auth: auth, Function: f.ID, Condition: f.Condition, Source: where}
		if ep.Auth == "" {
			ep.Auth = "NONE"
		}
		b.eps[id] = ep
		b.m.EntryPoints = append(b.m.EntryPoints, ep)
	}
	b.edge(model.Edge{From: id, To: f.ID, Kind: model.EdgeTrigger, Label: kind, Condition: f.Condition, Source: where})
	return id
}

func (b *builder) functionURLEntry(f *model.Function, u *model.FunctionURL) {
	id := f.ID + " URL"
	if _, ok := b.eps[id]; ok {
		return
	}
	auth := u.AuthType
	if auth == "" {
		auth = "NONE"
	}
	ep := &model.EntryPoint{ID: id, Kind: "function-url", Method: "ANY", Path: "/", Auth: auth, Public: auth == "NONE",
		Function: f.ID, HasBody: true, Condition: f.Condition, Source: u.Source}
	b.eps[id] = ep
	b.m.EntryPoints = append(b.m.EntryPoints, ep)
	b.edge(model.Edge{From: id, To: f.ID, Kind: model.EdgeTrigger, Label: "function URL", Condition: f.Condition, Source: u.Source})
}

// busTrigger models an EventBridge rule on a bus: a template bus, a partner
// bus (a third party), or the account's default bus.
func (b *builder) busTrigger(f *model.Function, bus *yaml.Node, name string, ev model.Event) string {
	v := b.t.Resolve(bus)
	from := b.refNode(v)
	if from == "" {
		busName := v.Text
		if _, res := arnParts(busName); res != "" {
			busName = strings.TrimPrefix(res, "event-bus/")
		}
		switch {
		case strings.HasPrefix(busName, "aws.partner/"):
			from = b.partnerBus(busName, f.ID, ev.Where)
		case busName == "" || busName == "default":
			from = b.external("events")
		default:
			from = b.external("events")
		}
	}
	b.edge(model.Edge{From: from, To: f.ID, Kind: model.EdgeTrigger, Label: ev.Type, Condition: ev.Condition, Source: ev.Where})
	return from
}

// patternSource renders an event pattern's source for Event.Detail.
func patternSource(t *sam.Template, p *yaml.Node) string {
	var parts []string
	for _, s := range sam.Items(sam.Get(p, "source")) {
		if s.Kind == yaml.MappingNode {
			for _, kv := range sam.Pairs(s) {
				parts = append(parts, kv.Key+":"+t.Resolve(kv.Value).Text)
			}
			continue
		}
		parts = append(parts, t.Resolve(s).Text)
	}
	if dt := sam.Items(sam.Get(p, "detail-type")); len(dt) > 0 {
		var d []string
		for _, x := range dt {
			d = append(d, t.Resolve(x).Text)
		}
		parts = append(parts, "detail-type="+strings.Join(d, "|"))
	}
	return strings.Join(parts, " ")
}

// eventDetail renders the event property the catalog names as its detail
// (a list is joined with commas).
func (b *builder) eventDetail(ep *yaml.Node, tr catalogs.Trigger) string {
	if tr.DetailProperty == "" {
		return ""
	}
	n := sam.Get(ep, tr.DetailProperty)
	if n == nil || n.Kind != yaml.SequenceNode {
		return b.t.Resolve(n).Text
	}
	var parts []string
	for _, v := range b.t.ResolveList(n) {
		parts = append(parts, v.Text)
	}
	return strings.Join(parts, ",")
}

// selfManagedKafka models a Kafka cluster outside AWS (SAM SelfManagedKafka
// events and event source mappings with SelfManagedEventSource) as a third
// party and returns its id.
func (b *builder) selfManagedKafka(servers *yaml.Node, via, fn string, where model.Source) string {
	var hosts []string
	for _, h := range b.t.ResolveList(servers) {
		hosts = append(hosts, h.Text)
	}
	id := "kafka:" + strings.Join(hosts, ",")
	b.thirdParty(&model.ThirdParty{ID: id, Host: strings.Join(hosts, ","), Kind: model.ThirdPartyKafka, Via: via, Source: where}, fn)
	return id
}
