package checks

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// Helpers for the rules on where the handler's event goes in its own module
// (SLS-LOG-002, SLS-INJ-002, SLS-INJ-003). The flows come from code.EventFlows,
// an intra-module walk over the syntax tree.

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
