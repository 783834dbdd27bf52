package code

import (
	"context"
	"strings"
	"testing"
)

// TestNotReadByBuild: a language this build has no parser for (what a build
// without cgo is for every tree-sitter language) gives a result marked
// NotRead, with no complexity or SDK calls passed off as measured.
func TestNotReadByBuild(t *testing.T) {
	saved, had := analyzers[JavaScript]
	delete(analyzers, JavaScript)
	t.Cleanup(func() {
		if had {
			analyzers[JavaScript] = saved
		}
	})
	res := New().Analyze(context.Background(), Request{TemplateDir: "testdata", CodeURI: "js/", Runtime: "nodejs20.x", Handler: "handler.handler"})
	if !res.Found || !res.NotRead || !res.Estimated || res.Complexity != 1 || len(res.Calls) != 0 {
		t.Errorf("found %v, notRead %v, estimated %v, complexity %d, %d calls: want found, not read, estimated, 1, 0",
			res.Found, res.NotRead, res.Estimated, res.Complexity, len(res.Calls))
	}
	if !strings.HasPrefix(res.Note, "code not read by this build") {
		t.Errorf("note %q", res.Note)
	}
	if got := NotReadByBuild(); len(got) == 0 || got[0] != "JavaScript" {
		t.Errorf("NotReadByBuild() = %v, want JavaScript first", got)
	}
	if msg := BuildLimit(); !strings.Contains(msg, "JavaScript") || strings.Contains(msg, "\n") {
		t.Errorf("BuildLimit() = %q: want one line naming JavaScript", msg)
	}
}

// TestBuildLimitMatchesCgo: a cgo build reads every language and says
// nothing; a build without cgo names every tree-sitter language.
func TestBuildLimitMatchesCgo(t *testing.T) {
	got := NotReadByBuild()
	if cgoBuild {
		if len(got) != 0 || BuildLimit() != "" {
			t.Errorf("cgo build: NotReadByBuild() = %v, BuildLimit() = %q; want none", got, BuildLimit())
		}
		return
	}
	want := "JavaScript TypeScript Python Java Ruby C#"
	if strings.Join(got, " ") != want {
		t.Errorf("build without cgo: NotReadByBuild() = %v, want %s", got, want)
	}
}
