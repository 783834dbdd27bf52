package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// Amazon MQ rules (SLS-MQ-*): public brokers and engine versions.

func init() {
	Register("SLS-MQ-001", checkPublicBroker)
	Register("SLS-MQ-002", checkMQVersion)
}

// publicBroker says how a broker is public ("" when it is not).
func publicBroker(c *Context, r *sam.Resource) (string, *yaml.Node) {
	n := get(props(r), "PubliclyAccessible")
	switch {
	case isTrue(n):
		return "PubliclyAccessible: true", n
	case n != nil && refTarget(n) != "":
		if d, ok := paramDefault(c, n); ok && strings.EqualFold(d, "true") {
			return fmt.Sprintf("PubliclyAccessible from parameter %s, true by default", refTarget(n)), n
		}
	}
	return "", n
}

// brokerGroups lists the security groups a broker names.
func brokerGroups(r *sam.Resource) []string {
	var ids []string
	for _, g := range items(get(props(r), "SecurityGroups")) {
		if id := refTarget(g); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// publicBrokerGroups are the security groups of public brokers that no other
// resource uses: what they open is said in the broker's finding.
func publicBrokerGroups(c *Context) map[string]bool {
	out := map[string]bool{}
	if c.Template == nil {
		return out
	}
	others := map[string]bool{}
	for _, r := range c.Template.Resources {
		if r.Type == "AWS::AmazonMQ::Broker" {
			if how, _ := publicBroker(c, r); how != "" {
				for _, id := range brokerGroups(r) {
					out[id] = true
				}
				continue
			}
		}
		if r.Type == "AWS::EC2::SecurityGroupIngress" || r.Type == "AWS::EC2::SecurityGroupEgress" || r.Type == "AWS::EC2::SecurityGroup" {
			continue
		}
		refsIn(props(r), others)
	}
	for id := range out {
		if others[id] {
			delete(out, id)
		}
	}
	return out
}

// checkPublicBroker reports a broker with public endpoints, and in the same
// finding what its security groups open to the internet: one risk, one
// finding.
func checkPublicBroker(c *Context) ([]Hit, error) {
	var hits []Hit
	_, open := openGroups(c)
	mine := publicBrokerGroups(c)
	for _, r := range resources(c.Template, "AWS::AmazonMQ::Broker") {
		how, n := publicBroker(c, r)
		if how == "" {
			continue
		}
		h := Hit{Resource: r.ID,
			Message:  fmt.Sprintf("Amazon MQ broker %s is reachable from the internet (%s): its endpoints resolve to public addresses, and only its security group and user passwords stand between the internet and the queues", r.ID, how),
			Evidence: at(c.Model, n, r.Line)}
		for _, id := range brokerGroups(r) {
			if g := open[id]; g != nil && mine[id] {
				h.Message += fmt.Sprintf("; its security group %s %s", id, g)
				h.Evidence = append(h.Evidence, g.ev...)
			}
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// mqSupported is the oldest engine minor line still supported by Amazon MQ
// (ActiveMQ 5.17 and RabbitMQ 3.12 reached end of support in 2025).
var mqSupported = map[string][2]int{"ACTIVEMQ": {5, 18}, "RABBITMQ": {3, 13}}

func checkMQVersion(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::AmazonMQ::Broker") {
		p := props(r)
		engine := strings.ToUpper(value(c, get(p, "EngineType")))
		vn := get(p, "EngineVersion")
		v := value(c, vn)
		min, ok := mqSupported[engine]
		if !ok || v == "" {
			continue
		}
		parts := strings.Split(v, ".")
		if len(parts) < 2 {
			continue
		}
		maj, e1 := strconv.Atoi(parts[0])
		minor, e2 := strconv.Atoi(parts[1])
		if e1 != nil || e2 != nil || maj > min[0] || (maj == min[0] && minor >= min[1]) {
			continue
		}
		auto := ""
		if isFalse(get(p, "AutoMinorVersionUpgrade")) {
			auto = "; automatic minor upgrades are off"
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "engine",
			Message:  fmt.Sprintf("broker %s runs %s %s, past end of support on Amazon MQ (no security fixes; upgrade to %d.%d or later)%s", r.ID, strings.ToLower(engine), v, min[0], min[1], auto),
			Evidence: at(c.Model, vn, r.Line)})
	}
	return hits, nil
}
