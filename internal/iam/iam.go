// Package iam knows IAM: every action's access level, wildcard expansion, the
// SAM policy templates and the AWS managed policies, all from catalogs
// generated into catalogs/iam (make catalogs) and embedded, so that an
// analysis never needs the network.
package iam

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
)

// catalog is the parsed IAM data, loaded once on first use.
type catalog struct {
	actions   []string              // canonical "svc:Action", sorted
	byLower   map[string]actionInfo // lower-case action -> what IAM says of it
	byCanon   map[string]actionInfo // the same by canonical name (no case folding on the hot path)
	byService map[string][]string   // lower-case prefix -> canonical actions
	services  map[string]string     // prefix -> service name
	templates map[string]policyTemplate
	names     []string // policy template names, sorted
	managed   map[string]json.RawMessage
	byName    map[string]string // lower-case policy name (last path element) -> key
}

type actionInfo struct {
	canonical string
	level     string
	unscoped  bool // IAM only grants it on "*"
}

type policyTemplate struct {
	Definition json.RawMessage           `json:"Definition"`
	Parameters map[string]map[string]any `json:"Parameters"`
}

var (
	loadOnce sync.Once
	loaded   *catalog
	loadErr  error
)

// data returns the catalog; the embedded data is generated and tested, so a
// failure here is a broken build, reported once as a panic with the reason.
func data() *catalog {
	loadOnce.Do(func() { loaded, loadErr = load() })
	if loadErr != nil {
		panic("iam: embedded catalog is corrupt: " + loadErr.Error())
	}
	return loaded
}

func load() (*catalog, error) {
	c := &catalog{
		byLower:   make(map[string]actionInfo, 25000),
		byCanon:   make(map[string]actionInfo, 25000),
		byService: map[string][]string{},
		services:  map[string]string{},
		byName:    map[string]string{},
	}
	raw := catalogs.IAMActions
	for len(raw) > 0 {
		var line string
		line, raw, _ = strings.Cut(raw, "\n")
		action, rest, ok1 := strings.Cut(line, "\t")
		lvl, scoped, ok2 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("actions: bad line %q", line)
		}
		low := strings.ToLower(action)
		svc, _, _ := strings.Cut(low, ":")
		c.actions = append(c.actions, action)
		c.byLower[low] = actionInfo{canonical: action, level: lvl, unscoped: scoped == "0"}
		c.byCanon[action] = c.byLower[low]
		c.byService[svc] = append(c.byService[svc], action)
	}
	for _, line := range strings.Split(string(catalogs.IAMServices), "\n") {
		if prefix, name, ok := strings.Cut(line, "\t"); ok {
			c.services[prefix] = name
		}
	}
	var doc struct {
		Templates map[string]policyTemplate `json:"Templates"`
	}
	if err := json.Unmarshal(catalogs.SAMPolicyTemplates, &doc); err != nil {
		return nil, fmt.Errorf("policy templates: %w", err)
	}
	c.templates = doc.Templates
	for name := range c.templates {
		c.names = append(c.names, name)
	}
	sort.Strings(c.names)
	c.managed = make(map[string]json.RawMessage, 2000)
	mp := catalogs.IAMManagedPolicies
	for len(mp) > 0 {
		var line string
		line, mp, _ = strings.Cut(mp, "\n")
		key, doc, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("managed policies: bad line %.60q", line)
		}
		c.managed[key] = json.RawMessage(doc)
	}
	for key := range c.managed {
		name := key[strings.LastIndex(key, "/")+1:]
		c.byName[strings.ToLower(name)] = key
	}
	return c, nil
}

// AccessLevel returns read|write|list|tagging|permissions for an exact action
// (case-insensitive); ok is false for an action the catalog does not know.
func AccessLevel(action string) (level string, ok bool) {
	c := data()
	if info, ok := c.byCanon[action]; ok {
		return info.level, true
	}
	info, ok := c.byLower[strings.ToLower(action)]
	return info.level, ok
}

// Access is AccessLevel with a fallback for actions newer than the catalog:
// the verb decides (Get/Describe... read, List... list, Tag... tagging,
// Put*Policy... permissions, anything else write), so that an unknown action
// is never treated as harmless.
func Access(action string) string {
	if lvl, ok := AccessLevel(action); ok {
		return lvl
	}
	_, verb, _ := strings.Cut(action, ":")
	switch {
	case strings.HasPrefix(verb, "List"):
		return model.AccessList
	case strings.HasPrefix(verb, "Tag"), strings.HasPrefix(verb, "Untag"):
		return model.AccessTagging
	case strings.Contains(verb, "Policy") || strings.Contains(verb, "Permission"):
		return model.AccessPermissions
	}
	for _, p := range []string{"Get", "Describe", "Query", "Scan", "BatchGet", "Head", "Select", "Read", "Search", "Lookup", "Receive", "Download", "Retrieve"} {
		if strings.HasPrefix(verb, p) {
			return model.AccessRead
		}
	}
	return model.AccessWrite
}

// OnlyOnAnyResource reports whether IAM accepts only Resource "*" for an
// action (xray:PutTraceSegments, cloudwatch:PutMetricData...): a grant of it on
// "*" is a necessity, not a choice.
func OnlyOnAnyResource(action string) bool {
	return data().byLower[strings.ToLower(action)].unscoped
}

// Known reports whether the catalog knows an exact action.
func Known(action string) bool {
	_, ok := data().byLower[strings.ToLower(action)]
	return ok
}

// Canonical returns an action as the IAM catalog spells it
// (rds:CreateDbSnapshot -> rds:CreateDBSnapshot); ok is false when the
// catalog does not know it.
func Canonical(action string) (string, bool) {
	a, ok := data().byLower[strings.ToLower(action)]
	if !ok {
		return "", false
	}
	return a.canonical, true
}

// ServiceName is the AWS service name for an IAM prefix ("s3" -> "Amazon S3").
func ServiceName(prefix string) (string, bool) {
	name, ok := data().services[strings.ToLower(prefix)]
	return name, ok
}

// Match reports whether an IAM action pattern (with * and ?) matches an
// action, case-insensitively (ASCII, as IAM action names are), as IAM
// evaluates Action and NotAction. It does not allocate.
func Match(pattern, action string) bool {
	return wildcard(pattern, action)
}

// wildcard matches * (any run) and ? (one character) iteratively with ASCII
// case folding, so a hostile pattern cannot make it exponential.
func wildcard(p, s string) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || lower(p[pi]) == lower(s[si])):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ExpandAction expands a pattern with * and ? ("s3:Get*", "iot:*", "*")
// against the catalog, canonical casing, sorted. An exact known action returns
// itself in canonical casing; an action or pattern the catalog cannot expand
// (a service newer than the catalog) returns []string{pattern}, so that a
// permission is never lost.
func ExpandAction(pattern string) []string {
	if out, ok := expansions.Load(pattern); ok {
		return out.([]string)
	}
	out := slices.Clip(expand(data(), strings.TrimSpace(pattern)))
	expansions.Store(pattern, out)
	return out
}

// expansions caches ExpandAction: templates repeat the same few patterns for
// every function. The cached slices are shared, so callers must not modify
// their elements (appending is safe: they are clipped).
var expansions sync.Map

func expand(c *catalog, pattern string) []string {
	if !strings.ContainsAny(pattern, "*?") {
		if info, ok := c.byLower[strings.ToLower(pattern)]; ok {
			return []string{info.canonical}
		}
		return []string{pattern}
	}
	low := strings.ToLower(pattern)
	candidates := c.actions
	if svc, _, ok := strings.Cut(low, ":"); ok && !strings.ContainsAny(svc, "*?") {
		candidates = c.byService[svc]
	}
	var out []string
	for _, a := range candidates {
		if wildcard(low, a) { // wildcard folds case itself
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return []string{pattern}
	}
	return out
}

// PolicyTemplate returns a SAM policy template's definition as JSON bytes
// ({"Statement":[...]}, intrinsics such as Fn::Sub and Ref to its parameters
// left in place) and its parameter names, sorted.
func PolicyTemplate(name string) (def []byte, params []string, ok bool) {
	t, ok := data().templates[name]
	if !ok {
		return nil, nil, false
	}
	for p := range t.Parameters {
		params = append(params, p)
	}
	sort.Strings(params)
	return t.Definition, params, true
}

// PolicyTemplateNames lists every SAM policy template, sorted.
func PolicyTemplateNames() []string {
	return append([]string(nil), data().names...)
}

// ManagedPolicy returns the policy document (JSON bytes) of an AWS managed
// policy given by name ("AmazonS3FullAccess", "service-role/AWSLambdaBasicExecutionRole")
// or ARN (any partition, ${AWS::Partition} included); ok is false when unknown.
func ManagedPolicy(nameOrARN string) (doc []byte, ok bool) {
	c := data()
	key := strings.TrimSpace(nameOrARN)
	if _, rest, found := strings.Cut(key, ":iam::aws:policy/"); found {
		key = rest
	}
	key = strings.TrimPrefix(key, "/")
	if d, ok := c.managed[key]; ok {
		return d, true
	}
	name := key[strings.LastIndex(key, "/")+1:]
	if k, ok := c.byName[strings.ToLower(name)]; ok {
		return c.managed[k], true
	}
	return nil, false
}

// Grants expands statements into one Grant per allowed (action, target), with
// access levels, minus what unconditional Deny statements remove; NotAction
// is expanded against the catalog. Allow statements with conditions still
// grant (the condition may hold). Grants are deduplicated on (action, target),
// keeping the first statement that grants them, in statement order.
func Grants(stmts []model.Statement) []model.Grant {
	c := data()
	var out []model.Grant
	seen := map[[2]string]bool{}
	for _, s := range stmts {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		targets := targetsOf(s)
		for _, a := range allowedActions(c, s) {
			for _, t := range targets {
				k := [2]string{a, t}
				if seen[k] || denied(stmts, a, t) {
					continue
				}
				seen[k] = true
				out = append(out, model.Grant{Action: a, Access: Access(a), Target: t, Origin: s.Origin, Source: s.Source})
			}
		}
	}
	return out
}

func targetsOf(s model.Statement) []string {
	if len(s.Targets) > 0 {
		return s.Targets
	}
	return []string{"*"}
}

// allowedActions expands Action, or the complement of NotAction.
func allowedActions(c *catalog, s model.Statement) []string {
	if len(s.NotActions) > 0 && len(s.Actions) == 0 {
		var out []string
		for _, a := range c.actions {
			if !matchesAny(s.NotActions, a) {
				out = append(out, a)
			}
		}
		return out
	}
	var out []string
	dup := map[string]bool{}
	for _, p := range s.Actions {
		for _, a := range ExpandAction(p) {
			if !dup[a] {
				dup[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

func matchesAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if Match(p, action) {
			return true
		}
	}
	return false
}

// denied reports whether an unconditional Deny removes (action, target). A
// conditional Deny is not applied: samthreat reports what may be granted.
func denied(stmts []model.Statement, action, target string) bool {
	for _, s := range stmts {
		if !strings.EqualFold(s.Effect, "Deny") || s.Condition {
			continue
		}
		var hit bool
		if len(s.Actions) > 0 {
			hit = matchesAny(s.Actions, action)
		} else if len(s.NotActions) > 0 {
			hit = !matchesAny(s.NotActions, action)
		}
		if !hit {
			continue
		}
		for _, t := range targetsOf(s) {
			if t == "*" || t == target {
				return true
			}
		}
	}
	return false
}
