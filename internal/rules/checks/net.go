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

func checkOpenIngress(c *Context) ([]Hit, error) {
	var hits []Hit
	// Groups that only functions use: Lambda's network interfaces accept no
	// inbound connections, so an ingress rule on them opens nothing.
	fnOnly := map[string]bool{}
	if c.Template != nil {
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
	}
	judge := func(id string, line int, rule *yaml.Node) {
		if fnOnly[id] {
			return
		}
		cidr := value(c, get(rule, "CidrIp"))
		if cidr == "" {
			cidr = value(c, get(rule, "CidrIpv6"))
		}
		if cidr != "0.0.0.0/0" && cidr != "::/0" {
			return
		}
		proto := strings.ToLower(value(c, get(rule, "IpProtocol")))
		from, okf := intOf(get(rule, "FromPort"))
		to, okt := intOf(get(rule, "ToPort"))
		if !okf || !okt {
			if v, err := strconv.Atoi(value(c, get(rule, "FromPort"))); err == nil {
				from, okf = v, true
			}
			if v, err := strconv.Atoi(value(c, get(rule, "ToPort"))); err == nil {
				to, okt = v, true
			}
		}
		var what string
		sev := model.SeverityMedium
		switch {
		case proto == "-1" || proto == "all":
			what, sev = "every port", "high"
		case okf && okt:
			if from == to && (from == 80 || from == 443) {
				return
			}
			var named []string
			for p, n := range dataPorts {
				if p >= from && p <= to {
					named = append(named, fmt.Sprintf("%d (%s)", p, n))
				}
			}
			sort.Strings(named)
			if len(named) > 0 {
				sev = "high"
				what = "port " + strings.Join(named, ", ")
			} else if from == to {
				what = fmt.Sprintf("port %d", from)
			} else {
				what = fmt.Sprintf("ports %d-%d", from, to)
			}
		default:
			return
		}
		hits = append(hits, Hit{Resource: id, Key: fmt.Sprintf("%s:%d-%d", proto, from, to), Severity: sev,
			Message:  fmt.Sprintf("security group %s accepts %s from the whole internet (%s)", id, what, cidr),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: resLine2(rule, line)}}})
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
	return hits, nil
}

func resLine2(n *yaml.Node, fallback int) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return fallback
}
