package checks

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"gopkg.in/yaml.v3"
)

// Network rules (SLS-NET-*): plain HTTP to third parties, outbound calls without
// a timeout, security groups open to the internet.

func init() {
	Register("SLS-NET-002", checkNoTimeout)
	Register("SLS-NET-001", checkPlainHTTP)
	Register("SLS-NET-003", checkOpenIngress)
}

// httpCall reports an outbound HTTP call, matched on the module it is
// imported from (or the fetch global).
func httpCall(q string) bool {
	if q == "fetch" || q == "axios" || q == "got" || q == "superagent" || q == "node-fetch" || q == "undici.request" || q == "undici.fetch" {
		return true
	}
	for _, p := range []string{"axios.", "got.", "superagent.", "needle.", "node-fetch."} {
		if strings.HasPrefix(q, p) && !strings.Contains(q, ".create") && !strings.Contains(q, ".defaults") {
			return true
		}
	}
	switch q {
	case "https.request", "https.get", "http.request", "http.get",
		"requests.get", "requests.post", "requests.put", "requests.delete", "requests.patch", "requests.head", "requests.request",
		"requests.Session().get", "requests.Session().post", "requests.Session().put", "requests.Session().request",
		"urllib.request.urlopen", "urllib3.request", "urllib3.PoolManager().request", "urllib3.PoolManager().urlopen",
		"httpx.get", "httpx.post", "httpx.put", "httpx.delete", "httpx.patch", "httpx.request":
		return true
	}
	return false
}

// timeoutArg reports a call that sets its own timeout (or abort signal).
func timeoutArg(c code.ModuleCall) bool {
	for k := range c.Args {
		if strings.Contains(strings.ToLower(k), "timeout") || k == "signal" {
			return true
		}
	}
	return false
}

// timeoutConfigured reports code that configures a timeout somewhere else
// (axios.defaults.timeout, an AbortController, a PoolManager timeout...):
// names used in code, never words in comments.
func timeoutConfigured(u *code.Uses) bool {
	for n := range u.Names {
		l := strings.ToLower(n)
		if (strings.Contains(l, "timeout") && l != "settimeout" && l != "cleartimeout") || n == "AbortController" || n == "AbortSignal" {
			return true
		}
	}
	return false
}

// checkNoTimeout: code that calls a third party over HTTP without any
// timeout keeps the function (and its bill) waiting for a slow partner.
func checkNoTimeout(c *Context) ([]Hit, error) {
	var hits []Hit
	talks := map[string]bool{}
	for _, t := range c.Model.ThirdParties {
		if t.Kind == "http" || t.Kind == "" {
			for _, fn := range t.Functions {
				talks[fn] = true
			}
		}
	}
	for _, f := range c.Model.Functions {
		for _, p := range codeFiles(c, f) {
			u := c.fileUses(p)
			if u == nil || timeoutConfigured(u) {
				continue
			}
			var hit *code.ModuleCall
			for i, call := range u.Calls {
				if httpCall(call.Qualified) && !timeoutArg(call) && !call.CFNResponse { // a custom resource answering CloudFormation is not an outside call
					hit = &u.Calls[i]
					break
				}
			}
			if hit == nil {
				continue
			}
			who := "an HTTP endpoint"
			if talks[f.ID] {
				who = "a third party"
			}
			hits = append(hits, Hit{Resource: f.ID, Key: "timeout",
				Message:  fmt.Sprintf("%s calls %s with %s and no client timeout (%s:%d): a slow or hostile endpoint holds the function until Lambda kills it", f.ID, who, hit.Qualified, filepath.Base(p), hit.Line),
				Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: p, Line: hit.Line}}})
			break
		}
	}
	return hits, nil
}

// checkPlainHTTP: third parties reached over http://, from the model's third
// parties and, for hand-built models, from environment variables.
func checkPlainHTTP(c *Context) ([]Hit, error) {
	var hits []Hit
	seen := map[string]bool{}
	for _, t := range c.Model.ThirdParties {
		if !strings.EqualFold(t.Scheme, "http") && !strings.HasPrefix(strings.ToLower(t.URL), "http://") {
			continue
		}
		for _, fn := range t.Functions {
			k := fn + "|" + t.Host
			if seen[k] {
				continue
			}
			seen[k] = true
			hits = append(hits, Hit{Resource: fn, Key: "http://" + t.Host,
				Message:  fmt.Sprintf("%s talks to %s over plain http://: requests, tokens and answers cross the internet unencrypted", fn, orDefault(t.Host, t.URL)),
				Evidence: src(c.Model, t.Source, 0)})
		}
	}
	for _, f := range c.Model.Functions {
		for _, e := range envVars(c, f) {
			v := strings.ToLower(e.Value)
			if !strings.HasPrefix(v, "http://") {
				continue
			}
			host := strings.SplitN(strings.TrimPrefix(e.Value, "http://"), "/", 2)[0]
			if seen[f.ID+"|"+host] || strings.HasPrefix(host, "localhost") || strings.HasPrefix(host, "127.") {
				continue
			}
			seen[f.ID+"|"+host] = true
			hits = append(hits, Hit{Resource: f.ID, Key: "http://" + host,
				Message:  fmt.Sprintf("%s talks to %s over plain http:// (environment variable %s)", f.ID, host, e.Name),
				Evidence: src(c.Model, e.Source, fnLine(f))})
		}
	}
	return hits, nil
}

// dataPorts are ports of databases, caches, brokers and admin consoles.
var dataPorts = map[int]string{22: "SSH", 3389: "RDP", 3306: "MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle", 27017: "MongoDB/DocumentDB",
	6379: "Redis", 11211: "Memcached", 9200: "OpenSearch", 9092: "Kafka", 9094: "Kafka TLS", 9096: "Kafka SASL", 5671: "AMQP", 5672: "AMQP", 61617: "OpenWire",
	61614: "STOMP", 8883: "MQTT", 8162: "ActiveMQ console", 15671: "RabbitMQ console", 8182: "Neptune", 2049: "NFS"}

// openGroup is what one security group opens to the internet.
type openGroup struct {
	what, cidrs []string
	sev         model.Severity
	ev          []model.Location
}

func (g *openGroup) String() string {
	return fmt.Sprintf("accepts %s from the whole internet (%s)", strings.Join(g.what, ", "), strings.Join(g.cidrs, ", "))
}

// openGroups lists the security groups open to the internet, in template
// order, with every open port: inline rules and AWS::EC2::SecurityGroupIngress
// resources alike.
func openGroups(c *Context) ([]string, map[string]*openGroup) {
	byID := map[string]*openGroup{}
	var order []string
	judge := func(id string, line int, rule *yaml.Node) {
		what, cidr, sev, ok := openIngress(c, rule)
		if !ok {
			return
		}
		g := byID[id]
		if g == nil {
			g = &openGroup{sev: model.SeverityMedium}
			byID[id] = g
			order = append(order, id)
		}
		g.what = appendNew(g.what, what)
		g.cidrs = appendNew(g.cidrs, cidr)
		if sev == model.SeverityHigh {
			g.sev = sev
		}
		g.ev = append(g.ev, model.Location{File: tmplFile(c.Model), Line: resLine2(rule, line)})
	}
	for _, r := range resources(c.Template, "AWS::EC2::SecurityGroup") {
		for _, rule := range items(get(props(r), "SecurityGroupIngress")) {
			judge(r.ID, r.Line, rule)
		}
	}
	for _, r := range resources(c.Template, "AWS::EC2::SecurityGroupIngress") {
		id := refTarget(get(props(r), "GroupId"))
		if id == "" {
			id = r.ID
		}
		judge(id, r.Line, props(r))
	}
	return order, byID
}

// checkOpenIngress reports each security group open to the internet once,
// every open port (and the CIDRs it is open to) in one message, evidence at
// each rule. Groups only functions use open nothing (Lambda's interfaces
// accept no inbound connections), and a public broker's groups are reported
// with the broker (SLS-MQ-001), as one risk.
func checkOpenIngress(c *Context) ([]Hit, error) {
	fnOnly := functionOnlyGroups(c)
	withBroker := publicBrokerGroups(c)
	order, byID := openGroups(c)
	var hits []Hit
	for _, id := range order {
		if fnOnly[id] || withBroker[id] {
			continue
		}
		g := byID[id]
		hits = append(hits, Hit{Resource: id, Severity: g.sev,
			Message:  fmt.Sprintf("security group %s %s", id, g),
			Evidence: g.ev})
	}
	return hits, nil
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// functionOnlyGroups are the groups that only functions use: Lambda's
// network interfaces accept no inbound connections, so an ingress rule on
// them opens nothing.
func functionOnlyGroups(c *Context) map[string]bool {
	fnOnly := map[string]bool{}
	if c.Template == nil {
		return fnOnly
	}
	used := map[string]bool{}
	for _, f := range c.Model.Functions {
		refsIn(get(fnProps(c.Template, f), "VpcConfig"), fnOnly)
	}
	for _, r := range c.Template.Resources {
		if r.Type == "AWS::Serverless::Function" || r.Type == "AWS::Lambda::Function" || r.Type == "AWS::EC2::SecurityGroupIngress" || r.Type == "AWS::EC2::SecurityGroupEgress" {
			continue
		}
		refsIn(props(r), used)
	}
	for id := range fnOnly {
		if used[id] {
			delete(fnOnly, id)
		}
	}
	return fnOnly
}

// openIngress judges one ingress rule: what it opens to the internet
// ("every port", "port 22 (SSH)", "ports 1000-2000"), to which CIDR, and how
// bad; ok is false for rules that admit only part of the internet, web ports
// (80, 443) and protocols without ports.
func openIngress(c *Context, rule *yaml.Node) (what, cidr string, sev model.Severity, ok bool) {
	cidr = value(c, get(rule, "CidrIp"))
	if cidr == "" {
		cidr = value(c, get(rule, "CidrIpv6"))
	}
	if cidr != "0.0.0.0/0" && cidr != "::/0" {
		return "", "", "", false
	}
	proto := strings.ToLower(value(c, get(rule, "IpProtocol")))
	if proto == "-1" || proto == "all" {
		return "every port", cidr, model.SeverityHigh, true
	}
	from, okf := portOf(c, get(rule, "FromPort"))
	to, okt := portOf(c, get(rule, "ToPort"))
	if !okf || !okt || from == to && (from == 80 || from == 443) {
		return "", "", "", false
	}
	var named []string
	for p, n := range dataPorts {
		if p >= from && p <= to {
			named = append(named, fmt.Sprintf("%d (%s)", p, n))
		}
	}
	sort.Strings(named)
	switch {
	case len(named) > 0:
		return "port " + strings.Join(named, ", "), cidr, model.SeverityHigh, true
	case from == to:
		return fmt.Sprintf("port %d", from), cidr, model.SeverityMedium, true
	default:
		return fmt.Sprintf("ports %d-%d", from, to), cidr, model.SeverityMedium, true
	}
}

// portOf reads a port written as a number, a string or a parameter.
func portOf(c *Context, n *yaml.Node) (int, bool) {
	if v, ok := intOf(n); ok {
		return v, true
	}
	v, err := strconv.Atoi(value(c, n))
	return v, err == nil
}

func resLine2(n *yaml.Node, fallback int) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return fallback
}
