package checks

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
)

// Injection rules (SLS-INJ-*): dangerous sinks, event values spliced into
// queries, expressions, messages, topics and paths, and URLs fetched (SSRF).

func init() {
	Register("SLS-INJ-001", checkDangerousSinks)
	Register("SLS-INJ-002", flowCheck(map[string]string{
		code.SinkSQL: "an SQL statement", code.SinkDDBExpr: "a DynamoDB expression", code.SinkMessage: "a message built as JSON text",
		code.SinkTopic: "an IoT topic name", code.SinkPath: "a file path",
	}))
	Register("SLS-INJ-003", flowCheck(map[string]string{code.SinkURL: "a URL the function fetches"}))
}

var sinkRe = regexp.MustCompile(`\beval\(|new Function\(|child_process|\bexecSync\(|\bos\.system\(|subprocess\.[a-z_]+\([^)]*shell\s*=\s*True|\bexec\(\s*(event|req|body)`)

// checkDangerousSinks: code that evaluates strings or runs shell commands in a
// function reachable from outside (OS command and code injection).
func checkDangerousSinks(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		ext, from := untrusted(c.Model, f)
		if !ext {
			continue
		}
		file, line, snippet := codeLine(c, codeFiles(c, f), sinkRe)
		if file == "" {
			continue
		}
		if len(snippet) > 80 {
			snippet = snippet[:80]
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "sink",
			Message:  fmt.Sprintf("%s evaluates code or runs a shell (%s) and takes input from %s", f.ID, sinkRe.FindString(snippet), from),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: file, Line: line}}})
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
				sev := model.SeverityMedium
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
