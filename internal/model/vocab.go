package model

import "strings"

// Severity is how bad a finding is: critical, high, medium, low or info. It
// marshals as its plain string.
type Severity string

// The severities.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Severities lists the severities, most severe first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

var severityRank = map[Severity]int{SeverityCritical: 4, SeverityHigh: 3, SeverityMedium: 2, SeverityLow: 1, SeverityInfo: 0}

// Rank orders severities: critical 4, high 3, medium 2, low 1, info 0;
// anything else (no severity, a typo) also 0. Case matters: callers
// lower-case what a user typed.
func (s Severity) Rank() int { return severityRank[s] }

// Valid reports whether s is one of Severities.
func (s Severity) Valid() bool {
	_, ok := severityRank[s]
	return ok
}

// SeverityNames is Severities joined for messages ("critical, high, ...").
func SeverityNames() string {
	names := make([]string, len(Severities))
	for i, s := range Severities {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// ThirdPartyKind says what a third party is. It marshals as its plain string.
type ThirdPartyKind string

// The third-party kinds.
const (
	ThirdPartyHTTP           ThirdPartyKind = "http"                  // an HTTP(S) endpoint outside AWS
	ThirdPartyPartnerBus     ThirdPartyKind = "partner-event-bus"     // a SaaS partner's EventBridge bus
	ThirdPartyForeignAccount ThirdPartyKind = "foreign-account"       // an ARN in another AWS account
	ThirdPartyForeignLayer   ThirdPartyKind = "foreign-account-layer" // a layer published by another account
	ThirdPartyKafka          ThirdPartyKind = "kafka"                 // a self-managed Kafka cluster
)

// Label is the kind in words, the same in every output; scheme is the
// third party's URL scheme (an HTTP endpoint reads "HTTPS API").
func (k ThirdPartyKind) Label(scheme string) string {
	switch k {
	case ThirdPartyHTTP:
		if scheme != "" {
			return strings.ToUpper(scheme) + " API"
		}
		return "HTTP API"
	case ThirdPartyPartnerBus:
		return "partner event bus"
	case ThirdPartyForeignAccount:
		return "another AWS account"
	case ThirdPartyForeignLayer:
		return "layer from another account"
	case ThirdPartyKafka:
		return "Kafka cluster"
	}
	return string(k)
}

// KindLabel is the third party's kind in words.
func (t *ThirdParty) KindLabel() string { return t.Kind.Label(t.Scheme) }
