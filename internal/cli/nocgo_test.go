package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBuildWithoutCgo builds samthreat as `CGO_ENABLED=0 go build` does (Go
// from the tarball, no C compiler) and checks that it says what it cannot
// do: one warning line on stderr per run, every function marked "code not
// read by this build" in the text table, the JSON, SARIF and the report, and
// no least-privilege advice built on code it never read.
func TestBuildWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds samthreat a second time without cgo (about 2 minutes cold); not in -short")
	}
	bin := filepath.Join(t.TempDir(), "samthreat-nocgo")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = repoRoot()
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	work := t.TempDir()
	run := func(args ...string) (stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(work, "cache"), "HOME="+work)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("samthreat %v: %v\n%s", args, err, errb.String())
		}
		return out.String(), errb.String()
	}
	oneWarning := func(what, stderr string) {
		t.Helper()
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "samthreat: warning: built without cgo") {
			t.Errorf("%s: want exactly one warning line on stderr, got %q", what, stderr)
		}
	}

	// The bundled example is Fresh Tracks: ten JavaScript functions.
	text, stderr := run("analyze")
	oneWarning("analyze", stderr)
	for _, want := range []string{"? code not read by this build", "lower bounds: code not read by this build"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	for _, bad := range []string{"remove the policy", "suffices"} {
		if strings.Contains(text, bad) {
			t.Errorf("text output gives least-privilege advice (%q) from code it did not read", bad)
		}
	}

	js, stderr := run("analyze", "--format", "json")
	oneWarning("analyze --format json", stderr)
	var m struct {
		Functions []struct {
			ID                string `json:"id"`
			CodeNotRead       bool   `json:"codeNotRead"`
			CodeNote          string `json:"codeNote"`
			Unused            []string
			SuggestedPolicies []any `json:"suggestedPolicies"`
		} `json:"functions"`
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
		Diagnostics []struct {
			Message string `json:"message"`
		} `json:"diagnostics"`
		Summary struct {
			CodeNotRead int `json:"codeNotRead"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Functions) == 0 || m.Summary.CodeNotRead != len(m.Functions) {
		t.Errorf("summary.codeNotRead = %d, want every one of %d functions", m.Summary.CodeNotRead, len(m.Functions))
	}
	for _, f := range m.Functions {
		if !f.CodeNotRead || !strings.HasPrefix(f.CodeNote, "code not read by this build") {
			t.Errorf("%s: codeNotRead %v, codeNote %q", f.ID, f.CodeNotRead, f.CodeNote)
		}
		if len(f.Unused) > 0 || len(f.SuggestedPolicies) > 0 {
			t.Errorf("%s: least-privilege figures from code not read: unused %v, %d suggestions", f.ID, f.Unused, len(f.SuggestedPolicies))
		}
	}
	for _, f := range m.Findings {
		if f.Rule == "SLS-IAM-008" {
			t.Errorf("SLS-IAM-008 (a narrower policy from the code's SDK calls) from code this build did not read")
		}
	}
	if len(m.Diagnostics) == 0 || !strings.HasPrefix(m.Diagnostics[len(m.Diagnostics)-1].Message, "code not read by this build") {
		t.Errorf("no diagnostic saying the code was not read: %+v", m.Diagnostics)
	}

	sarif, stderr := run("analyze", "--format", "sarif")
	oneWarning("analyze --format sarif", stderr)
	if !strings.Contains(sarif, `"toolExecutionNotifications"`) || !strings.Contains(sarif, "code not read by this build") {
		t.Errorf("SARIF log does not say the code was not read")
	}

	_, stderr = run("report", "--md", filepath.Join(work, "report.md"))
	oneWarning("report", stderr)
	md, err := os.ReadFile(filepath.Join(work, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "code not read by this build") {
		t.Errorf("the Markdown report does not say the code was not read")
	}

	// Commands that read no code stay quiet.
	if _, stderr = run("rules"); stderr != "" {
		t.Errorf("rules: stderr %q, want nothing", stderr)
	}
}
