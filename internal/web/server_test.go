package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/samthreat/samthreat/app"
)

const testAddr = "127.0.0.1:8080"

func newWorkbench(t *testing.T) *app.Workbench {
	t.Helper()
	dir := t.TempDir()
	wb, err := app.New(app.Config{Workspace: filepath.Join(dir, "ws.db"), CacheDir: filepath.Join(dir, "cache"),
		ExportDir: filepath.Join(dir, "out"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Shutdown(wb) })
	return wb
}

var testAssets = fstest.MapFS{
	"index.html":       {Data: []byte("<!doctype html><title>samthreat</title>")},
	"assets/app-1.js":  {Data: []byte("console.log(1)")},
	"favicon.svg":      {Data: []byte("<svg/>")},
	"assets/style.css": {Data: []byte("body{}")},
}

func newHandler(t *testing.T, wb *app.Workbench, opts Options) *Handler {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = testAddr
	}
	opts.Workbench = wb
	h, err := NewHandler(opts, wb)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type req struct {
	method, path, body string
	header             map[string]string
	host               string
}

func (r req) do(h http.Handler) *httptest.ResponseRecorder {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	hr.Host = testAddr
	if r.host != "" {
		hr.Host = r.host
	}
	if r.method == http.MethodPost {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return m
}

func TestAPIThroughHTTP(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{Assets: testAssets})
	rec := req{method: "POST", path: "/api/Workbench/Status", body: "[]"}.do(h)
	if rec.Code != 200 {
		t.Fatalf("Status: %d %s", rec.Code, rec.Body)
	}
	var st app.Status
	if err := json.Unmarshal(decode(t, rec)["result"], &st); err != nil {
		t.Fatal(err)
	}
	if st.ExampleRevisionID == 0 || !st.ExampleLoaded {
		t.Fatalf("status = %+v", st)
	}
	// Analysis, then triage a finding and read it back, as the frontend does.
	rec = req{method: "POST", path: "/api/Workbench/Analysis", body: "[" + itoa(st.ExampleRevisionID) + "]"}.do(h)
	var m struct {
		Functions []struct {
			ID string `json:"id"`
		} `json:"functions"`
		Findings []struct {
			Fingerprint string `json:"fingerprint"`
			Triage      struct {
				Status string `json:"status"`
			} `json:"triage"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(decode(t, rec)["result"], &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Functions) == 0 || len(m.Findings) == 0 || m.Findings[0].Triage.Status != "open" {
		t.Fatalf("analysis: %d functions, %d findings", len(m.Functions), len(m.Findings))
	}
	revs := req{method: "POST", path: "/api/Workbench/ListProjects", body: "[]"}.do(h)
	var ps []app.Project
	json.Unmarshal(decode(t, revs)["result"], &ps)
	var pid int64
	for _, p := range ps {
		if p.Latest != nil && p.Latest.ID == st.ExampleRevisionID {
			pid = p.ID
		}
	}
	body, _ := json.Marshal([]any{pid, m.Findings[0].Fingerprint, "accepted", "reviewed", "ana"})
	if rec := (req{method: "POST", path: "/api/Workbench/SetTriage", body: string(body)}).do(h); rec.Code != 200 {
		t.Fatalf("SetTriage: %d %s", rec.Code, rec.Body)
	}
	rec = req{method: "POST", path: "/api/Workbench/Analysis", body: "[" + itoa(st.ExampleRevisionID) + "]"}.do(h)
	json.Unmarshal(decode(t, rec)["result"], &m)
	if m.Findings[0].Triage.Status != "accepted" {
		t.Errorf("triage after SetTriage = %s", m.Findings[0].Triage.Status)
	}
	// Errors: one line, with a status.
	for _, c := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"/api/Workbench/Analysis", "[999]", 404, "revision 999: not found"},
		{"/api/Workbench/SetTriage", `["1", "f", "open", "", ""]`, 400, "argument 1: want a number"},
		{"/api/Workbench/SetTriage", `[1, "f", "nope", "", ""]`, 422, `unknown status "nope"`},
		{"/api/Workbench/Nope", "[]", 404, "no method Workbench.Nope"},
		{"/api/Workbench", "[]", 404, "POST /api/<Service>/<Method>"},
		{"/api/Workbench/ImportPath", `["/definitely/not/here.yaml"]`, 422, "no such file or directory"},
	} {
		rec := req{method: "POST", path: c.path, body: c.body}.do(h)
		var e struct{ Error string }
		json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != c.status || !strings.Contains(e.Error, c.want) || strings.Contains(e.Error, "\n") {
			t.Errorf("%s %s: %d %q, want %d %q", c.path, c.body, rec.Code, e.Error, c.status, c.want)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestHostAndOriginChecks(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{Assets: testAssets})
	status := req{method: "POST", path: "/api/Workbench/Version", body: "[]"}
	cases := []struct {
		name   string
		r      req
		status int
	}{
		{"bound address", status, 200},
		{"localhost", req{method: "POST", path: status.path, body: "[]", host: "localhost:8080"}, 200},
		{"ipv6 loopback", req{method: "POST", path: status.path, body: "[]", host: "[::1]:8080"}, 200},
		{"rebinding host", req{method: "POST", path: status.path, body: "[]", host: "evil.example:8080"}, 403},
		{"rebinding host on GET", req{method: "GET", path: "/", host: "evil.example:8080"}, 403},
		{"rebinding download", req{method: "GET", path: "/api/export?rev=1&format=json", host: "evil.example"}, 403},
		{"other port", req{method: "POST", path: status.path, body: "[]", host: "127.0.0.1:9999"}, 403},
		{"suffix trick", req{method: "POST", path: status.path, body: "[]", host: "127.0.0.1.evil.example:8080"}, 403},
		{"same origin", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Origin": "http://127.0.0.1:8080"}}, 200},
		{"cross origin", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Origin": "http://evil.example"}}, 403},
		{"null origin", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Origin": "null"}}, 403},
		{"cross-site fetch", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{"same-site fetch", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Sec-Fetch-Site": "same-site"}}, 403},
		{"same-origin fetch", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Sec-Fetch-Site": "same-origin"}}, 200},
		{"form post", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 403},
		{"text/plain post", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Content-Type": "text/plain"}}, 403},
		{"json with charset", req{method: "POST", path: status.path, body: "[]", header: map[string]string{"Content-Type": "application/json; charset=utf-8"}}, 200},
		{"GET on a method", req{method: "GET", path: status.path}, 405},
		{"cross-site download", req{method: "GET", path: "/api/export?rev=1&format=json", header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{"cross-site page load", req{method: "GET", path: "/", header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 200},
		{"PUT on a page", req{method: "PUT", path: "/", body: "x"}, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := c.r.do(h)
			if rec.Code != c.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, c.status)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Error("security headers missing")
			}
		})
	}
}

func TestToken(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{Addr: "0.0.0.0:8080", Token: "s3cret", Assets: testAssets})
	call := "/api/Workbench/Version"
	cases := []struct {
		name   string
		r      req
		status int
	}{
		{"no token", req{method: "POST", path: call, body: "[]"}, 401},
		{"no token page", req{method: "GET", path: "/"}, 401},
		{"wrong bearer", req{method: "POST", path: call, body: "[]", header: map[string]string{"Authorization": "Bearer nope"}}, 401},
		{"bearer", req{method: "POST", path: call, body: "[]", header: map[string]string{"Authorization": "Bearer s3cret"}}, 200},
		{"cookie", req{method: "POST", path: call, body: "[]", header: map[string]string{"Cookie": TokenCookie + "=s3cret"}}, 200},
		{"wrong cookie", req{method: "POST", path: call, body: "[]", header: map[string]string{"Cookie": TokenCookie + "=x"}}, 401},
		{"token in a POST query", req{method: "POST", path: call + "?token=s3cret", body: "[]"}, 401},
		{"localhost host still fine", req{method: "POST", path: call, body: "[]", host: "localhost:8080", header: map[string]string{"Authorization": "Bearer s3cret"}}, 200},
		{"foreign host with token", req{method: "POST", path: call, body: "[]", host: "evil.example:8080", header: map[string]string{"Authorization": "Bearer s3cret"}}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if rec := c.r.do(h); rec.Code != c.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, c.status)
			}
		})
	}
	rec := req{method: "GET", path: "/?token=s3cret&x=1"}.do(h)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/?x=1" {
		t.Fatalf("?token=: %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	ck := rec.Result().Cookies()
	if len(ck) != 1 || ck[0].Value != "s3cret" || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie = %+v", ck)
	}
}

func TestBodyLimit(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{})
	big := `["x.yaml", "` + strings.Repeat("a", MaxBody) + `"]`
	rec := req{method: "POST", path: "/api/Workbench/ImportText", body: big}.do(h)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d %.200s", rec.Code, rec.Body)
	}
}

func TestDownloads(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{})
	st, _ := wb.Status()
	rev := itoa(st.ExampleRevisionID)
	rec := req{method: "GET", path: "/api/export?rev=" + rev + "&format=sarif"}.do(h)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/sarif+json" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename=fresh-tracks-example-template-r1.sarif`) {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	var sarif struct{ Version string }
	if err := json.Unmarshal(rec.Body.Bytes(), &sarif); err != nil || sarif.Version != "2.1.0" {
		t.Errorf("sarif download: %v %q", err, sarif.Version)
	}
	rec = req{method: "GET", path: "/api/export?rev=" + rev}.do(h) // PDF by default
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
		t.Errorf("pdf download: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	// Report options: a minimum severity narrows the findings, a title is used.
	rec = req{method: "GET", path: "/api/export?rev=" + rev + "&format=json&min=high"}.do(h)
	var narrowed struct{ Findings []struct{ Severity string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &narrowed); rec.Code != 200 || err != nil || len(narrowed.Findings) == 0 {
		t.Fatalf("json with min=high: %d %v", rec.Code, err)
	}
	for _, f := range narrowed.Findings {
		if f.Severity != "critical" && f.Severity != "high" {
			t.Errorf("min=high kept a %s finding", f.Severity)
		}
	}
	rec = req{method: "GET", path: "/api/export?rev=" + rev + "&format=md&title=Design+review+Q3"}.do(h)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Design review Q3") {
		t.Errorf("md with a title: %d %.200s", rec.Code, rec.Body)
	}
	rec = req{method: "GET", path: "/api/export?rev=" + rev + "&format=md&sections=summary,findings"}.do(h)
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "\n## Executive summary") || strings.Contains(body, "\n## Architecture") {
		t.Errorf("md with sections summary,findings: %d %.200s", rec.Code, body)
	}
	for _, c := range []struct{ format, ctype, head string }{{"svg", "image/svg+xml", "<"}, {"png", "image/png", "\x89PNG"}} {
		rec = req{method: "GET", path: "/api/diagram?rev=" + rev + "&format=" + c.format + "&focus=publishToIoT"}.do(h)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != c.ctype || !strings.HasPrefix(rec.Body.String(), c.head) ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "fresh-tracks-example-template-r1-diagram-publishtoiot."+c.format) {
			t.Errorf("diagram %s: %d %v", c.format, rec.Code, rec.Header())
		}
	}
	rec = req{method: "GET", path: "/api/project?id=1"}.do(h)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"format": "samthreat-project"`) {
		t.Errorf("project download: %d %.100s", rec.Code, rec.Body)
	}
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/export?rev=999&format=json", 404, "not found"},
		{"/api/export?rev=x", 400, "?rev="},
		{"/api/export?rev=" + rev + "&format=docx", 422, "unknown export format"},
		{"/api/project?id=999", 404, "not found"},
		{"/api/export?rev=" + rev + "&format=json&min=severe", 422, "unknown minimum severity"},
		{"/api/export?rev=" + rev + "&format=md&sections=summary,cover", 422, "unknown report section"},
		{"/api/diagram?rev=" + rev + "&format=gif", 422, "unknown diagram format"},
		{"/api/diagram?rev=x", 400, "?rev="},
	} {
		rec := req{method: "GET", path: c.path}.do(h)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s: %d %s", c.path, rec.Code, rec.Body)
		}
	}
}

func TestStatic(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{Assets: testAssets})
	for _, c := range []struct {
		path, want string
		status     int
	}{
		{"/", "<title>samthreat</title>", 200},
		{"/assets/app-1.js", "console.log(1)", 200},
		{"/favicon.svg", "<svg/>", 200},
		{"/projects/3/findings", "<title>samthreat</title>", 200}, // client-side route
		{"/missing.js", "404", 404},
		{"/../../etc/passwd", "<title>samthreat</title>", 200},
	} {
		rec := req{method: "GET", path: c.path}.do(h)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s: %d %q", c.path, rec.Code, rec.Body)
		}
	}
	bare := newHandler(t, wb, Options{})
	if rec := (req{method: "GET", path: "/"}).do(bare); !strings.Contains(rec.Body.String(), "frontend is not built") {
		t.Errorf("no assets: %q", rec.Body)
	}
}

func TestEvents(t *testing.T) {
	broker := NewBroker()
	dir := t.TempDir()
	wb, err := app.New(app.Config{Workspace: filepath.Join(dir, "ws.db"), NoExample: true, Version: "test", Events: broker.Publish})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Shutdown(wb)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Options{Addr: ln.Addr().String(), Events: broker, Workbench: wb}, wb)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(h)
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; !strings.HasPrefix(first, ":") {
		t.Fatalf("first line %q", first)
	}
	// An upload changes the workspace: a "workspace" event follows.
	body := `["t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: exports.handler = async () => 1\n"]`
	r, _ := http.NewRequest("POST", base+"/api/Workbench/ImportText", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("import: %d %s", res.StatusCode, b)
	}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("stream closed")
			}
			if l == "event: workspace" {
				if data := <-lines; data != `data: {"projectId":1}` {
					t.Errorf("data line %q", data)
				}
				return
			}
		case <-timeout:
			t.Fatal("no workspace event")
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, "127.1.2.3:9": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.10:8080": false, "[::]:80": false, "example.com:80": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%s) = %v", addr, got)
		}
	}
}

// Browsers fire several calls at once: concurrent reads and writes through
// the handler all succeed and agree (run with -race to check for data races).
func TestConcurrentCalls(t *testing.T) {
	wb := newWorkbench(t)
	h := newHandler(t, wb, Options{})
	st, _ := wb.Status()
	rev := itoa(st.ExampleRevisionID)
	pid := exampleProject(t, wb)
	done := make(chan string, 64)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i := 0; i < 5; i++ {
				calls := []req{
					{method: "POST", path: "/api/Workbench/Analysis", body: "[" + rev + "]"},
					{method: "POST", path: "/api/Workbench/SetTriage", body: `[` + itoa(pid) + `, "F` + itoa(int64(g)) + `", "accepted", "", ""]`},
					{method: "POST", path: "/api/Workbench/CompareMonolith", body: "[" + rev + "]"},
					{method: "POST", path: "/api/Workbench/ListProjects", body: "[]"},
				}
				for _, c := range calls {
					if rec := c.do(h); rec.Code != 200 {
						done <- c.path + ": " + rec.Body.String()
						return
					}
				}
			}
			done <- ""
		}(g)
	}
	for g := 0; g < 8; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	tri, err := wb.Triage(pid)
	if err != nil || len(tri) != 8 {
		t.Errorf("%d triage records, want 8 (%v)", len(tri), err)
	}
}

func exampleProject(t *testing.T, wb *app.Workbench) int64 {
	t.Helper()
	st, _ := wb.Status()
	ps, err := wb.ListProjects()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Latest != nil && p.Latest.ID == st.ExampleRevisionID {
			return p.ID
		}
	}
	t.Fatal("example project not found")
	return 0
}
