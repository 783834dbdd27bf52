// Command accuracy measures how faithfully samthreat models real applications
// (issue 10): it analyses every template of a corpus (by default
// ../shared/corpus/serverless-patterns, which ships handler code), works out
// from the template and the code, independently of the product, what the
// model should contain, and prints for each measure the count, the ratio and
// the first misses. It compares every template's misses with a committed
// baseline and exits 1 when any measure regresses on any template; -update
// rewrites the baseline.
//
//	go run ./tools/accuracy            # make accuracy
//	go run ./tools/accuracy -update    # after an improvement: record it
//
// The measures (what counts, and what is a miss):
//
//   - routes: API routes without a Lambda function that integrate with AWS or
//     HTTP (REST AWS::ApiGateway::Method Integration.Type AWS/HTTP/HTTP_PROXY,
//     AWS::ApiGatewayV2::Integration with an IntegrationSubtype, a non-Lambda
//     URI or HTTP type, x-amazon-apigateway-integration of type aws/http/
//     http_proxy or with an integrationSubtype in an OpenAPI body). A miss: the
//     model has no entry point for the route, or no edge leaves it.
//   - private: entry points of PRIVATE REST APIs (EndpointConfiguration
//     PRIVATE, on the API or in Globals). A miss: the entry point is public or
//     an edge reaches it from an internet client.
//   - hosts: outside hosts (not AWS, not localhost, not the instance metadata
//     address) in URLs named in resource properties (not CORS origins,
//     callback/logout URLs, descriptions or tags; in OpenAPI bodies only
//     integration URIs) and in string literals of the handler code samthreat
//     located (the function's code files, comment lines skipped). A miss: no
//     third party for the host with an edge to it (for a host in code: an
//     edge from that function).
//   - widened: actions of suggested statements (and suggested policy
//     templates). A miss: the statement suggests Resource "*" for an action
//     every current grant of which is scoped to a resource.
//   - actions: distinct actions named in a function's `used` and suggested
//     statements. A miss: the embedded IAM catalog does not know it.
//   - sdk: AWS SDK clients a handler file uses (@aws-sdk/client-X imports,
//     new AWS.X, boto3.client/resource('X'), software.amazon.awssdk.services.X,
//     aws-sdk-go(-v2)/service/X, Aws::X::Client, new AmazonXClient, and
//     SigV4-signed requests to AppSync). A miss: the SDK catalog does not
//     know the client, or the function has no SDK call from that file mapped
//     to a known IAM action of the client's service.
//   - calls: every SDK call samthreat found in handler code. A miss: it maps
//     to no IAM action, or to one the IAM catalog does not know.
//   - outbound: functions cited by an outbound-call finding (SLS-NET-001,
//     SLS-NET-002, as a threat or a hardening gap). A miss: the model has no
//     edge from the function to an http third party.
//   - code: functions whose code folder (CodeUri; for a build artifact, the
//     project folder it is built from; for an image, Metadata.DockerContext)
//     holds source files of the runtime's language. A miss: the code was not
//     parsed (complexity estimated).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// The measures, in print order. good: the count of hits is what we want up.
var measures = []struct {
	id, title string
}{
	{"routes", "routes without a function (AWS/HTTP integration) with an outgoing flow"},
	{"private", "entry points of PRIVATE APIs kept off the internet"},
	{"hosts", "outside hosts (resources + handler code) modelled as third parties with an edge"},
	{"widened", "suggested actions not widened to Resource \"*\" over scoped grants"},
	{"actions", "actions in used/suggestions known to the IAM catalog"},
	{"code", "functions whose folder holds code in their runtime's language, parsed"},
	{"sdk", "AWS SDK clients used in handler code with a call mapped to a known action"},
	{"calls", "SDK calls found in handler code mapped to known IAM actions only (none invented)"},
	{"outbound", "functions an outbound-call finding cites (SLS-NET-001/002) with an edge to an http third party"},
}

// Count is one measure on one template: Total cases, Miss of them wrong.
type Count struct {
	Total    int      `json:"total"`
	Miss     int      `json:"miss"`
	Examples []string `json:"-"`
}

func (c *Count) add(ok bool, example string) {
	c.Total++
	if !ok {
		c.Miss++
		c.Examples = append(c.Examples, example)
	}
}

// Baseline: template (relative to the corpus) -> measure -> count.
type Baseline map[string]map[string]*Count

func main() {
	root := repoRoot()
	corpus := flag.String("corpus", filepath.Join(root, "..", "shared", "corpus", "serverless-patterns"), "folder of applications to measure")
	basePath := flag.String("baseline", filepath.Join(root, "tools", "accuracy", "testdata", "baseline.json"), "committed per-template figures")
	update := flag.Bool("update", false, "rewrite the baseline with this run's figures")
	nEx := flag.Int("examples", 5, "misses shown per measure")
	only := flag.String("measure", "", "print the misses of this measure only (all of them)")
	flag.Parse()

	files, err := analysis.FindTemplates(*corpus)
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "accuracy: %s: no templates (%v)\n", *corpus, err)
		os.Exit(2)
	}
	now := Baseline{}
	var skipped []string
	for _, f := range files {
		rel, _ := filepath.Rel(*corpus, f)
		rel = filepath.ToSlash(rel)
		r, err := analysis.Run(context.Background(), f, analysis.Options{})
		if err != nil {
			skipped = append(skipped, rel+": "+firstLine(err.Error()))
			continue
		}
		now[rel] = measure(r.Model, r.Template)
	}

	totals := map[string]*Count{}
	for _, ms := range measures {
		totals[ms.id] = &Count{}
	}
	for _, rel := range sortedKeys(now) {
		for id, c := range now[rel] {
			t := totals[id]
			t.Total += c.Total
			t.Miss += c.Miss
			for _, e := range c.Examples {
				t.Examples = append(t.Examples, rel+": "+e)
			}
		}
	}
	fmt.Printf("samthreat accuracy on %s: %d templates measured, %d not readable\n\n", *corpus, len(now), len(skipped))
	for _, ms := range measures {
		if *only != "" && ms.id != *only {
			continue
		}
		c := totals[ms.id]
		ratio := 100.0
		if c.Total > 0 {
			ratio = 100 * float64(c.Total-c.Miss) / float64(c.Total)
		}
		fmt.Printf("%-8s %4d of %4d  %6.1f%%  %s (%d misses)\n", ms.id, c.Total-c.Miss, c.Total, ratio, ms.title, c.Miss)
		n := *nEx
		if *only != "" {
			n = len(c.Examples)
		}
		for i, e := range c.Examples {
			if i == n {
				fmt.Printf("           ... %d more (-measure %s lists them)\n", len(c.Examples)-n, ms.id)
				break
			}
			fmt.Printf("           miss: %s\n", e)
		}
	}
	for _, s := range skipped {
		fmt.Printf("not readable: %s\n", s)
	}

	if *update {
		data, _ := json.MarshalIndent(now, "", "  ")
		if err := os.MkdirAll(filepath.Dir(*basePath), 0o755); err == nil {
			err = os.WriteFile(*basePath, append(data, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "accuracy: %v\n", err)
			os.Exit(2)
		}
		fmt.Printf("\nbaseline written: %s\n", *basePath)
		return
	}
	data, err := os.ReadFile(*basePath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "accuracy: no baseline (%v): run with -update to record one\n", err)
		os.Exit(2)
	}
	var base Baseline
	if err := json.Unmarshal(data, &base); err != nil {
		fmt.Fprintf(os.Stderr, "accuracy: %s: %v\n", *basePath, err)
		os.Exit(2)
	}
	var regress, better []string
	for _, rel := range sortedKeys(base) {
		cur, ok := now[rel]
		if !ok {
			regress = append(regress, rel+": no longer analysed")
			continue
		}
		for _, ms := range measures {
			b, c := base[rel][ms.id], cur[ms.id]
			var bm, cm int
			if b != nil {
				bm = b.Miss
			}
			if c != nil {
				cm = c.Miss
			}
			switch {
			case cm > bm:
				regress = append(regress, fmt.Sprintf("%s: %s misses %d, baseline %d", rel, ms.id, cm, bm))
			case cm < bm:
				better = append(better, fmt.Sprintf("%s: %s misses %d, baseline %d", rel, ms.id, cm, bm))
			}
		}
	}
	fmt.Println()
	if len(better) > 0 {
		fmt.Printf("%d improvements over the baseline (record them with -update)\n", len(better))
	}
	if len(regress) > 0 {
		fmt.Printf("%d regressions over the baseline %s:\n", len(regress), *basePath)
		for _, r := range regress {
			fmt.Println("  " + r)
		}
		os.Exit(1)
	}
	fmt.Println("no regression over the baseline")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// repoRoot is the folder with go.mod above the working directory.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// measure computes every measure on one analysed template.
func measure(m *model.Model, t *sam.Template) map[string]*Count {
	out := map[string]*Count{}
	for _, ms := range measures {
		out[ms.id] = &Count{}
	}
	routes(m, t, out["routes"])
	private(m, t, out["private"])
	hosts(m, t, out["hosts"])
	suggestions(m, out["widened"], out["actions"])
	codeParsed(m, t, out["code"])
	sdkClients(m, t, out["sdk"])
	outboundCited(m, out["outbound"])
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		for _, c := range f.Blast.SDKCalls {
			ok := len(c.Actions) > 0
			for _, a := range c.Actions {
				ok = ok && iam.Known(a)
			}
			out["calls"].add(ok, fmt.Sprintf("%s: %s:%d %s.%s -> %v", f.ID, c.File, c.Line, c.Service, c.Method, c.Actions))
		}
	}
	return out
}

// ---- routes ----------------------------------------------------------------

type route struct {
	logicalID string // Method / Route resource ("" for OpenAPI routes)
	api       string
	method    string
	path      string
	what      string
}

func routes(m *model.Model, t *sam.Template, c *Count) {
	var want []route
	for _, r := range t.Resources {
		p := r.Properties
		switch r.Type {
		case "AWS::ApiGateway::Method":
			in := sam.Get(p, "Integration")
			typ := strings.ToUpper(t.Resolve(sam.Get(in, "Type")).Text)
			uri := t.Resolve(sam.Get(in, "Uri"))
			if (typ == "AWS" || typ == "HTTP" || typ == "HTTP_PROXY") && !lambdaURI(uri) {
				want = append(want, route{logicalID: r.ID, what: typ + " " + short(uri.Text)})
			}
		case "AWS::ApiGatewayV2::Route":
			for _, ref := range t.Resolve(sam.Get(p, "Target")).Refs {
				in := t.Resource(ref.ID)
				if in == nil || in.Type != "AWS::ApiGatewayV2::Integration" {
					continue
				}
				typ := strings.ToUpper(t.Resolve(sam.Get(in.Properties, "IntegrationType")).Text)
				uri := t.Resolve(sam.Get(in.Properties, "IntegrationUri"))
				sub := t.Resolve(sam.Get(in.Properties, "IntegrationSubtype")).Text
				if typ == "MOCK" || lambdaURI(uri) && sub == "" {
					continue
				}
				want = append(want, route{logicalID: r.ID, what: strings.TrimSpace(typ + " " + sub + " " + short(uri.Text))})
			}
		case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
			body := openAPIBody(t, r)
			for _, pp := range sam.Pairs(sam.Get(body, "paths")) {
				for _, mp := range sam.Pairs(pp.Value) {
					meth := strings.ToLower(mp.Key)
					switch meth {
					case "get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method":
					default:
						continue
					}
					in := sam.Get(mp.Value, "x-amazon-apigateway-integration")
					typ := strings.ToLower(t.Resolve(sam.Get(in, "type")).Text)
					uri := t.Resolve(sam.Get(in, "uri"))
					sub := t.Resolve(sam.Get(in, "integrationSubtype")).Text
					if in == nil || typ == "mock" || lambdaURI(uri) && sub == "" || typ == "aws_proxy" && sub == "" && lambdaURI(uri) {
						continue
					}
					if typ != "aws" && typ != "http" && typ != "http_proxy" && sub == "" {
						continue
					}
					if meth == "x-amazon-apigateway-any-method" {
						meth = "any"
					}
					want = append(want, route{api: r.ID, method: strings.ToUpper(meth), path: pp.Key,
						what: strings.TrimSpace(typ + " " + sub + " " + short(uri.Text))})
				}
			}
		}
	}
	out := map[string]bool{}
	for _, e := range m.Edges {
		out[e.From] = true
	}
	for _, w := range want {
		var ep *model.EntryPoint
		for _, e := range m.EntryPoints {
			if w.logicalID != "" && e.Source.LogicalID == w.logicalID ||
				w.logicalID == "" && e.API == w.api && strings.EqualFold(e.Method, w.method) && e.Path == w.path {
				ep = e
				break
			}
		}
		name := w.logicalID
		if name == "" {
			name = w.api + " " + w.method + " " + w.path
		}
		switch {
		case ep == nil:
			c.add(false, name+" ("+w.what+"): no entry point")
		default:
			c.add(out[ep.ID], name+" ("+w.what+"): no edge leaves "+ep.ID)
		}
	}
}

func lambdaURI(v sam.Value) bool {
	s := v.Text
	for _, r := range v.Refs {
		s += " " + r.ID
	}
	return strings.Contains(s, ":lambda:path/") || strings.Contains(s, "/functions/") || strings.Contains(strings.ToLower(s), "lambda")
}

func short(s string) string {
	if len(s) > 70 {
		return s[:67] + "..."
	}
	return s
}

// openAPIBody is an API's inline OpenAPI document, or the local file it includes.
func openAPIBody(t *sam.Template, r *sam.Resource) *yaml.Node {
	body := sam.Get(r.Properties, "DefinitionBody")
	if body == nil {
		body = sam.Get(r.Properties, "Body")
	}
	if loc := sam.Get(body, "Fn::Transform", "Parameters", "Location"); loc != nil {
		return localDoc(t, sam.Str(loc))
	}
	if body == nil {
		if uri := sam.Get(r.Properties, "DefinitionUri"); uri != nil && uri.Kind == yaml.ScalarNode {
			return localDoc(t, uri.Value)
		}
		if uri := sam.Get(r.Properties, "BodyS3Location"); uri != nil && uri.Kind == yaml.ScalarNode {
			return localDoc(t, uri.Value)
		}
	}
	return body
}

func localDoc(t *sam.Template, p string) *yaml.Node {
	if p == "" || strings.Contains(p, "://") || strings.Contains(p, "${") {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(t.Dir, filepath.FromSlash(p)))
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// ---- private APIs ------------------------------------------------------------

func private(m *model.Model, t *sam.Template, c *Count) {
	priv := map[string]bool{}
	if isPrivate(t, t.Globals["Api"]) {
		priv["ServerlessRestApi"] = true
	}
	for _, r := range t.Resources {
		switch r.Type {
		case "AWS::Serverless::Api", "AWS::ApiGateway::RestApi":
			if isPrivate(t, r.Properties) {
				priv[r.ID] = true
			}
		}
	}
	if len(priv) == 0 {
		return
	}
	internet := map[string]bool{}
	for _, cl := range m.Clients {
		if cl.Boundary == model.BoundaryInternet {
			internet[cl.ID] = true
		}
	}
	reached := map[string]bool{}
	for _, e := range m.Edges {
		if internet[e.From] {
			reached[e.To] = true
		}
	}
	for _, ep := range m.EntryPoints {
		if !priv[ep.API] {
			continue
		}
		why := ""
		switch {
		case ep.Public:
			why = "public"
		case reached[ep.ID]:
			why = "reached from the internet"
		}
		c.add(why == "", ep.ID+": "+why)
	}
}

func isPrivate(t *sam.Template, p *yaml.Node) bool {
	ec := sam.Get(p, "EndpointConfiguration")
	if ec == nil {
		return false
	}
	if ec.Kind == yaml.ScalarNode || sam.IsIntrinsic(ec) {
		return strings.EqualFold(t.Resolve(ec).Text, "PRIVATE")
	}
	for _, k := range []string{"Type", "Types"} {
		n := sam.Get(ec, k)
		if n == nil {
			continue
		}
		if n.Kind == yaml.SequenceNode {
			for _, it := range sam.Items(n) {
				if strings.EqualFold(t.Resolve(it).Text, "PRIVATE") {
					return true
				}
			}
		} else if strings.EqualFold(t.Resolve(n).Text, "PRIVATE") {
			return true
		}
	}
	return false
}

// ---- outside hosts ------------------------------------------------------------

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

// ---- suggestions and actions --------------------------------------------------

func suggestions(m *model.Model, widened, actions *Count) {
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		scoped := map[string]int{} // action -> grants on a resource; -1 once one is on "*"
		for _, g := range f.Grants {
			k := strings.ToLower(g.Action)
			if g.Target == "*" || g.Target == "" {
				scoped[k] = -1
			} else if scoped[k] >= 0 {
				scoped[k]++
			}
		}
		names := map[string]bool{}
		for _, a := range f.Blast.Used {
			names[a] = true
		}
		for _, sp := range f.Blast.SuggestedPolicies {
			if sp.Statement == nil {
				widened.add(true, "")
				continue
			}
			star := false
			for _, r := range sp.Statement.Resources {
				star = star || r == "*"
			}
			for _, a := range sp.Statement.Actions {
				names[a] = true
				bad := star && scoped[strings.ToLower(a)] > 0
				widened.add(!bad, fmt.Sprintf("%s: %s on \"*\", granted today only on %s", f.ID, a, grantTargets(f, a)))
			}
		}
		for _, a := range sortedKeys(names) {
			actions.add(iam.Known(a), f.ID+": "+a)
		}
	}
}

func grantTargets(f *model.Function, action string) string {
	set := map[string]bool{}
	for _, g := range f.Grants {
		if strings.EqualFold(g.Action, action) {
			set[g.Target] = true
		}
	}
	return strings.Join(sortedKeys(set), ", ")
}

// ---- code parsed ----------------------------------------------------------------

var langExts = map[string][]string{
	"javascript": {".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"},
	"python":     {".py"},
	"java":       {".java"},
	"go":         {".go"},
	"ruby":       {".rb"},
	"csharp":     {".cs"},
}

func runtimeLang(rt string) string {
	r := strings.ToLower(rt)
	for _, p := range []struct{ prefix, lang string }{{"nodejs", "javascript"}, {"python", "python"}, {"java", "java"},
		{"go", "go"}, {"ruby", "ruby"}, {"dotnet", "csharp"}} {
		if strings.HasPrefix(r, p.prefix) {
			return p.lang
		}
	}
	return ""
}

func codeParsed(m *model.Model, t *sam.Template, c *Count) {
	for _, f := range m.Functions {
		res := t.Resource(f.ID)
		if f.InlineCode || res == nil {
			continue
		}
		dir := ""
		lang := runtimeLang(f.Runtime)
		switch {
		case strings.EqualFold(f.PackageType, "Image"):
			ctx := t.Resolve(sam.Get(res.Metadata, "DockerContext")).Text
			if ctx == "" {
				continue
			}
			dir = filepath.Join(t.Dir, filepath.FromSlash(ctx))
			if lang == "" {
				lang = dominantLang(dir)
			}
		default:
			uri := f.CodeURI
			if uri == "" || strings.Contains(uri, "://") || strings.Contains(uri, "${") {
				continue
			}
			p := filepath.Join(t.Dir, filepath.FromSlash(uri))
			st, err := os.Stat(p)
			switch {
			case err == nil && st.IsDir():
				dir = p
			default:
				// a build artifact (or a missing one): the project folder it
				// comes from is CodeUri's first folder, else the template's.
				parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(filepath.Clean(uri)), "./"), "/")
				dir = t.Dir
				if len(parts) > 1 && parts[0] != ".." && !isBuildDir(parts[0]) {
					dir = filepath.Join(t.Dir, parts[0])
				}
			}
			if lang == "" && hasLang(dir, "go") {
				lang = "go"
			}
		}
		if lang == "" || !hasLang(dir, lang) {
			continue
		}
		ok := f.Blast != nil && !f.Blast.ComplexityEstimated && len(f.Blast.CodeFiles) > 0
		note := ""
		if f.Blast != nil {
			note = f.Blast.CodeNote
		}
		rel, _ := filepath.Rel(t.Dir, dir)
		c.add(ok, fmt.Sprintf("%s (%s in %s): %s", f.ID, lang, filepath.ToSlash(rel), note))
	}
}

func isBuildDir(s string) bool {
	switch s {
	case "target", "build", "bin", "obj", "dist", ".aws-sam", "out":
		return true
	}
	return false
}

func skipDir(name string) bool {
	switch name {
	case "node_modules", ".aws-sam", ".git", "vendor", "target", "build", "bin", "obj", "dist", "__pycache__", ".venv", "venv", "cdk.out", "out":
		return true
	}
	return strings.HasPrefix(name, ".")
}

func walkExts(dir string, visit func(ext string) bool) {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		n++
		if err != nil || n > 20000 {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !visit(strings.ToLower(filepath.Ext(p))) {
			return filepath.SkipAll
		}
		return nil
	})
}

func hasLang(dir, lang string) bool {
	found := false
	walkExts(dir, func(ext string) bool {
		for _, e := range langExts[lang] {
			if e == ext {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func dominantLang(dir string) string {
	count := map[string]int{}
	walkExts(dir, func(ext string) bool {
		for l, es := range langExts {
			for _, e := range es {
				if e == ext {
					count[l]++
				}
			}
		}
		return true
	})
	best, n := "", 0
	for _, l := range sortedKeys(count) {
		if count[l] > n {
			best, n = l, count[l]
		}
	}
	return best
}

// ---- SDK clients ----------------------------------------------------------------

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
