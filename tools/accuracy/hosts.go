package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// The outside hosts measure.

var urlRe = regexp.MustCompile(`(?i)\b(?:https?|wss?)://[^\s"'<>\x60]+`)

// quotedURLRe: a URL at the start of a string literal.
var quotedURLRe = regexp.MustCompile("[\"'`](?:https?|wss?)://[^\\s\"'`<>]+")

// notCallKeys are properties whose URLs name callers, the app itself or
// documents, not services the application calls.
var notCallKeys = map[string]bool{"description": true, "tags": true, "callbackurls": true, "logouturls": true,
	"defaultredirecturi": true, "alloworigins": true, "allowedorigins": true, "alloworigin": true, "cors": true,
	"corsconfiguration": true, "corsrules": true, "domainname": true, "redirectallrequeststo": true, "info": true,
	"externaldocs": true, "license": true, "contact": true, "$schema": true, "schema": true, "templateurl": true,
	"location": true, "definitionuri": true, "codeuri": true, "contenturi": true, "imageuri": true, "metadata": true,
	"openidconnectconfig": true, "issuer": true, "jwtconfiguration": true, "providerdetails": true, "origins": true,
	"responseparameters": true}

// skipTypes: resources whose URLs are the app's own front end or identity setup.
func skipType(typ string) bool {
	return strings.HasPrefix(typ, "AWS::Cognito::") || strings.HasPrefix(typ, "AWS::CloudFront::") ||
		strings.HasPrefix(typ, "AWS::Amplify::") || typ == "AWS::CertificateManager::Certificate" ||
		strings.HasPrefix(typ, "AWS::Route53::") || typ == "AWS::S3::Bucket"
}

func outsideHost(raw string) string {
	u, err := url.Parse(strings.TrimRight(raw, ".,;)]}"))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if h == "" || strings.ContainsAny(h, "${}%") || !strings.Contains(h, ".") && h != "localhost" {
		return ""
	}
	switch {
	case h == "localhost", strings.HasPrefix(h, "127."), h == "169.254.169.254", strings.HasPrefix(h, "fd00:"),
		strings.HasSuffix(h, ".amazonaws.com"), strings.HasSuffix(h, ".amazonaws.com.cn"), strings.HasSuffix(h, ".aws"),
		strings.HasSuffix(h, ".amazon.com") && strings.Contains(h, "aws"), strings.HasSuffix(h, ".on.aws"),
		h == "www.w3.org", strings.HasSuffix(h, ".internal"), strings.HasSuffix(h, ".local"):
		return ""
	}
	return h
}

func hosts(m *model.Model, t *sam.Template, c *Count) {
	tpByHost := map[string][]string{}
	for _, tp := range m.ThirdParties {
		h := strings.ToLower(tp.Host)
		if h == "" {
			h = outsideHost(tp.URL)
		}
		if h != "" {
			tpByHost[h] = append(tpByHost[h], tp.ID)
		}
	}
	into := map[string]map[string]bool{} // third party -> edge sources
	for _, e := range m.Edges {
		if into[e.To] == nil {
			into[e.To] = map[string]bool{}
		}
		into[e.To][e.From] = true
	}
	hasEdge := func(host, from string) bool {
		for _, id := range tpByHost[host] {
			if from == "" && len(into[id]) > 0 || from != "" && into[id][from] {
				return true
			}
		}
		return false
	}
	// Template: URLs in resource properties.
	seen := map[string]bool{}
	for _, r := range t.Resources {
		if skipType(r.Type) {
			continue
		}
		var walk func(n *yaml.Node, key string)
		walk = func(n *yaml.Node, key string) {
			if n == nil || notCallKeys[strings.ToLower(key)] {
				return
			}
			switch {
			case key == "DefinitionBody" || key == "Body":
				for _, pp := range sam.Pairs(sam.Get(n, "paths")) {
					for _, mp := range sam.Pairs(pp.Value) {
						v := t.Resolve(sam.Get(mp.Value, "x-amazon-apigateway-integration", "uri"))
						for _, raw := range urlRe.FindAllString(v.Text, -1) {
							addHost(raw, r.ID+" "+mp.Key+" "+pp.Key, seen, c, hasEdge)
						}
					}
				}
			case sam.IsIntrinsic(n) || n.Kind == yaml.ScalarNode:
				v := t.Resolve(n)
				for _, raw := range urlRe.FindAllString(v.Text, -1) {
					addHost(raw, r.ID+"."+key, seen, c, hasEdge)
				}
			case n.Kind == yaml.MappingNode:
				for _, kv := range sam.Pairs(n) {
					walk(kv.Value, kv.Key)
				}
			case n.Kind == yaml.SequenceNode:
				for _, it := range n.Content {
					walk(it, key)
				}
			}
		}
		walk(r.Properties, "")
	}
	// Handler code: URL literals in the files samthreat located.
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		for _, file := range f.Blast.CodeFiles {
			p := file
			if !filepath.IsAbs(p) {
				p = filepath.Join(t.Dir, filepath.FromSlash(file))
			}
			for _, h := range codeHosts(p) {
				key := f.ID + "|" + h.host
				if seen[key] {
					continue
				}
				seen[key] = true
				c.add(hasEdge(h.host, f.ID), fmt.Sprintf("%s calls %s (%s:%d)", f.ID, h.host, file, h.line))
			}
		}
	}
}

func addHost(raw, where string, seen map[string]bool, c *Count, hasEdge func(string, string) bool) {
	h := outsideHost(raw)
	if h == "" || seen[h] {
		return
	}
	seen[h] = true
	c.add(hasEdge(h, ""), h+" ("+where+")")
}

type hostAt struct {
	host string
	line int
}

func codeHosts(path string) []hostAt {
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 2<<20 {
		return nil
	}
	var out []hostAt
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inBlock := false
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if inBlock {
			if strings.Contains(line, "*/") {
				inBlock = false
			}
			continue
		}
		if strings.HasPrefix(line, "/*") {
			inBlock = !strings.Contains(line, "*/")
			continue
		}
		if strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "*") {
			continue
		}
		for _, q := range quotedURLRe.FindAllString(line, -1) {
			if h := outsideHost(q[1:]); h != "" {
				out = append(out, hostAt{h, n})
			}
		}
	}
	return out
}
