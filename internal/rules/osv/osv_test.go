package osv

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

const xml2jsAdvisory = `{"id":"GHSA-776f-qx25-q3cc","summary":"prototype pollution","affected":[{"package":{"ecosystem":"npm","name":"xml2js"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.5.0"}]}]}]}`

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"0.4.19", "0.5.0", -1}, {"1.10.0", "1.9.9", 1}, {"2.0.0", "2.0.0", 0}, {"1.0.0-beta.1", "1.0.0", -1},
		{"2", "2.0.0", 0}, {"v1.2.3", "1.2.3", 0}, {"1.0rc1", "1.0", -1},
	} {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestDirLookup(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "GHSA-776f-qx25-q3cc.json"), []byte(xml2jsAdvisory), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		version string
		hit     bool
	}{{"0.4.19", true}, {"0.5.0", false}, {"0.6.2", false}, {"0.0.1", true}} {
		got, err := d.Lookup(context.Background(), "npm", "xml2js", c.version)
		if err != nil {
			t.Fatal(err)
		}
		if (len(got) > 0) != c.hit {
			t.Errorf("xml2js@%s: got %v, want hit=%v", c.version, got, c.hit)
		}
		if c.hit && got[0].Fixed != "0.5.0" {
			t.Errorf("fixed version: %+v", got[0])
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.json"), []byte(`[1,2]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err == nil {
		t.Error("a folder with a non-OSV file was accepted")
	}
}

func TestLastAffectedAndVersions(t *testing.T) {
	v := &Vuln{ID: "X", Affected: []Affected{{Versions: []string{"9.9.9"}}}}
	v.Affected[0].Package.Ecosystem, v.Affected[0].Package.Name = "PyPI", "PyYAML"
	if ok, _ := Affects(v, "PyPI", "pyyaml", "9.9.9"); !ok {
		t.Error("explicit version list not matched (PyPI names are case-insensitive)")
	}
	var w Vuln
	_ = json.Unmarshal([]byte(`{"id":"Y","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"last_affected":"1.2.0"}]}]}]}`), &w)
	for ver, want := range map[string]bool{"0.9.0": false, "1.0.0": true, "1.2.0": true, "1.2.1": false} {
		if ok, _ := Affects(&w, "npm", "a", ver); ok != want {
			t.Errorf("a@%s: %v, want %v", ver, ok, want)
		}
	}
}

// TestOnline uses a local server standing in for api.osv.dev: never the network.
func TestOnline(t *testing.T) {
	var queries int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/query" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		queries++
		var q struct {
			Version string `json:"version"`
			Package struct{ Name, Ecosystem string }
		}
		if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if q.Package.Name == "xml2js" && q.Package.Ecosystem == "npm" && q.Version == "0.4.19" {
			_, _ = w.Write([]byte(`{"vulns":[` + xml2jsAdvisory + `]}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	o := &Online{Base: srv.URL, Client: srv.Client()}
	ctx := context.Background()
	got, err := o.Lookup(ctx, "npm", "xml2js", "0.4.19")
	if err != nil || len(got) != 1 || got[0].ID != "GHSA-776f-qx25-q3cc" {
		t.Fatalf("online lookup: %v %+v", err, got)
	}
	if _, err := o.Lookup(ctx, "npm", "xml2js", "0.4.19"); err != nil || queries != 1 {
		t.Errorf("answers not cached: %d queries", queries)
	}
	if got, _ := o.Lookup(ctx, "npm", "uuid", "3.3.2"); len(got) != 0 {
		t.Errorf("clean package reported: %+v", got)
	}
	bad := &Online{Base: srv.URL + "/nope", Client: srv.Client()}
	if _, err := bad.Lookup(ctx, "npm", "a", "1"); err == nil {
		t.Error("HTTP error not reported")
	}
}
