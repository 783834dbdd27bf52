package checks

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// Rules on where the handler's event goes in its own module (issue 16):
// into the logs (SLS-LOG-002), into a query, expression, message, topic or
// file path (SLS-INJ-002), into a URL that is fetched (SLS-INJ-003). The
// flows come from code.EventFlows, an intra-module walk over the syntax tree.

func init() {
	Register("SLS-LOG-002", checkLoggedEvent)
	Register("SLS-INJ-002", flowCheck(map[string]string{
		code.SinkSQL: "an SQL statement", code.SinkDDBExpr: "a DynamoDB expression", code.SinkMessage: "a message built as JSON text",
		code.SinkTopic: "an IoT topic name", code.SinkPath: "a file path",
	}))
	Register("SLS-INJ-003", flowCheck(map[string]string{code.SinkURL: "a URL the function fetches"}))
}

// handlerName is the function part of a Handler setting ("app.lambda_handler").
func handlerName(t *sam.Template, f *model.Function) string {
	h := f.Handler
	if h == "" && fnProps(t, f) != nil {
		h = str(get(fnProps(t, f), "Handler"))
	}
	if i := strings.LastIndex(h, "."); i >= 0 {
		h = h[i+1:]
	}
	return h
}

// flows lists the event flows of a function's code, per file (cached per
// evaluation).
func (c *Context) flows(f *model.Function) map[string][]code.Flow {
	out := map[string][]code.Flow{}
	h := handlerName(c.Template, f)
	for _, p := range codeFiles(c, f) {
		key := p + "|" + h
		var fl []code.Flow
		cached := false
		if c.Shared != nil {
			c.Shared.mu.Lock()
			if c.Shared.flows == nil {
				c.Shared.flows = map[string][]code.Flow{}
			}
			fl, cached = c.Shared.flows[key]
			c.Shared.mu.Unlock()
		}
		if !cached {
			fl, _ = code.EventFlowsFS(filesOf(c), p, h)
			if c.Shared != nil {
				c.Shared.mu.Lock()
				c.Shared.flows[key] = fl
				c.Shared.mu.Unlock()
			}
		}
		if len(fl) > 0 {
			out[p] = fl
		}
	}
	return out
}

func sortedFiles(m map[string][]code.Flow) []string {
	files := make([]string, 0, len(m))
	for p := range m {
		files = append(files, p)
	}
	sort.Strings(files)
	return files
}

// exposure weighs a function's callers: public (internet), authenticated
// (an authorizer in front), or private (only the account's services).
func exposure(m *model.Model, f *model.Function) string {
	if f.URL != nil && strings.EqualFold(f.URL.AuthType, "NONE") {
		return "public"
	}
	auth := false
	for _, ep := range m.EntryPoints {
		if ep.Function != f.ID {
			continue
		}
		if ep.Public && (ep.Auth == "" || strings.EqualFold(ep.Auth, "NONE")) {
			return "public"
		}
		auth = true
	}
	if auth || f.URL != nil {
		return "authenticated"
	}
	return "private"
}

func checkLoggedEvent(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		byFile := c.flows(f)
		var ev []model.Location
		whole, secret := false, false
		var first code.Flow
		for _, p := range sortedFiles(byFile) {
			for _, fl := range byFile[p] {
				if fl.Sink != code.SinkLog {
					continue
				}
				if len(ev) == 0 {
					first = fl
				}
				ev = append(ev, model.Location{File: p, Line: fl.Line, Snippet: fl.Callee + "(" + fl.Value + ")"})
				whole = whole || fl.Kind == code.TaintWhole
				low := strings.ToLower(fl.Value)
				secret = secret || strings.Contains(low, "code") || strings.Contains(low, "token") || strings.Contains(low, "secret") || strings.Contains(low, "password")
			}
		}
		if len(ev) == 0 {
			continue
		}
		what := "data read with the event's values"
		if whole {
			what = "the whole event (or its body or records)"
		}
		sev := "low"
		exp := exposure(c.Model, f)
		switch {
		case secret:
			sev = "high"
		case exp == "public" || strings.Contains(first.Value, "file_content") || first.Kind == code.TaintDerived:
			sev = "medium"
		}
		kept := ""
		if f.LogGroup == "" {
			kept = "; its log group is created by Lambda with no retention or key"
		}
		msg := fmt.Sprintf("%s writes %s to its logs (%s(%s) and %d more place(s)): requests, personal data and tokens end up readable by anyone with logs access%s",
			f.ID, what, first.Callee, first.Value, len(ev)-1, kept)
		if len(ev) == 1 {
			msg = fmt.Sprintf("%s writes %s to its logs (%s(%s)): requests, personal data and tokens end up readable by anyone with logs access%s",
				f.ID, what, first.Callee, first.Value, kept)
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "logs", Message: msg, Severity: sev,
			Evidence: append([]model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}, ev...)})
	}
	return hits, nil
}

// flowCheck reports event values arriving at the given sinks, one finding
// per function and sink kind, every place as evidence.
func flowCheck(sinks map[string]string) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, f := range c.Model.Functions {
			byFile := c.flows(f)
			type acc struct {
				first code.Flow
				ev    []model.Location
			}
			found := map[string]*acc{}
			for _, p := range sortedFiles(byFile) {
				for _, fl := range byFile[p] {
					if _, ok := sinks[fl.Sink]; !ok {
						continue
					}
					a := found[fl.Sink]
					if a == nil {
						a = &acc{first: fl}
						found[fl.Sink] = a
					}
					a.ev = append(a.ev, model.Location{File: p, Line: fl.Line, Snippet: fl.Callee + ": " + fl.Value})
				}
			}
			kinds := make([]string, 0, len(found))
			for k := range found {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			exp := exposure(c.Model, f)
			for _, k := range kinds {
				a := found[k]
				how := "a value from the event"
				if a.first.Built {
					how = "a string built from the event's values"
				}
				sev := "medium"
				switch exp {
				case "public":
					sev = "high"
				case "authenticated":
					sev = "medium"
				}
				hits = append(hits, Hit{Resource: f.ID, Key: k, Severity: sev,
					Message: fmt.Sprintf("%s passes %s to %s (%s: %s, line %d); callers are %s: validate it against an allow-list or use parameters",
						f.ID, how, sinks[k], a.first.Callee, a.first.Value, a.first.Line, exposureWords[exp]),
					Evidence: append([]model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}, a.ev...)})
			}
		}
		return hits, nil
	}
}

// signatureRe recognises webhook signature verification in handler code:
// the providers' SDK helpers (Stripe constructEvent, Twilio validateRequest,
// GitHub/Svix/Slack verifiers) and hand-written HMAC comparison.
var signatureRe = regexp.MustCompile(`(?i)(webhooks\.constructEvent|construct_?event\(|Webhook\.construct_event|validateRequest(WithBody)?\(|RequestValidator\(|\.validate\(\s*(url|uri)|verify_?signature|verifySignature|verify_?webhook|timingSafeEqual\(|compare_digest\(|hmac\.(new|compare_digest)\(|createHmac\(|new\s+Webhook\(|x-hub-signature|stripe-signature|x-twilio-signature|x-slack-signature|svix-signature)`)

// signatureCheck finds, in a function's code, where it verifies a request's
// signature: evidence that it authenticates callers itself (webhooks).
func signatureCheck(c *Context, f *model.Function) *model.Location {
	file, line, snippet := codeLine(c, codeFiles(c, f), signatureRe)
	if file == "" {
		return nil
	}
	if len(snippet) > 80 {
		snippet = snippet[:77] + "..."
	}
	return &model.Location{File: file, Line: line, Snippet: snippet}
}

func filepathBase(p string) string { return filepath.Base(p) }

func functionByID(m *model.Model, id string) *model.Function {
	if id == "" {
		return nil
	}
	for _, f := range m.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

var exposureWords = map[string]string{
	"public": "anyone on the internet", "authenticated": "authenticated users", "private": "the account's own services and principals",
}
