package checks

import (
	"fmt"
	"strconv"
	"strings"
)

// Amazon MQ rules (SLS-MQ-*): public brokers and engine versions.

func init() {
	Register("SLS-MQ-001", checkPublicBroker)
	Register("SLS-MQ-002", checkMQVersion)
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
