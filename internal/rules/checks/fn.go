package checks

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/uniq"
	"gopkg.in/yaml.v3"
)

// Lambda function rules (SLS-FN-*): concurrency, environment keys, runtime,
// layers, code signing, tracing, asynchronous and stream failure handling.

func init() {
	Register("SLS-FN-001", checkReservedConcurrency)
	Register("SLS-FN-003", checkRuntime)
	Register("SLS-FN-004", checkForeignLayers)
	Register("SLS-FN-005", checkCodeSigning)
	Register("SLS-FN-006", checkTracing)
	Register("SLS-FN-007", checkAsyncFailure)
	Register("SLS-FN-008", checkStreamFailure)
	Register("SLS-FN-002", checkEnvNoCMK)
}

func checkReservedConcurrency(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.ReservedConc != nil || get(fnProps(c.Template, f), "ReservedConcurrentExecutions") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "concurrency",
			Message:  fmt.Sprintf("%s has no reserved concurrency: a burst of events can scale it without limit (denial of wallet) and starve the account's other functions", f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

// soonDeprecated is how far ahead a coming deprecation is reported.
const soonDeprecated = 120 * 24 * time.Hour

// Runtime is one entry of catalogs/runtimes.yaml.
type Runtime struct {
	ID         string `yaml:"id"`
	Deprecated string `yaml:"deprecated"`
	Successor  string `yaml:"successor"`
}

var (
	runtimesOnce sync.Once
	runtimes     map[string]Runtime
	runtimesErr  error
)

// Runtimes decodes the runtime deprecation catalog (strictly, once).
func Runtimes() (map[string]Runtime, error) {
	runtimesOnce.Do(func() {
		var doc struct {
			Runtimes []Runtime `yaml:"runtimes"`
		}
		dec := yaml.NewDecoder(bytes.NewReader(catalogs.RuntimesYAML()))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			runtimesErr = fmt.Errorf("catalogs/runtimes.yaml: %w", err)
			return
		}
		runtimes = map[string]Runtime{}
		for _, r := range doc.Runtimes {
			if _, err := time.Parse("2006-01-02", r.Deprecated); err != nil || r.ID == "" {
				runtimesErr = fmt.Errorf("catalogs/runtimes.yaml: %s: bad entry (deprecated %q)", r.ID, r.Deprecated)
				return
			}
			runtimes[r.ID] = r
		}
	})
	return runtimes, runtimesErr
}

func checkRuntime(c *Context) ([]Hit, error) {
	cat, err := Runtimes()
	if err != nil {
		return nil, err
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		rt := f.Runtime
		rn := get(fnProps(c.Template, f), "Runtime")
		if rt == "" {
			rt = str(rn)
		}
		r, ok := cat[rt]
		if !ok {
			continue
		}
		d, _ := time.Parse("2006-01-02", r.Deprecated)
		var msg string
		switch {
		case !now.Before(d):
			msg = fmt.Sprintf("%s runs on %s, deprecated since %s: it no longer gets security patches (move to %s)", f.ID, rt, r.Deprecated, r.Successor)
		case d.Sub(now) <= soonDeprecated:
			msg = fmt.Sprintf("%s runs on %s, which AWS deprecates on %s (move to %s)", f.ID, rt, r.Deprecated, r.Successor)
		default:
			continue
		}
		// No runtime in the key: an upgrade from one deprecated runtime to
		// another is the same finding (triage follows it), not one gone
		// and one new.
		hits = append(hits, Hit{Resource: f.ID, Message: msg, Evidence: at(c.Model, rn, fnLine(f))})
	}
	return hits, nil
}

func checkForeignLayers(c *Context) ([]Hit, error) {
	trusted := map[string]bool{}
	for _, a := range paramStrings(c, "trusted_accounts") {
		trusted[a] = true
	}
	// When the model builder ran, it has already told AWS-published layers
	// (Lambda Insights, Powertools, AppConfig...) from third-party ones: follow
	// it, so the diagram and the findings agree.
	var foreign map[string]bool
	if c.Template != nil {
		foreign = map[string]bool{}
		for _, t := range c.Model.ThirdParties {
			if t.Kind == "foreign-account-layer" {
				foreign[t.Via] = true
			}
		}
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		layers := f.Layers
		nodes := items(get(fnProps(c.Template, f), "Layers"))
		if len(layers) == 0 {
			for _, n := range nodes {
				layers = append(layers, str(n))
			}
		}
		for i, l := range layers {
			acct := accountOf(l)
			if acct == "" || trusted[acct] || (foreign != nil && !foreign[l]) {
				continue
			}
			var n *yaml.Node
			if i < len(nodes) {
				n = nodes[i]
			}
			hits = append(hits, Hit{Resource: f.ID, Key: l,
				Message:  fmt.Sprintf("%s loads layer %s from account %s: code you do not build runs inside the function with its permissions", f.ID, l, acct),
				Evidence: at(c.Model, n, fnLine(f))})
		}
	}
	return hits, nil
}

func checkCodeSigning(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.CodeSigning != "" || get(fnProps(c.Template, f), "CodeSigningConfigArn") != nil || f.InlineCode || strings.EqualFold(f.PackageType, "Image") {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "signing",
			Message:  fmt.Sprintf("%s has no code signing configuration: Lambda accepts any code package uploaded for it", f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

func checkTracing(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		t := f.Tracing
		if t == "" {
			t = str(get(fnProps(c.Template, f), "Tracing"))
			if t == "" {
				t = str(get(fnProps(c.Template, f), "TracingConfig", "Mode"))
			}
		}
		if strings.EqualFold(t, "Active") {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "tracing",
			Message:  fmt.Sprintf("%s does not send traces to X-Ray (Tracing: Active): its calls to other services cannot be followed in an investigation", f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

func checkAsyncFailure(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		var async []string
		for _, e := range f.Events {
			if e.Async {
				async = append(async, e.Type)
			}
		}
		if len(f.Events) == 0 { // hand-built or partial models: read the SAM events
			pairs(get(fnProps(c.Template, f), "Events"), func(_ string, _ *yaml.Node, ev *yaml.Node) {
				if t := str(get(ev, "Type")); isAsyncTrigger(t) {
					async = append(async, t)
				}
			})
		}
		if len(async) == 0 {
			continue
		}
		p := fnProps(c.Template, f)
		if f.DeadLetter != "" || len(f.Destinations) > 0 || get(p, "DeadLetterQueue") != nil || get(p, "DeadLetterConfig") != nil ||
			get(p, "EventInvokeConfig", "DestinationConfig", "OnFailure") != nil || invokeConfigFor(c, f.ID) {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "async",
			Message:  fmt.Sprintf("%s is invoked asynchronously (%s) with no dead-letter queue or on-failure destination: events that fail every retry are lost without a trace", f.ID, strings.Join(uniq.Keep(async), ", ")),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

// isAsyncTrigger reports whether an event type invokes a function
// asynchronously (catalogs/triggers.yaml).
func isAsyncTrigger(typ string) bool {
	tr, _ := catalogs.TriggerOf(typ)
	return tr.Async()
}

func invokeConfigFor(c *Context, fn string) bool {
	for _, r := range resources(c.Template, "AWS::Lambda::EventInvokeConfig") {
		if refTarget(get(props(r), "FunctionName")) == fn && get(props(r), "DestinationConfig", "OnFailure") != nil {
			return true
		}
	}
	return false
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
	return mergeStreamHits(hits), nil
}

// mergeStreamHits makes one finding per function of its unbounded stream
// triggers, every trigger named, evidence at each.
func mergeStreamHits(hits []Hit) []Hit {
	var out []Hit
	at := map[string]int{}
	names := map[string][]string{}
	for _, h := range hits {
		i, seen := at[h.Resource]
		names[h.Resource] = append(names[h.Resource], h.Key)
		if !seen {
			at[h.Resource] = len(out)
			h.Key = ""
			out = append(out, h)
			continue
		}
		out[i].Evidence = append(out[i].Evidence, h.Evidence...)
		out[i].Message = fmt.Sprintf("stream triggers %s of %s have no on-failure destination and no retry or record-age limit: a record that keeps failing is retried until it expires, blocking its shard, and is then lost without a trace",
			strings.Join(names[h.Resource], ", "), h.Resource)
	}
	return out
}

func streamHit(m *model.Model, fn, event, kind string, n *yaml.Node) Hit {
	return Hit{Resource: fn, Key: event,
		Message: fmt.Sprintf("%s trigger %s of %s has no on-failure destination and no retry or record-age limit: a record that keeps failing is retried for %s, blocking its shard, and is then lost without a trace",
			kind, event, fn, streamRetention[kind]),
		Evidence: at(m, n, 0)}
}

func checkEnvNoCMK(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if len(envVars(c, f)) == 0 || f.KMSKeyArn != "" || get(fnProps(c.Template, f), "KmsKeyArn") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "env",
			Message:  fmt.Sprintf("the environment variables of %s are encrypted with the AWS-managed Lambda key, not a customer key (KmsKeyArn)", f.ID),
			Evidence: at(c.Model, get(fnProps(c.Template, f), "Environment"), fnLine(f))})
	}
	return hits, nil
}
