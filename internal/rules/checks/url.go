package checks

import (
	"fmt"
	"strings"
)

// Function URL rules (SLS-URL-*): authentication and CORS.

func init() {
	Register("SLS-URL-001", checkURLNoAuth)
	Register("SLS-URL-002", checkURLCors)
}

func checkURLNoAuth(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.URL == nil || !strings.EqualFold(f.URL.AuthType, "NONE") {
			continue
		}
		h := Hit{Resource: f.ID, Key: "url",
			Message:  fmt.Sprintf("the function URL of %s has AuthType NONE: anyone who learns the URL can invoke it", f.ID),
			Evidence: src(c.Model, f.URL.Source, fnLine(f))}
		if loc := signatureCheck(c, f); loc != nil {
			h.Severity = "low"
			h.Message = fmt.Sprintf("the function URL of %s has AuthType NONE, but its code verifies a request signature (%s:%d: %s): authentication is done in code (a webhook); make sure every path of the handler checks it before acting", f.ID, filepathBase(loc.File), loc.Line, loc.Snippet)
			h.Evidence = append(h.Evidence, *loc)
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func checkURLCors(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.URL == nil {
			continue
		}
		for _, o := range f.URL.CorsOrigins {
			if o == "*" {
				msg := fmt.Sprintf("the function URL of %s allows cross-origin requests from any web site (AllowOrigins *)", f.ID)
				if f.URL.CorsCreds {
					msg += ", with credentials"
				}
				hits = append(hits, Hit{Resource: f.ID, Key: "url-cors", Message: msg, Evidence: src(c.Model, f.URL.Source, fnLine(f))})
				break
			}
		}
	}
	return hits, nil
}
