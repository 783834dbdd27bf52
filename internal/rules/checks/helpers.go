package checks

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/redact"
	"github.com/samthreat/samthreat/internal/sam"
)

// get walks mapping keys from n; nil when any step is missing (sam.Get:
// the one node walker).
func get(n *yaml.Node, keys ...string) *yaml.Node { return sam.Get(n, keys...) }

// The YAML node helpers are sam's (internal/sam/nodes.go); these names
// keep the checks short.

// deref: sam removes aliases when it loads a template, so only a document
// node is left to unwrap.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

// str is a scalar's text as written, tags ignored (`!Ref X` reads X).
func str(n *yaml.Node) string { return sam.Text(deref(n)) }

// isTrue reports a scalar true/"true".
func isTrue(n *yaml.Node) bool { return strings.EqualFold(str(n), "true") }

// isFalse reports an explicit false.
func isFalse(n *yaml.Node) bool { return strings.EqualFold(str(n), "false") }

// intOf reads an integer scalar.
func intOf(n *yaml.Node) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSpace(str(n)))
	return v, err == nil
}

// items returns a sequence's items, a tagged one's too (a single
// non-sequence node as one item).
func items(n *yaml.Node) []*yaml.Node { return sam.Elements(deref(n)) }

// pairs iterates a mapping's key/value pairs in order.
func pairs(n *yaml.Node, fn func(k string, kn, v *yaml.Node)) {
	for _, p := range sam.Pairs(deref(n)) {
		fn(p.Key, p.KeyN, p.Value)
	}
}

// refTarget returns the logical id a node refers to (!Ref X, !GetAtt X.Y, {Ref: X}).
func refTarget(n *yaml.Node) string { return sam.ReferencedID(deref(n)) }

// refsIn collects every logical id referenced anywhere below n.
func refsIn(n *yaml.Node, into map[string]bool) {
	n = deref(n)
	if n == nil {
		return
	}
	if t := refTarget(n); t != "" {
		into[t] = true
	}
	if n.Tag == "!Sub" || get(n, "Fn::Sub") != nil {
		s := str(n)
		if s == "" {
			s = str(get(n, "Fn::Sub"))
			if s == "" {
				if sub := get(n, "Fn::Sub"); sub != nil && sub.Kind == yaml.SequenceNode && len(sub.Content) > 0 {
					s = str(sub.Content[0])
				}
			}
		}
		for {
			i := strings.Index(s, "${")
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], "}")
			if j < 0 {
				break
			}
			id, _, _ := strings.Cut(s[i+2:i+j], ".")
			into[id] = true
			s = s[i+j:]
		}
	}
	for _, c := range n.Content {
		refsIn(c, into)
	}
}

// isIntrinsic reports a node that CloudFormation computes (a tag or Fn:: map).
func isIntrinsic(n *yaml.Node) bool { return sam.IsComputed(deref(n)) }

// tmplFile is the template path evidence points at.
func tmplFile(m *model.Model) string { return m.Template }

// at is evidence at a node's line in the template (falls back to the resource line).
func at(m *model.Model, n *yaml.Node, fallback int) []model.Location {
	line := fallback
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	return []model.Location{{File: tmplFile(m), Line: line}}
}

// src turns a model Source into evidence.
func src(m *model.Model, s model.Source, fallback int) []model.Location {
	line := s.Line
	if line == 0 {
		line = fallback
	}
	f := s.File
	if f == "" {
		f = tmplFile(m)
	}
	return []model.Location{{File: f, Line: line}}
}

// resources of the parsed template with one of the given types, in file order.
func resources(t *sam.Template, types ...string) []*sam.Resource {
	if t == nil {
		return nil
	}
	var out []*sam.Resource
	for _, r := range t.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// props is a resource's properties (never nil for a parsed resource).
func props(r *sam.Resource) *yaml.Node {
	if r == nil {
		return nil
	}
	return r.Properties
}

// resLine is the line of a property or, if absent, of the resource.
func resLine(r *sam.Resource, n *yaml.Node) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return r.Line
}

// Mask hides a secret: it keeps a two-character hint and the length so a
// reader can tell which value is meant, never enough to use it.
func Mask(v string) string { return redact.Mask(v) }

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	freq := map[rune]float64{}
	n := 0.0
	for _, r := range s {
		freq[r]++
		n++
	}
	h := 0.0
	for _, c := range freq {
		p := c / n
		h -= p * math.Log2(p)
	}
	return h
}

// identifierName reports a name that says it holds who or which (a user
// name, a client id, a key id), not a credential, whatever else it says
// (SecretUserName, OauthClientId).
func identifierName(name string) bool {
	l := strings.ToLower(name)
	for _, id := range []string{"username", "user_name", "user-name", "userid", "user_id", "clientid", "client_id", "client-id", "keyid", "key_id", "appid", "app_id"} {
		if strings.HasSuffix(l, id) {
			return true
		}
	}
	return false
}

// secretName reports a name that says it holds a credential.
func secretName(name string, extra []string) bool {
	l := strings.ToLower(name)
	if identifierName(name) {
		return false
	}
	for _, w := range append([]string{"password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "privatekey", "private_key", "credential", "auth_key", "access_key", "accesskey", "signing_key", "client_secret", "connectionstring", "connection_string"}, extra...) {
		if strings.Contains(l, strings.ToLower(w)) {
			// TOKEN_URL, SECRET_ARN, PASSWORD_PARAM name where a secret lives, not the secret.
			for _, ref := range []string{"arn", "url", "uri", "endpoint", "param", "name", "path", "id", "ttl", "expiry", "header", "table", "bucket", "queue", "topic", "length"} {
				if strings.HasSuffix(l, "_"+ref) || strings.HasSuffix(l, "-"+ref) || (strings.HasSuffix(l, ref) && len(l) > len(ref) && strings.HasSuffix(strings.TrimSuffix(l, ref), w)) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// secretValue reports a literal that looks like a credential: known key
// formats, or long random-looking strings (high entropy, mixed classes).
func secretValue(v string) bool {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "AKIA") && len(v) == 20 {
		return true
	}
	for _, p := range []string{"ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "sk_live_", "rk_live_", "AIza", "-----BEGIN"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	if len(v) < 20 || strings.ContainsAny(v, " /\\${}") || strings.HasPrefix(v, "http") || strings.Contains(v, "arn:") {
		return false
	}
	var lower, upper, digit bool
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit} {
		if b {
			classes++
		}
	}
	return classes >= 3 && entropy(v) >= 3.5
}

// paramStrings reads a []string parameter of a user rule.
func paramStrings(c *Context, key string) []string {
	if c == nil || c.Params == nil {
		return nil
	}
	switch v := c.Params[key].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		return []string{v}
	}
	return nil
}

// paramString reads a string parameter of a user rule.
func paramString(c *Context, key string) string {
	if c == nil || c.Params == nil {
		return ""
	}
	if v, ok := c.Params[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// fnLine is a function's declaration line.
func fnLine(f *model.Function) int {
	if f.Line > 0 {
		return f.Line
	}
	return f.Source.Line
}

// fnProps is a function's properties node (nil when the model was built by
// hand, without a template).
func fnProps(t *sam.Template, f *model.Function) *yaml.Node {
	if r := t.Resource(f.ID); r != nil {
		return r.Properties
	}
	return nil
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

// value resolves a scalar, a !Ref to a parameter's default, or "" when
// CloudFormation computes it.
func value(c *Context, n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if id := refTarget(n); id != "" && c.Template != nil {
		for _, p := range c.Template.Parameters {
			if p.Name == id {
				return str(p.Default)
			}
		}
		return ""
	}
	return str(n)
}

// propCheck builds a check over every resource of the types: test returns
// whether it fires, the node to point at (nil: the resource) and a message
// with one %s for the logical id.
func propCheck(types []string, test func(p *yaml.Node) (bool, *yaml.Node, string)) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, r := range resources(c.Template, types...) {
			fire, n, msg := test(props(r))
			if !fire {
				continue
			}
			hits = append(hits, Hit{Resource: r.ID, Key: r.Type, Message: fmt.Sprintf(msg, r.ID), Evidence: at(c.Model, n, r.Line)})
		}
		return hits, nil
	}
}
