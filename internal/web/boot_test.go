package web

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/samthreat/samthreat/internal/testshared"
)

var bootRe = regexp.MustCompile(`(?s)<script id="samthreat-boot" type="application/json" data-revision="(\d+)">(.*?)</script>`)

// The first page carries the default view's answers, so the example is drawn
// without a round trip; each answer is what the API itself returns.
func TestIndexCarriesTheFirstView(t *testing.T) {
	wb := newWorkbench(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><html><head><title>x</title></head><body></body></html>")}}
	h := newHandler(t, wb, Options{Assets: assets})
	rec := req{method: http.MethodGet, path: "/"}.do(h)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: %d", rec.Code)
	}
	m := bootRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no boot block in %.300s", rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), m[0]+"</head>") {
		t.Error("boot block is not at the end of head")
	}
	var calls []struct {
		M string          `json:"m"`
		A json.RawMessage `json:"a"`
		R json.RawMessage `json:"r"`
	}
	if err := json.Unmarshal([]byte(m[2]), &calls); err != nil {
		t.Fatal(err)
	}
	got := map[string]json.RawMessage{}
	for _, c := range calls {
		got[c.M+string(c.A)] = c.R
	}
	rev := m[1]
	for _, key := range []string{"Status[]", "ListProjects[]", "Analysis[" + rev + "]", `Diagram[` + rev + `,"",""]`} {
		if _, ok := got[key]; !ok {
			t.Errorf("boot block lacks %s (has %d calls)", key, len(calls))
		}
	}
	// The same answers as the API gives.
	api := req{method: http.MethodPost, path: "/api/Workbench/Diagram", body: "[" + rev + `,"",""]`}.do(h)
	var live struct{ Result string }
	if err := json.Unmarshal(api.Body.Bytes(), &live); err != nil {
		t.Fatal(err)
	}
	var booted string
	if err := json.Unmarshal(got[`Diagram[`+rev+`,"",""]`], &booted); err != nil || booted != live.Result || !strings.Contains(booted, "publishToIoT") {
		t.Errorf("booted diagram differs from the API's (%d vs %d bytes)", len(booted), len(live.Result))
	}
}

// Text from a template cannot close the boot script: JSON escapes < and >.
func TestBootBlockEscapesMarkup(t *testing.T) {
	hostile := `</script><script>alert(1)</script><!--`
	b, err := json.Marshal([]bootCall{{Method: "Analysis", Args: json.RawMessage("[1]"), Result: map[string]string{"description": hostile}}})
	if err != nil {
		t.Fatal(err)
	}
	page := string(withBoot([]byte("<html><head></head><body></body></html>"), []byte(`<script id="samthreat-boot" type="application/json">`+string(b)+`</script>`)))
	if strings.Count(page, "</script>") != 1 || strings.Contains(page, "<script>alert") || strings.Contains(page, "<!--") {
		t.Fatalf("markup escaped the boot block: %s", page)
	}
	var back []bootCall
	m := regexp.MustCompile(`(?s)<script id="samthreat-boot" type="application/json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil || json.Unmarshal([]byte(m[1]), &back) != nil || back[0].Result.(map[string]any)["description"] != hostile {
		t.Fatalf("the value did not survive: %v", m)
	}
}

// A large default revision is not inlined: the page stays small and asks.
func TestBootBlockLeavesLargeModelsOut(t *testing.T) {
	wb := newWorkbench(t)
	data, err := os.ReadFile(testshared.Path(t, "corpus", "synthetic", "functions-1000.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.ImportText("functions-1000.yaml", string(data)); err != nil {
		t.Fatal(err)
	}
	// Make the large template the default view: remove the example projects.
	ps, err := wb.ListProjects()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Latest != nil && p.Latest.FileName != "functions-1000.yaml" {
			if err := wb.DeleteProject(p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	assets := fstest.MapFS{"index.html": {Data: []byte("<html><head></head><body></body></html>")}}
	h := newHandler(t, wb, Options{Assets: assets})
	rec := req{method: http.MethodGet, path: "/"}.do(h)
	body := rec.Body.String()
	if len(body) > maxBoot+4096 {
		t.Fatalf("first page is %d bytes", len(body))
	}
	if !strings.Contains(body, `"m":"Status"`) || strings.Contains(body, `"m":"Analysis"`) {
		t.Errorf("boot block should keep Status and leave the model out: %.300s", body)
	}
}
