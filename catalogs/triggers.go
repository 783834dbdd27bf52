package catalogs

import (
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed triggers.yaml
var triggersYAML []byte

// Invocation modes of a trigger.
const (
	InvokeSync  = "sync"  // the caller waits for the function
	InvokeAsync = "async" // Lambda's event queue: retries, DLQ, destinations
	InvokePoll  = "poll"  // an event source mapping's poller invokes synchronously
)

// Trigger adapters: the code in internal/adapt that models a row.
const (
	AdapterSource   = "source"
	AdapterAPI      = "api"
	AdapterHTTPAPI  = "httpapi"
	AdapterKafka    = "kafka"
	AdapterBus      = "bus"
	AdapterSchedule = "schedule"
	AdapterEntry    = "entry"
	AdapterWired    = "wired"
)

// Trigger is one way a Lambda function is invoked (one row of triggers.yaml).
type Trigger struct {
	Type           string `yaml:"-"` // the row's key: model.Event.Type
	Label          string `yaml:"label"`
	Service        string `yaml:"service"`
	Invocation     string `yaml:"invocation"`
	ExternalInput  bool   `yaml:"externalInput"`
	SourceProperty string `yaml:"sourceProperty,omitempty"`
	DetailProperty string `yaml:"detailProperty,omitempty"`
	Mapping        bool   `yaml:"mapping,omitempty"`
	PollerPolicy   string `yaml:"pollerPolicy,omitempty"`
	CFN            string `yaml:"cfn"`
	Adapter        string `yaml:"adapter"`
	EntryKind      string `yaml:"entryKind,omitempty"`
}

// Async reports whether Lambda receives the trigger's events asynchronously.
func (t Trigger) Async() bool { return t.Invocation == InvokeAsync }

// Validate checks one row; messages start with the row's type.
func (t Trigger) Validate() error {
	switch {
	case t.Label == "":
		return fmt.Errorf("%s: label is required", t.Type)
	case t.Invocation != InvokeSync && t.Invocation != InvokeAsync && t.Invocation != InvokePoll:
		return fmt.Errorf("%s: invocation %q is not sync, async or poll", t.Type, t.Invocation)
	case t.CFN == "":
		return fmt.Errorf("%s: cfn (how plain CloudFormation wires it) is required", t.Type)
	}
	switch t.Adapter {
	case AdapterSource:
		if t.SourceProperty == "" || t.Service == "" {
			return fmt.Errorf("%s: adapter source needs sourceProperty and service", t.Type)
		}
	case AdapterEntry:
		if t.EntryKind == "" {
			return fmt.Errorf("%s: adapter entry needs entryKind", t.Type)
		}
	case AdapterAPI, AdapterHTTPAPI, AdapterKafka, AdapterBus, AdapterSchedule, AdapterWired:
	default:
		return fmt.Errorf("%s: unknown adapter %q", t.Type, t.Adapter)
	}
	if t.Mapping && (t.Service == "" || t.Invocation != InvokePoll) {
		return fmt.Errorf("%s: mapping rows need a service and invocation poll", t.Type)
	}
	if t.PollerPolicy != "" && !t.Mapping {
		return fmt.Errorf("%s: pollerPolicy only applies to event source mappings", t.Type)
	}
	return nil
}

// Integration is an API Gateway route calling an AWS service directly, keyed
// by the HTTP API IntegrationSubtype (the integrations table of triggers.yaml).
type Integration struct {
	Subtype         string `yaml:"-"`
	Service         string `yaml:"service"`
	Action          string `yaml:"action"`
	TargetParameter string `yaml:"targetParameter"`
	Label           string `yaml:"label"`
}

// Validate checks one row; messages start with the subtype.
func (i Integration) Validate() error {
	svc, _, ok := strings.Cut(i.Action, ":")
	switch {
	case i.Service == "" || i.Label == "" || i.TargetParameter == "":
		return fmt.Errorf("%s: service, label and targetParameter are required", i.Subtype)
	case !ok || svc != i.Service:
		return fmt.Errorf("%s: action %q is not an action of service %s", i.Subtype, i.Action, i.Service)
	}
	return nil
}

var (
	triggersOnce sync.Once
	triggers     map[string]Trigger
	integrations map[string]Integration
	triggersErr  error
	esmByService map[string]string
)

// IntegrationOf returns the row of an HTTP API IntegrationSubtype.
func IntegrationOf(subtype string) (Integration, bool) {
	triggersOnce.Do(loadTriggers)
	i, ok := integrations[subtype]
	return i, ok
}

func loadTriggers() {
	var doc struct {
		Triggers     map[string]Trigger     `yaml:"triggers"`
		Integrations map[string]Integration `yaml:"integrations"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(triggersYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		triggersErr = fmt.Errorf("triggers.yaml: %w", err)
		return
	}
	esm := map[string]string{}
	for typ, t := range doc.Triggers {
		t.Type = typ
		doc.Triggers[typ] = t
		if err := t.Validate(); err != nil {
			triggersErr = fmt.Errorf("triggers.yaml: %w", err)
			return
		}
		if t.Mapping {
			if other, dup := esm[t.Service]; dup {
				triggersErr = fmt.Errorf("triggers.yaml: %s: service %s is already the mapping of %s", typ, t.Service, other)
				return
			}
			esm[t.Service] = typ
		}
	}
	for sub, in := range doc.Integrations {
		in.Subtype = sub
		doc.Integrations[sub] = in
		if err := in.Validate(); err != nil {
			triggersErr = fmt.Errorf("triggers.yaml: integrations: %w", err)
			return
		}
	}
	triggers, esmByService, integrations = doc.Triggers, esm, doc.Integrations
}

// Triggers returns every row, sorted by type (validated on first use).
func Triggers() ([]Trigger, error) {
	triggersOnce.Do(loadTriggers)
	out := make([]Trigger, 0, len(triggers))
	for _, t := range triggers {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out, triggersErr
}

// TriggerOf returns the row of an event type. "Permission:<principal>" types
// share the Permission row. Unknown types get a synchronous row without
// outside input whose label is the type itself, and ok false.
func TriggerOf(typ string) (Trigger, bool) {
	triggersOnce.Do(loadTriggers)
	if t, ok := triggers[typ]; ok {
		return t, true
	}
	if base, _, found := strings.Cut(typ, ":"); found {
		if t, ok := triggers[base]; ok {
			t.Type, t.Label = typ, typ
			return t, true
		}
	}
	return Trigger{Type: typ, Label: typ, Invocation: InvokeSync, Adapter: AdapterWired}, false
}

// MappingTrigger names the trigger an event source mapping from service is
// ("EventSourceMapping" when no row maps that service).
func MappingTrigger(service string) string {
	triggersOnce.Do(loadTriggers)
	if typ, ok := esmByService[service]; ok {
		return typ
	}
	return "EventSourceMapping"
}
