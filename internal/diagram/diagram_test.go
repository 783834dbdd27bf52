package diagram

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/diagram -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d (run with -update if the change is intended)\n got: %s\nwant: %s", name, i+1, g, w)
			}
		}
	}
}

func TestGoldenDOT(t *testing.T) {
	ft := func(t *testing.T) *model.Model { return analyse(t, freshTracksPath(t, "template.yaml")) }
	hb := func(*testing.T) *model.Model { return handBuilt() }
	cases := []struct {
		name  string
		model func(*testing.T) *model.Model
		opts  Options
	}{
		{"handbuilt.dot", hb, Options{}},
		{"handbuilt-focus-CreateOrder.dot", hb, Options{Focus: "CreateOrder"}},
		{"handbuilt-focus-Uploads.dot", hb, Options{Focus: "Uploads"}},
		{"handbuilt-focus-OrdersApi.dot", hb, Options{Focus: "OrdersApi"}},
		{"handbuilt-collapse-api.dot", hb, Options{Collapse: CollapseAPI}},
		{"handbuilt-collapse-trigger.dot", hb, Options{Collapse: CollapseTrigger}},
		{"handbuilt-collapse-codeuri.dot", hb, Options{Collapse: CollapseCodeURI}},
		{"freshtracks.dot", ft, Options{}},
		{"freshtracks-focus-publishToIoT.dot", ft, Options{Focus: "publishToIoT"}},
		{"freshtracks-focus-FreshTracksS3Bucket.dot", ft, Options{Focus: "FreshTracksS3Bucket"}},
		{"freshtracks-collapse-trigger.dot", ft, Options{Collapse: CollapseTrigger}},
		// pipes, rules with targets, schedules and bare roles as nodes
		{"principals.dot", func(t *testing.T) *model.Model { return analyse(t, filepath.Join("testdata", "principals.yaml")) }, Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DOT(c.model(t), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, got)
		})
	}
}

// shuffled returns a copy of m with every list in a random order.
func shuffled(m *model.Model, seed int64) *model.Model {
	r := rand.New(rand.NewSource(seed))
	c := *m
	c.Functions = append([]*model.Function(nil), m.Functions...)
	c.Resources = append([]*model.Resource(nil), m.Resources...)
	c.EntryPoints = append([]*model.EntryPoint(nil), m.EntryPoints...)
	c.ThirdParties = append([]*model.ThirdParty(nil), m.ThirdParties...)
	c.Clients = append([]*model.Client(nil), m.Clients...)
	c.Edges = append([]*model.Edge(nil), m.Edges...)
	c.Findings = append([]*model.Finding(nil), m.Findings...)
	r.Shuffle(len(c.Functions), func(i, j int) { c.Functions[i], c.Functions[j] = c.Functions[j], c.Functions[i] })
	r.Shuffle(len(c.Resources), func(i, j int) { c.Resources[i], c.Resources[j] = c.Resources[j], c.Resources[i] })
	r.Shuffle(len(c.EntryPoints), func(i, j int) { c.EntryPoints[i], c.EntryPoints[j] = c.EntryPoints[j], c.EntryPoints[i] })
	r.Shuffle(len(c.ThirdParties), func(i, j int) { c.ThirdParties[i], c.ThirdParties[j] = c.ThirdParties[j], c.ThirdParties[i] })
	r.Shuffle(len(c.Clients), func(i, j int) { c.Clients[i], c.Clients[j] = c.Clients[j], c.Clients[i] })
	r.Shuffle(len(c.Edges), func(i, j int) { c.Edges[i], c.Edges[j] = c.Edges[j], c.Edges[i] })
	r.Shuffle(len(c.Findings), func(i, j int) { c.Findings[i], c.Findings[j] = c.Findings[j], c.Findings[i] })
	return &c
}

// TestDOTDeterministic: the same model gives byte-identical DOT on every run
// and whatever order the model lists its elements in.
func TestDOTDeterministic(t *testing.T) {
	models := map[string]*model.Model{
		"handbuilt":      handBuilt(),
		"freshtracks":    analyse(t, freshTracksPath(t, "template.yaml")),
		"functions-1000": analyse(t, filepath.Join(sharedDir(t), "corpus", "synthetic", "functions-1000.yaml")),
	}
	for name, m := range models {
		for _, o := range []Options{{}, {Collapse: CollapseNone}, {Collapse: CollapseTrigger}, {Collapse: CollapseCodeURI}} {
			first, err := DOT(m, o)
			if err != nil {
				t.Fatalf("%s %+v: %v", name, o, err)
			}
			// Graphviz's orthogonal router takes minutes on a few hundred nodes.
			if !bytes.Contains(first, []byte(`splines="spline"`)) || bytes.Contains(first, []byte("ortho")) {
				t.Fatalf("%s %+v: edges must be splines, never ortho", name, o)
			}
			for run := 0; run < 3; run++ {
				again, err := DOT(shuffled(m, int64(run)), o)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatalf("%s %+v: DOT differs on run %d with the model's lists shuffled", name, o, run)
				}
			}
		}
	}
}

var (
	dotNodeRe = regexp.MustCompile(`(?m)^\s*"(n-[A-Za-z0-9_]+)" \[id="(n-[A-Za-z0-9_]+)"`)
	dotEdgeRe = regexp.MustCompile(`(?m)^\s*"(n-[^"]+)" -> "(n-[^"]+)" \[id="(e-[^"]+)"`)
)

// nodesIn returns the node names drawn in DOT text.
func nodesIn(dot []byte) map[string]bool {
	out := map[string]bool{}
	for _, m := range dotNodeRe.FindAllSubmatch(dot, -1) {
		out[string(m[1])] = true
	}
	return out
}

// clusterOf returns, for each node, the innermost cluster it is drawn in.
func clusterOf(g *ggraph) map[string]string {
	out := map[string]string{}
	var walk func(cs []*gcluster)
	walk = func(cs []*gcluster) {
		for _, c := range cs {
			for _, n := range c.nodes {
				out[n.name] = c.name
			}
			walk(c.clusters)
		}
	}
	walk(g.clusters)
	return out
}

// TestFreshTracksBoundaries is the acceptance: all ten functions,
// the table, the bucket, the IoT thing, Zendesk and Auth0 in their
// boundaries, and every data flow of the model drawn.
func TestFreshTracksBoundaries(t *testing.T) {
	m := analyse(t, freshTracksPath(t, "template.yaml"))
	g, err := prepare(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	where := clusterOf(g)
	if len(m.Functions) != 10 {
		t.Fatalf("Fresh Tracks has %d functions, want 10", len(m.Functions))
	}
	for _, f := range m.Functions {
		if where[NodeID(f.ID)] != "cluster_account" {
			t.Errorf("function %s drawn in %q, want the AWS account", f.ID, where[NodeID(f.ID)])
		}
	}
	want := map[string]string{
		"FreshTracksDatabaseTable":        "cluster_account",
		"FreshTracksS3Bucket":             "cluster_account",
		"FreshTracksRealtime":             "cluster_account",
		"internet":                        "cluster_internet",
		"FreshTracksAPI POST /activities": "cluster_api_FreshTracksAPI",
	}
	for _, tp := range m.ThirdParties {
		want[tp.ID] = "cluster_third-party"
	}
	hosts := ""
	for _, tp := range m.ThirdParties {
		hosts += tp.Host + " "
	}
	if !strings.Contains(hosts, "zendesk.com") || !strings.Contains(hosts, "auth0.com") {
		t.Fatalf("third parties %q: want Zendesk and Auth0", hosts)
	}
	for id, cluster := range want {
		if where[NodeID(id)] != cluster {
			t.Errorf("%s drawn in %q, want %s", id, where[NodeID(id)], cluster)
		}
	}
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	edges := map[[2]string]bool{}
	for _, e := range dotEdgeRe.FindAllSubmatch(dot, -1) {
		edges[[2]string{string(e[1]), string(e[2])}] = true
	}
	for _, e := range m.Edges {
		if !edges[[2]string{NodeID(e.From), NodeID(e.To)}] && !edges[[2]string{NodeID(e.To), NodeID(e.From)}] {
			t.Errorf("model edge %s -> %s (%s) not drawn", e.From, e.To, e.Kind)
		}
	}
	// Triggers from stores and third parties are laid out from the function
	// with the arrow reversed, so the picture reads left to right.
	if !regexp.MustCompile(`"n-parseGPX" -> "n-FreshTracksS3Bucket" \[id="e-FreshTracksS3Bucket-parseGPX-trigger"[^\n]*dir="back"`).Match(dot) {
		t.Error("S3 trigger of parseGPX not drawn reversed from the function")
	}
}

func TestFocus(t *testing.T) {
	cases := []struct {
		focus     string
		want, not []string
	}{
		// A function: what it reaches (through Jobs, which it writes, to
		// Worker and on), what triggers it, not its siblings.
		{"CreateOrder", []string{"CreateOrder", "OrdersTable", "Jobs", "Worker", "Uploads", "api.stripe.com", "Events", "OrdersDb", "OrdersApi POST /orders", "authenticated-users", "external:logs"},
			[]string{"GetOrder", "Nightly", "Report", "ApiToken", "internet"}},
		// A read-only path stops at the resource.
		{"GetOrder", []string{"GetOrder", "OrdersTable", "OrdersApi GET /orders/{id}", "internet"}, []string{"CreateOrder", "Jobs", "Worker"}},
		// A resource: everything that can reach it, backwards through the
		// queue that CreateOrder writes.
		{"Uploads", []string{"Uploads", "Worker", "Nightly", "Jobs", "CreateOrder", "OrdersApi POST /orders", "authenticated-users", "Nightly Tick"},
			[]string{"GetOrder", "Report", "OrdersTable", "ApiToken"}},
		// A table read by GetOrder and written by CreateOrder: both reach it.
		{"OrdersTable", []string{"OrdersTable", "GetOrder", "CreateOrder", "Report", "internet", "Report URL"}, []string{"Worker", "Nightly", "Uploads"}},
		// An API: its routes and what they reach.
		{"OrdersApi", []string{"OrdersApi GET /orders/{id}", "OrdersApi POST /orders", "GetOrder", "CreateOrder", "Worker"}, []string{"Report", "Nightly"}},
		// Case-insensitive when unambiguous.
		{"createorder", []string{"CreateOrder", "Jobs"}, []string{"GetOrder"}},
	}
	for _, c := range cases {
		t.Run(c.focus, func(t *testing.T) {
			dot, err := DOT(handBuilt(), Options{Focus: c.focus})
			if err != nil {
				t.Fatal(err)
			}
			nodes := nodesIn(dot)
			for _, id := range c.want {
				// (an API is drawn as the cluster around its routes)
				if !nodes[NodeID(id)] && !strings.Contains(string(dot), `id="`+NodeID(id)+`"`) {
					t.Errorf("focus %s: %s missing", c.focus, id)
				}
			}
			for _, id := range c.not {
				if nodes[NodeID(id)] {
					t.Errorf("focus %s: %s should not be drawn", c.focus, id)
				}
			}
			if !strings.Contains(string(dot), "focus on ") {
				t.Error("legend does not say which element is in focus")
			}
		})
	}
}

func TestFocusUnknownSuggests(t *testing.T) {
	_, err := DOT(handBuilt(), Options{Focus: "CreateOrdr"})
	var unknown *UnknownIDError
	if !errors.As(err, &unknown) {
		t.Fatalf("want UnknownIDError, got %v", err)
	}
	if unknown.ID != "CreateOrdr" || len(unknown.Suggestions) == 0 || unknown.Suggestions[0] != "CreateOrder" {
		t.Fatalf("suggestions %v for CreateOrdr", unknown.Suggestions)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, `"CreateOrdr"`) || !strings.Contains(msg, "did you mean CreateOrder") {
		t.Fatalf("message %q", msg)
	}
	_, err = DOT(handBuilt(), Options{Focus: "zzzzzzzzzz"})
	if !errors.As(err, &unknown) || len(unknown.Suggestions) != 0 {
		t.Fatalf("nothing close to zzzzzzzzzz, got %v", err)
	}
}

func TestCollapse(t *testing.T) {
	cases := []struct {
		mode   string
		groups []string // group node names drawn
		kept   []string // elements drawn on their own
	}{
		{CollapseAPI, []string{"group:api:API OrdersApi", "group:routes:OrdersApi"}, []string{"Worker", "Nightly", "Report", "Uploads"}},
		{CollapseTrigger, []string{"group:trigger:trigger Api", "group:routes:OrdersApi"}, []string{"Worker", "Nightly", "Report"}},
		{CollapseCodeURI, []string{"group:codeuri:code src/orders", "group:codeuri:code src/jobs"}, []string{"Report"}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			dot, err := DOT(handBuilt(), Options{Collapse: c.mode})
			if err != nil {
				t.Fatal(err)
			}
			nodes := nodesIn(dot)
			for _, g := range c.groups {
				if !nodes[NodeID(g)] {
					t.Errorf("group %s not drawn", g)
				}
			}
			for _, k := range c.kept {
				if !nodes[NodeID(k)] {
					t.Errorf("%s should stay on its own", k)
				}
			}
			if !strings.Contains(string(dot), "functions grouped by") {
				t.Error("legend does not say the view is collapsed")
			}
		})
	}
	// Below the threshold the default view is not collapsed.
	dot, err := DOT(handBuilt(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(dot), "group:") || strings.Contains(string(dot), "grouped by") {
		t.Error("a five-function model was collapsed by default")
	}
}

// TestLargeTemplateCollapsesByDefault: the 1000-function template is
// collapsed automatically into a legible number of nodes, and renders.
func TestLargeTemplateCollapsesByDefault(t *testing.T) {
	m := analyse(t, filepath.Join(sharedDir(t), "corpus", "synthetic", "functions-1000.yaml"))
	if len(m.Functions) != 1000 {
		t.Fatalf("%d functions", len(m.Functions))
	}
	dot, err := DOT(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	nodes := nodesIn(dot)
	if len(nodes) > 40 {
		t.Fatalf("collapsed view still has %d nodes", len(nodes))
	}
	if !strings.Contains(string(dot), "1000 functions") || !strings.Contains(string(dot), "functions grouped by") {
		t.Error("title or collapse note missing")
	}
	svg := renderSVG(t, m, Options{})
	checkSVG(t, svg)
	full, err := DOT(m, Options{Collapse: CollapseNone})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(nodesIn(full)); n < 2000 {
		t.Fatalf("--collapse none drew %d nodes, want every element", n)
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{{Format: "gif"}, {Collapse: "folder"}, {DPI: -1}, {DPI: MaxDPI + 1}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v accepted", o)
		}
		if _, err := DOT(handBuilt(), o); err == nil {
			t.Errorf("DOT accepted %+v", o)
		}
	}
	for _, o := range []Options{{}, {Format: "png", DPI: 150}, {Format: "dot", Collapse: CollapseNone}} {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := DOT(nil, Options{}); !errors.Is(err, ErrNoModel) {
		t.Errorf("nil model: %v", err)
	}
}

func TestNodeID(t *testing.T) {
	cases := map[string]string{
		"getActivity":                     "n-getActivity",
		"FreshTracksAPI POST /activities": "n-FreshTracksAPI_20POST_20_2Factivities",
		"external:iot":                    "n-external_3Aiot",
		"a_b":                             "n-a_5Fb",
		"é":                               "n-_C3_A9",
		"":                                "n-",
	}
	valid := regexp.MustCompile(`^n-[A-Za-z0-9_]*$`)
	seen := map[string]string{}
	for in, want := range cases {
		got := NodeID(in)
		if got != want {
			t.Errorf("NodeID(%q) = %q, want %q", in, got, want)
		}
		if !valid.MatchString(got) {
			t.Errorf("NodeID(%q) = %q is not a safe id", in, got)
		}
		if prev, dup := seen[got]; dup {
			t.Errorf("NodeID collision: %q and %q", prev, in)
		}
		seen[got] = in
	}
	// Underscores are escaped too, so "a_5Fb" (literal) and "a_b" differ.
	if NodeID("a_5Fb") == NodeID("a_b") {
		t.Error("NodeID is not injective")
	}
}
