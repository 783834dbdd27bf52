package checks

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
)

// Function configuration checks: runtime, supply chain, resilience, observability.

func init() {
	Register("SLS-FN-001", checkReservedConcurrency)
	Register("SLS-FN-003", checkRuntime)
	Register("SLS-FN-004", checkForeignLayers)
	Register("SLS-FN-005", checkCodeSigning)
	Register("SLS-FN-006", checkTracing)
	Register("SLS-FN-007", checkAsyncFailure)
	Register("SLS-LOG-001", checkLogRetention)
	Register("SLS-MON-001", checkAlarms)
	Register("SLS-SFN-001", checkSFNLogging)
	Register("SLS-SFN-002", checkSFNTracing)
	Register("SLS-NET-001", checkPlainHTTP)
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
			Message:  fmt.Sprintf("%s is invoked asynchronously (%s) with no dead-letter queue or on-failure destination: events that fail every retry are lost without a trace", f.ID, strings.Join(dedupeStrings(async), ", ")),
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

func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// checkLogRetention: functions whose log group the template does not manage
// (Lambda creates one that keeps logs forever) and log groups without retention.
func checkLogRetention(c *Context) ([]Hit, error) {
	var hits []Hit
	managed := map[string]bool{}
	// An audit trail's log group keeps everything on purpose: indefinite
	// retention is the intent there, not an oversight.
	audit := map[string]bool{}
	for _, t := range resources(c.Template, "AWS::CloudTrail::Trail") {
		refsIn(get(props(t), "CloudWatchLogsLogGroupArn"), audit)
	}
	for _, r := range resources(c.Template, "AWS::Logs::LogGroup") {
		refs := map[string]bool{}
		refsIn(get(props(r), "LogGroupName"), refs)
		for id := range refs {
			managed[id] = true
		}
		if get(props(r), "RetentionInDays") == nil && !audit[r.ID] {
			hits = append(hits, Hit{Resource: r.ID, Key: "retention",
				Message:  fmt.Sprintf("log group %s keeps its logs forever (no RetentionInDays)", r.ID),
				Evidence: []model.Location{{File: tmplFile(c.Model), Line: r.Line}}})
		}
	}
	for _, f := range c.Model.Functions {
		if f.LogGroup != "" || managed[f.ID] || get(fnProps(c.Template, f), "LoggingConfig", "LogGroup") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "retention",
			Message:  fmt.Sprintf("the template declares no log group for %s: Lambda creates /aws/lambda/%s on first run with no retention and no encryption key", f.ID, f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

func checkAlarms(c *Context) ([]Hit, error) {
	watched := map[string]bool{}
	for _, r := range resources(c.Template, "AWS::CloudWatch::Alarm") {
		refsIn(props(r), watched)
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		if watched[f.ID] {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "alarms",
			Message:  fmt.Sprintf("no CloudWatch alarm watches %s's errors or throttles: failures and abuse go unnoticed", f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}

func checkSFNLogging(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine") {
		key := "Logging"
		if r.Type == "AWS::StepFunctions::StateMachine" {
			key = "LoggingConfiguration"
		}
		lc := get(props(r), key)
		lvl := strings.ToUpper(str(get(lc, "Level")))
		if lc != nil && lvl != "OFF" && get(lc, "Destinations") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "logging",
			Message:  fmt.Sprintf("state machine %s does not log its executions (%s with a Level and Destinations)", r.ID, key),
			Evidence: at(c.Model, lc, r.Line)})
	}
	return hits, nil
}

func checkSFNTracing(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine") {
		key := "Tracing"
		if r.Type == "AWS::StepFunctions::StateMachine" {
			key = "TracingConfiguration"
		}
		if isTrue(get(props(r), key, "Enabled")) {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "tracing",
			Message:  fmt.Sprintf("state machine %s does not send traces to X-Ray (%s Enabled)", r.ID, key),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: r.Line}}})
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
