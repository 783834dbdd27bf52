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
	h := newHostCheck(m, t, c)
	// Template: URLs in resource properties.
	for _, r := range t.Resources {
		if !skipType(r.Type) {
			h.walk(r, r.Properties, "")
		}
	}
	// Handler code: URL literals in the files samthreat located.
	for _, f := range m.Functions {
		if f.Blast != nil {
			h.code(f)
		}
	}
}

// hostCheck counts outside hosts, each once (per function for code), as
// hits when the model has a third party for the host with an edge to it.
type hostCheck struct {
	t        *sam.Template
	c        *Count
	seen     map[string]bool
	tpByHost map[string][]string        // host -> third parties
	into     map[string]map[string]bool // third party -> edge sources
}

func newHostCheck(m *model.Model, t *sam.Template, c *Count) *hostCheck {
	h := &hostCheck{t: t, c: c, seen: map[string]bool{}, tpByHost: map[string][]string{}, into: map[string]map[string]bool{}}
	for _, tp := range m.ThirdParties {
		host := strings.ToLower(tp.Host)
		if host == "" {
			host = outsideHost(tp.URL)
		}
		if host != "" {
			h.tpByHost[host] = append(h.tpByHost[host], tp.ID)
		}
	}
	for _, e := range m.Edges {
		if h.into[e.To] == nil {
			h.into[e.To] = map[string]bool{}
		}
		h.into[e.To][e.From] = true
	}
	return h
}

// hasEdge: a third party for host has an edge into it (from "from", or from
// anything when from is empty).
func (h *hostCheck) hasEdge(host, from string) bool {
	for _, id := range h.tpByHost[host] {
		if from == "" && len(h.into[id]) > 0 || from != "" && h.into[id][from] {
			return true
		}
	}
	return false
}

// walk visits a resource's property values for URLs, skipping the keys
// whose URLs are not calls; in an OpenAPI body only integration URIs.
func (h *hostCheck) walk(r *sam.Resource, n *yaml.Node, key string) {
	if n == nil || notCallKeys[strings.ToLower(key)] {
		return
	}
	switch {
	case key == "DefinitionBody" || key == "Body":
		for _, pp := range sam.Pairs(sam.Get(n, "paths")) {
			for _, mp := range sam.Pairs(pp.Value) {
				v := h.t.Resolve(sam.Get(mp.Value, "x-amazon-apigateway-integration", "uri"))
				h.urls(v.Text, r.ID+" "+mp.Key+" "+pp.Key)
			}
		}
	case sam.IsIntrinsic(n) || n.Kind == yaml.ScalarNode:
		h.urls(h.t.Resolve(n).Text, r.ID+"."+key)
	case n.Kind == yaml.MappingNode:
		for _, kv := range sam.Pairs(n) {
			h.walk(r, kv.Value, kv.Key)
		}
	case n.Kind == yaml.SequenceNode:
		for _, it := range n.Content {
			h.walk(r, it, key)
		}
	}
}

// urls counts each outside host of the URLs in text once.
func (h *hostCheck) urls(text, where string) {
	for _, raw := range urlRe.FindAllString(text, -1) {
		host := outsideHost(raw)
		if host == "" || h.seen[host] {
			continue
		}
		h.seen[host] = true
		h.c.add(h.hasEdge(host, ""), host+" ("+where+")")
	}
}

// code counts the outside hosts of URL literals in a function's code files,
// each once per function, as hits when an edge leaves the function for it.
func (h *hostCheck) code(f *model.Function) {
	for _, file := range f.Blast.CodeFiles {
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(h.t.Dir, filepath.FromSlash(file))
		}
		for _, at := range codeHosts(p) {
			key := f.ID + "|" + at.host
			if h.seen[key] {
				continue
			}
			h.seen[key] = true
			h.c.add(h.hasEdge(at.host, f.ID), fmt.Sprintf("%s calls %s (%s:%d)", f.ID, at.host, file, at.line))
		}
	}
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
