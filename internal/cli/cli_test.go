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

	"github.com/samthreat/samthreat/internal/testshared"
)

// These tests drive the real binary, as a pipeline or a user would.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "samthreat-cli-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "samthreat")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("building samthreat: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..")
}

func shared(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{repoRoot(), "..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		testshared.Missing(t, p) // a skip, or a failure in CI (SAMTHREAT_REQUIRE_SHARED)
	}
	return p
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	return runIn(t, "", args...)
}

// runIn runs the binary with dir as its working directory ("" for this one).
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir(), "HOME="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running samthreat %v: %v", args, err)
	}
	r := result{code, out.String(), errb.String()}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("samthreat %v printed a Go panic:\n%s", args, r.stderr)
	}
	return r
}

// wantUsageError checks the CLI's contract for bad input: exit 2 and one
// line on stderr that names what is wrong.
func wantUsageError(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != 2 {
		t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], want) {
		t.Fatalf("want one line naming %q, got %q", want, r.stderr)
	}
}

func TestAnalyzeBundledExampleWithNoArguments(t *testing.T) {
	r := run(t, "analyze")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"template.yaml", "publishToIoT", "parseGPX", "getActivity"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text summary lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestAnalyzeJSONContract(t *testing.T) {
	r := run(t, "analyze", "--format", "json", shared(t, "fixtures", "freshtracks", "template.yaml"))
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	for _, key := range []string{"template", "functions", "resources", "thirdParties", "edges", "findings", "summary"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("JSON lacks the %q key", key)
		}
	}
	fns, _ := doc["functions"].([]any)
	if len(fns) != 10 {
		t.Fatalf("want the fixture's 10 functions, got %d", len(fns))
	}
	for _, f := range fns {
		fn := f.(map[string]any)
		for _, key := range []string{"id", "runtime", "handler", "codeUri", "file", "line", "granted"} {
			if _, ok := fn[key]; !ok {
				t.Errorf("function %v lacks %q", fn["id"], key)
			}
		}
	}
}

func TestAnalyzeDirectoryPrintsArray(t *testing.T) {
	r := run(t, "analyze", "--format", "json", shared(t, "fixtures", "freshtracks"))
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &docs); err != nil {
		t.Fatalf("a directory must give a JSON array: %v", err)
	}
	if len(docs) != 3 {
		t.Fatalf("want the 3 Fresh Tracks templates, got %d", len(docs))
	}
}

func TestAnalyzeOutFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "model.json")
	r := run(t, "analyze", "--format", "json", "--out", out)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !json.Valid(data) {
		t.Fatalf("--out did not write JSON: %v", err)
	}
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [\n"), 0o644)
	notTemplate := filepath.Join(dir, "list.yaml")
	os.WriteFile(notTemplate, []byte("- a\n- b\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // in the one-line message
	}{
		{"missing file", []string{"analyze", filepath.Join(dir, "nope.yaml")}, "nope.yaml"},
		{"broken yaml names file and line", []string{"analyze", broken}, "broken.yaml:"},
		{"not a template", []string{"analyze", notTemplate}, "list.yaml"},
		{"unknown format", []string{"analyze", "--format", "xml"}, "--format"},
		{"unknown fail-on", []string{"analyze", "--fail-on", "severe"}, "--fail-on"},
		{"unknown flag", []string{"analyze", "--frobnicate"}, "frobnicate"},
		{"empty directory", []string{"analyze", dir + "/empty"}, "empty"},
	}
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUsageError(t, run(t, tt.args...), tt.want)
		})
	}
}

func TestFailOnSeverity(t *testing.T) {
	fixture := shared(t, "fixtures", "freshtracks", "template.yaml")
	r := run(t, "analyze", "--fail-on", "low", fixture)
	if r.code != 1 {
		t.Fatalf("the broad Fresh Tracks template has findings: want exit 1 with --fail-on low, got %d (%s)", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "threats at or above low") {
		t.Errorf("stderr should say why it failed: %q", r.stderr)
	}
}

// TestCorpusNeverPanics analyses the whole shared corpus in one batch: every
// template is either analysed or refused with a message, never a crash.
func TestCorpusNeverPanics(t *testing.T) {
	r := run(t, "analyze", "--format", "json", shared(t, "corpus"))
	if r.code != 0 && r.code != 2 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &docs); err != nil {
		t.Fatalf("batch output is not a JSON array: %v", err)
	}
	refused := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if line == "" || strings.Contains(line, "templates could not be read") {
			continue
		}
		refused++
		if !strings.HasPrefix(line, "samthreat: ") || !strings.Contains(line, ".") {
			t.Errorf("unclear refusal: %q", line)
		}
	}
	if len(docs) < 250 {
		t.Errorf("only %d corpus templates analysed (%d refused)", len(docs), refused)
	}
	t.Logf("corpus: %d analysed, %d refused", len(docs), refused)
}
