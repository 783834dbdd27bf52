package checks

import (
	"fmt"
	"path/filepath"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
)

// Error-handling rules (SLS-ERR-*), and the other rules that read what a
// handler hands back to its caller (code.Disclosures): SLS-SEC-006 (a
// secret's value returned) and SLS-API-014 (a token compared with a literal).

func init() {
	Register("SLS-ERR-001", disclosureCheck(code.DiscloseStack,
		"%s returns an exception's stack trace to its caller (%s): file paths, library versions and code structure help the next attack"))
	Register("SLS-SEC-006", disclosureCheck(code.DiscloseSecret,
		"%s returns a secret's value to its caller (%s): whoever can invoke it reads the secret, and the response may be logged or cached on the way"))
	Register("SLS-API-014", disclosureCheck(code.LiteralToken,
		"%s compares the caller's token with a literal string (%s): anyone who sends that word is let in; verify a signed token (JWT, HMAC) or look the key up instead"))
}

// disclosures lists a function's code places of one kind, per file.
func (c *Context) disclosures(f *model.Function, kind string) []model.Location {
	var out []model.Location
	for _, p := range codeFiles(c, f) {
		ds, err := code.Disclosures(filesOf(c), p)
		if err != nil {
			continue
		}
		for _, d := range ds {
			if d.Kind == kind {
				out = append(out, model.Location{File: p, Line: d.Line, Snippet: d.Text})
			}
		}
	}
	return out
}

// disclosureCheck reports once per function every place of a kind, each
// as evidence; the message quotes the first.
func disclosureCheck(kind, msg string) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, f := range c.Model.Functions {
			locs := c.disclosures(f, kind)
			if len(locs) == 0 {
				continue
			}
			var where []string
			for _, l := range locs {
				where = append(where, fmt.Sprintf("%s:%d: %s", filepath.Base(l.File), l.Line, l.Snippet))
			}
			hits = append(hits, Hit{Resource: f.ID,
				Message:  fmt.Sprintf(msg, f.ID, shortList(where, 3)),
				Evidence: append([]model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}, locs...)})
		}
		return hits, nil
	}
}
