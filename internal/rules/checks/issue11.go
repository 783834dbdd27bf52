package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
)

// Risks the rules used to miss (issue 11): stream triggers with no failure
// handling, public Amazon MQ brokers, credentials written into EventBridge
// connections, and Cognito app-client secrets handed to functions.

func init() {
	Register("SLS-FN-008", checkStreamFailure)
	Register("SLS-MQ-001", checkPublicBroker)
	Register("SLS-SEC-004", checkConnectionLiteral)
	Register("SLS-SEC-005", checkClientSecretEnv)
}

// streamSource says whether an event source is a Kinesis or DynamoDB stream.
func streamSource(c *Context, typ string, arn *yaml.Node) string {
	switch typ {
	case "Kinesis", "DynamoDB":
		return typ
	}
	t := uriText(arn)
	switch {
	case strings.Contains(t, ":kinesis:") || strings.Contains(t, ":stream/"):
		return "Kinesis"
	case strings.Contains(t, "StreamArn") || strings.Contains(t, ":dynamodb:"):
		return "DynamoDB"
	}
	if c.Template != nil {
		if r := c.Template.Resource(refTarget(arn)); r != nil {
			switch r.Type {
			case "AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer":
				return "Kinesis"
			case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
				return "DynamoDB"
			}
		}
	}
	return ""
}

// streamUnbounded reports a stream mapping that neither sends failed batches
// anywhere nor limits retries or record age (the defaults retry a failing
// batch until its records expire).
func streamUnbounded(p *yaml.Node) bool {
	if get(p, "DestinationConfig", "OnFailure", "Destination") != nil {
		return false
	}
	if n, ok := intOf(get(p, "MaximumRetryAttempts")); ok && n >= 0 {
		return false
	}
	if n, ok := intOf(get(p, "MaximumRecordAgeInSeconds")); ok && n >= 0 {
		return false
	}
	return true
}

var streamRetention = map[string]string{"Kinesis": "24 hours or more (the stream's retention)", "DynamoDB": "24 hours"}

func checkStreamFailure(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		pairs(get(fnProps(c.Template, f), "Events"), func(name string, kn, ev *yaml.Node) {
			p := get(ev, "Properties")
			kind := streamSource(c, str(get(ev, "Type")), get(p, "Stream"))
			if kind == "" || (str(get(ev, "Type")) != "Kinesis" && str(get(ev, "Type")) != "DynamoDB") || !streamUnbounded(p) {
				return
			}
			hits = append(hits, streamHit(c.Model, f.ID, name, kind, kn))
		})
	}
	for _, r := range resources(c.Template, "AWS::Lambda::EventSourceMapping") {
		p := props(r)
		kind := streamSource(c, "", get(p, "EventSourceArn"))
		if kind == "" || !streamUnbounded(p) {
			continue
		}
		fn := refTarget(get(p, "FunctionName"))
		if fn == "" {
			fn = r.ID
		}
		hits = append(hits, streamHit(c.Model, fn, r.ID, kind, r.Node))
	}
	return hits, nil
}

func streamHit(m *model.Model, fn, event, kind string, n *yaml.Node) Hit {
	return Hit{Resource: fn, Key: event,
		Message: fmt.Sprintf("%s trigger %s of %s has no on-failure destination and no retry or record-age limit: a record that keeps failing is retried for %s, blocking its shard, and is then lost without a trace",
			kind, event, fn, streamRetention[kind]),
		Evidence: at(m, n, 0)}
}

// paramDefault follows !Ref to a template parameter's default.
func paramDefault(c *Context, n *yaml.Node) (string, bool) {
	if c.Template == nil {
		return "", false
	}
	id := refTarget(n)
	for _, p := range c.Template.Parameters {
		if p.Name == id {
			return str(p.Default), true
		}
	}
	return "", false
}

func checkPublicBroker(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::AmazonMQ::Broker") {
		n := get(props(r), "PubliclyAccessible")
		how := ""
		switch {
		case isTrue(n):
			how = "PubliclyAccessible: true"
		case n != nil && refTarget(n) != "":
			if d, ok := paramDefault(c, n); ok && strings.EqualFold(d, "true") {
				how = fmt.Sprintf("PubliclyAccessible from parameter %s, true by default", refTarget(n))
			}
		}
		if how == "" {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID,
			Message:  fmt.Sprintf("Amazon MQ broker %s is reachable from the internet (%s): its endpoints resolve to public addresses, and only its security group and user passwords stand between the internet and the queues", r.ID, how),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}

// connectionSecrets are the AuthParameters of an EventBridge connection that
// hold credentials.
var connectionSecrets = [][]string{
	{"ApiKeyAuthParameters", "ApiKeyValue"},
	{"BasicAuthParameters", "Password"},
	{"OAuthParameters", "ClientParameters", "ClientSecret"},
}

// literalCredential reports a value written in the template (not a
// reference, a parameter or a {{resolve:...}} dynamic reference).
func literalCredential(n *yaml.Node) bool {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || isIntrinsic(n) {
		return false
	}
	v := strings.TrimSpace(n.Value)
	return v != "" && !strings.Contains(v, "{{resolve:")
}

func checkConnectionLiteral(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Events::Connection") {
		auth := get(props(r), "AuthParameters")
		var where []string
		var first *yaml.Node
		var secrets []string
		for _, path := range connectionSecrets {
			n := get(auth, path...)
			if literalCredential(n) {
				where = append(where, strings.Join(path, "."))
				secrets = append(secrets, str(n))
				if first == nil {
					first = n
				}
			}
		}
		for _, group := range []string{"HeaderParameters", "QueryStringParameters", "BodyParameters"} {
			for _, it := range items(get(auth, "InvocationHttpParameters", group)) {
				if isTrue(get(it, "IsValueSecret")) && literalCredential(get(it, "Value")) {
					where = append(where, "InvocationHttpParameters."+group+"."+str(get(it, "Key")))
					secrets = append(secrets, str(get(it, "Value")))
					if first == nil {
						first = get(it, "Value")
					}
				}
			}
		}
		if len(where) == 0 {
			continue
		}
		masked := make([]string, 0, len(secrets))
		for _, s := range secrets {
			masked = append(masked, Mask(s))
		}
		hits = append(hits, Hit{Resource: r.ID, Secrets: secrets,
			Message:  fmt.Sprintf("connection %s has its credential written in the template (%s: %s): anyone who can read the template, the stack or its history has the partner's key", r.ID, strings.Join(where, ", "), strings.Join(masked, ", ")),
			Evidence: at(c.Model, first, r.Line)})
	}
	return hits, nil
}

func checkClientSecretEnv(c *Context) ([]Hit, error) {
	if c.Template == nil {
		return nil, nil
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		for _, e := range f.Environment {
			for _, ref := range e.Refs {
				ref, _, _ = strings.Cut(ref, ".") // refs may carry the attribute (Client.ClientSecret)
				r := c.Template.Resource(ref)
				if r == nil || r.Type != "AWS::Cognito::UserPoolClient" || !strings.Contains(e.Value, ref+".ClientSecret") {
					continue
				}
				hits = append(hits, Hit{Resource: f.ID, Key: e.Name,
					Message:  fmt.Sprintf("environment variable %s of %s holds the client secret of user-pool app client %s (!GetAtt %s.ClientSecret): it is stored in plain text in the function's configuration, readable by anyone with lambda:GetFunctionConfiguration", e.Name, f.ID, ref, ref),
					Evidence: src(c.Model, e.Source, fnLine(f))})
				break
			}
		}
	}
	return hits, nil
}
