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
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
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

// misses is the count's misses (none for a measure not recorded).
func (c *Count) misses() int {
	if c == nil {
		return 0
	}
	return c.Miss
}

// Baseline: template (relative to the corpus) -> measure -> count.
type Baseline map[string]map[string]*Count

// options are the command line's.
type options struct {
	corpus, basePath, only string
	update                 bool
	examples               int
}

func main() {
	root := repoRoot()
	var o options
	flag.StringVar(&o.corpus, "corpus", filepath.Join(root, "..", "shared", "corpus", "serverless-patterns"), "folder of applications to measure")
	flag.StringVar(&o.basePath, "baseline", filepath.Join(root, "tools", "accuracy", "testdata", "baseline.json"), "committed per-template figures")
	flag.BoolVar(&o.update, "update", false, "rewrite the baseline with this run's figures")
	flag.IntVar(&o.examples, "examples", 5, "misses shown per measure")
	flag.StringVar(&o.only, "measure", "", "print the misses of this measure only (all of them)")
	flag.Parse()

	now, skipped := measureCorpus(o.corpus)
	printMeasures(o, now, skipped)
	if o.update {
		if err := writeBaseline(o.basePath, now); err != nil {
			fmt.Fprintf(os.Stderr, "accuracy: %v\n", err)
			os.Exit(2)
		}
		fmt.Printf("\nbaseline written: %s\n", o.basePath)
		return
	}
	base := readBaseline(o.basePath)
	regress, better := compareBaseline(base, now)
	fmt.Println()
	if len(better) > 0 {
		fmt.Printf("%d improvements over the baseline (record them with -update)\n", len(better))
	}
	if len(regress) > 0 {
		fmt.Printf("%d regressions over the baseline %s:\n", len(regress), o.basePath)
		for _, r := range regress {
			fmt.Println("  " + r)
		}
		os.Exit(1)
	}
	fmt.Println("no regression over the baseline")
}

// measureCorpus analyses every template of the corpus: its measures by
// template (relative, slash-separated), and the templates not readable with
// their first error line. No template at all exits 2.
func measureCorpus(corpus string) (Baseline, []string) {
	files, err := analysis.FindTemplates(corpus)
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "accuracy: %s: no templates (%v)\n", corpus, err)
		os.Exit(2)
	}
	now := Baseline{}
	var skipped []string
	for _, f := range files {
		rel, _ := filepath.Rel(corpus, f)
		rel = filepath.ToSlash(rel)
		r, err := analysis.Run(context.Background(), f, analysis.Options{})
		if err != nil {
			skipped = append(skipped, rel+": "+firstLine(err.Error()))
			continue
		}
		now[rel] = measure(r.Model, r.Template)
	}
	return now, skipped
}

// totals adds up every template's counts per measure, misses prefixed with
// their template.
func totals(now Baseline) map[string]*Count {
	out := map[string]*Count{}
	for _, ms := range measures {
		out[ms.id] = &Count{}
	}
	for _, rel := range sortedKeys(now) {
		for id, c := range now[rel] {
			t := out[id]
			t.Total += c.Total
			t.Miss += c.Miss
			for _, e := range c.Examples {
				t.Examples = append(t.Examples, rel+": "+e)
			}
		}
	}
	return out
}

// printMeasures prints each measure's figures and first misses (all of them
// for -measure), then the templates not readable.
func printMeasures(o options, now Baseline, skipped []string) {
	tot := totals(now)
	fmt.Printf("samthreat accuracy on %s: %d templates measured, %d not readable\n\n", o.corpus, len(now), len(skipped))
	for _, ms := range measures {
		if o.only != "" && ms.id != o.only {
			continue
		}
		c := tot[ms.id]
		ratio := 100.0
		if c.Total > 0 {
			ratio = 100 * float64(c.Total-c.Miss) / float64(c.Total)
		}
		fmt.Printf("%-8s %4d of %4d  %6.1f%%  %s (%d misses)\n", ms.id, c.Total-c.Miss, c.Total, ratio, ms.title, c.Miss)
		n := o.examples
		if o.only != "" {
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
}

func writeBaseline(path string, now Baseline) error {
	data, _ := json.MarshalIndent(now, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// readBaseline reads the committed baseline; without one it exits 2.
func readBaseline(path string) Baseline {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "accuracy: no baseline (%v): run with -update to record one\n", err)
		os.Exit(2)
	}
	var base Baseline
	if err := json.Unmarshal(data, &base); err != nil {
		fmt.Fprintf(os.Stderr, "accuracy: %s: %v\n", path, err)
		os.Exit(2)
	}
	return base
}

// compareBaseline lists, per template and measure, more misses than the
// baseline (regressions, a template no longer analysed included) and fewer.
func compareBaseline(base, now Baseline) (regress, better []string) {
	for _, rel := range sortedKeys(base) {
		cur, ok := now[rel]
		if !ok {
			regress = append(regress, rel+": no longer analysed")
			continue
		}
		for _, ms := range measures {
			bm, cm := base[rel][ms.id].misses(), cur[ms.id].misses()
			switch {
			case cm > bm:
				regress = append(regress, fmt.Sprintf("%s: %s misses %d, baseline %d", rel, ms.id, cm, bm))
			case cm < bm:
				better = append(better, fmt.Sprintf("%s: %s misses %d, baseline %d", rel, ms.id, cm, bm))
			}
		}
	}
	return regress, better
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
