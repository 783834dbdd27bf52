package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// The SDK clients measure.

var clientRes = []struct {
	lang string
	re   *regexp.Regexp
}{
	{"jsv3", regexp.MustCompile(`@aws-sdk/(client-[a-z0-9-]+)`)},
	{"js", regexp.MustCompile(`new\s+AWS\.([A-Za-z0-9]+)\s*\(`)},
	{"python", regexp.MustCompile(`boto3\.(?:client|resource)\(\s*['"]([a-z0-9-]+)['"]`)},
	{"java", regexp.MustCompile(`software\.amazon\.awssdk\.services\.([a-z0-9]+)\.`)},
	{"go", regexp.MustCompile(`aws-sdk-go(?:-v2)?/service/([a-z0-9]+)"`)},
	{"ruby", regexp.MustCompile(`Aws::([A-Za-z0-9]+)::(?:Client|Resource)`)},
	{"dotnet", regexp.MustCompile(`new\s+(Amazon[A-Za-z0-9]+Client)\s*\(`)},
}

var sigV4AppSync = regexp.MustCompile(`(?s)(signature-v4|SignatureV4|SigV4Auth|AWSRequestsAuth).*['"]appsync['"]`)

func sdkClients(m *model.Model, t *sam.Template, c *Count) {
	cat, err := catalogs.SDK()
	if err != nil {
		return
	}
	for _, f := range m.Functions {
		if f.Blast == nil || f.Blast.ComplexityEstimated {
			continue
		}
		for _, file := range f.Blast.CodeFiles {
			p := file
			if !filepath.IsAbs(p) {
				p = filepath.Join(t.Dir, filepath.FromSlash(file))
			}
			data, err := os.ReadFile(p)
			if err != nil || len(data) > 2<<20 {
				continue
			}
			src := string(data)
			want := map[string]string{} // IAM prefix (or "?name") -> client as written
			for _, cr := range clientRes {
				for _, mm := range cr.re.FindAllStringSubmatch(src, -1) {
					name := mm[1]
					if name == "core" || name == "AWS" {
						continue
					}
					svc := ""
					for _, s := range cat.Services {
						for _, n := range s.Names[cr.lang] {
							if strings.EqualFold(n, name) {
								svc = s.IAM
							}
						}
					}
					if svc == "" {
						want["?"+name] = name
					} else {
						want[svc] = name
					}
				}
			}
			if sigV4AppSync.MatchString(src) {
				want["appsync"] = "SigV4-signed AppSync request"
			}
			for _, svc := range sortedKeys(want) {
				if strings.HasPrefix(svc, "?") {
					c.add(false, fmt.Sprintf("%s: %s: client %s not in the SDK catalog", f.ID, file, want[svc]))
					continue
				}
				ok := false
				for _, call := range f.Blast.SDKCalls {
					if call.File != file {
						continue
					}
					for _, a := range call.Actions {
						if strings.HasPrefix(strings.ToLower(a), svc+":") && iam.Known(a) {
							ok = true
						}
					}
				}
				c.add(ok, fmt.Sprintf("%s: %s: %s (%s) has no call mapped to a known %s: action", f.ID, file, want[svc], svc, svc))
			}
		}
	}
}

func outboundCited(m *model.Model, c *Count) {
	http := map[string]bool{}
	for _, tp := range m.ThirdParties {
		if tp.Kind == "http" {
			http[tp.ID] = true
		}
	}
	out := map[string]bool{}
	for _, e := range m.Edges {
		if http[e.To] {
			out[e.From] = true
		}
	}
	cited := map[string]string{}
	for _, f := range m.Findings {
		if f.RuleID == "SLS-NET-001" || f.RuleID == "SLS-NET-002" {
			cited[f.Resource] = f.RuleID
		}
	}
	for _, h := range m.Hardening {
		if h.RuleID == "SLS-NET-001" || h.RuleID == "SLS-NET-002" {
			for _, g := range h.Missing {
				cited[g.Resource] = h.RuleID
			}
		}
	}
	for _, id := range sortedKeys(cited) {
		c.add(out[id], id+" ("+cited[id]+"): no edge to an http third party")
	}
}
