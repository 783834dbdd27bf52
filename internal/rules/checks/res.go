package checks

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Resource policy rules (SLS-RES-*): policies open to everyone, and grants to
// AWS services without a source condition (confused deputy).

func init() {
	Register("SLS-RES-001", checkResourcePolicyStar)
	Register("SLS-RES-002", checkConfusedDeputy)
}

// principalStar returns the node granting to everyone (Principal: "*" or AWS: "*").
func principalStar(p *yaml.Node) *yaml.Node {
	if p == nil {
		return nil
	}
	if str(p) == "*" {
		return p
	}
	for _, k := range []string{"AWS", "CanonicalUser"} {
		for _, it := range items(get(p, k)) {
			if str(it) == "*" {
				return it
			}
		}
	}
	return nil
}

// checkResourcePolicyStar: queue, topic and bucket policies open to everyone (cfn_nag F18/F21).
func checkResourcePolicyStar(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy") {
		for _, st := range items(get(props(r), "PolicyDocument", "Statement")) {
			if !strings.EqualFold(str(get(st, "Effect")), "Allow") || get(st, "Condition") != nil {
				continue
			}
			if pn := principalStar(get(st, "Principal")); pn != nil {
				acts := []string{}
				for _, a := range items(get(st, "Action")) {
					acts = append(acts, str(a))
				}
				hits = append(hits, Hit{Resource: r.ID, Key: strings.Join(acts, ","),
					Message:  fmt.Sprintf("%s allows anyone (Principal *) %s with no condition", r.ID, strings.Join(acts, ", ")),
					Evidence: at(c.Model, pn, r.Line)})
			}
		}
	}
	return hits, nil
}

var sourceConditionKeys = []string{"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpce"}

// hasSourceCondition reports a condition naming the calling resource or account.
func hasSourceCondition(cond *yaml.Node) bool {
	found := false
	pairs(cond, func(_ string, _, ops *yaml.Node) {
		pairs(ops, func(k string, _, _ *yaml.Node) {
			for _, s := range sourceConditionKeys {
				if strings.EqualFold(k, s) {
					found = true
				}
			}
		})
	})
	return found
}

// policyDocument returns a policy document node; a JSON string (as in
// AWS::Logs::ResourcePolicy) is decoded.
func policyDocument(n *yaml.Node) *yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	s := str(n)
	if s == "" {
		if sub := get(n, "Fn::Sub"); sub != nil {
			s = str(sub)
		} else if n.Tag == "!Sub" {
			s = n.Value
		}
	}
	if s == "" {
		return n
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	var doc yaml.Node
	b, _ := json.Marshal(v)
	if yaml.Unmarshal(b, &doc) != nil {
		return nil
	}
	shift(&doc, n.Line-1)
	return deref(&doc)
}

func shift(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shift(c, by)
	}
}

// checkConfusedDeputy: queue, topic, bucket and log resource policies that
// let an AWS service act without naming which resource or account it acts
// for: any account's resource of that service can use the grant.
func checkConfusedDeputy(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy", "AWS::Logs::ResourcePolicy") {
		doc := get(props(r), "PolicyDocument")
		if r.Type == "AWS::Logs::ResourcePolicy" {
			doc = policyDocument(get(props(r), "PolicyDocument"))
		}
		seen := map[string]bool{}
		for _, st := range items(get(doc, "Statement")) {
			if !strings.EqualFold(str(get(st, "Effect")), "Allow") || hasSourceCondition(get(st, "Condition")) {
				continue
			}
			for _, svc := range items(get(st, "Principal", "Service")) {
				name := str(svc)
				if name == "" || seen[name] || !strings.HasSuffix(name, ".amazonaws.com") {
					continue
				}
				seen[name] = true
				var acts []string
				for _, a := range items(get(st, "Action")) {
					acts = append(acts, str(a))
				}
				hits = append(hits, Hit{Resource: r.ID, Key: name,
					Message: fmt.Sprintf("%s lets %s %s with no aws:SourceArn or aws:SourceAccount condition: the service acting for another account's resource can use this grant (confused deputy)",
						r.ID, name, strings.Join(acts, ", ")),
					Evidence: at(c.Model, svc, r.Line)})
			}
		}
	}
	return hits, nil
}
