package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	r := run(t, "version")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	iamVersions, err := os.ReadFile(filepath.Join(repoRoot(), "catalogs", "iam", "VERSIONS"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"samthreat ", "module:", "github.com/samthreat/samthreat", "commit:", "go:", "go1.", "code:", "workbench:"}
	for _, line := range strings.Split(strings.TrimSpace(string(iamVersions)), "\n") {
		name, version, _ := strings.Cut(line, ":")
		want = append(want, name+":", strings.TrimSpace(version))
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("version output lacks %q:\n%s", w, r.stdout)
		}
	}
	r = run(t, "version", "--format", "json")
	var b struct {
		Version string            `json:"version"`
		Go      string            `json:"go"`
		IAMData map[string]string `json:"iamData"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &b); err != nil {
		t.Fatalf("version --format json: %v\n%s", err, r.stdout)
	}
	if b.Version == "" || !strings.HasPrefix(b.Go, "go") || len(b.IAMData) < 2 {
		t.Errorf("version JSON incomplete: %+v", b)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := run(t, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, "samthreat") {
			t.Errorf("completion %s: exit %d, %d bytes", shell, r.code, len(r.stdout))
		}
	}
	wantUsageError(t, run(t, "completion", "tcsh"), `"tcsh"`)
	wantUsageError(t, run(t, "completion"), "bash, zsh, fish or powershell")
}

// TestCompareBundledExample: with no template, compare uses the bundled
// example's monolith and split variants, so the command works out of the box.
func TestCompareBundledExample(t *testing.T) {
	r := run(t, "compare")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"template-monolith.yaml", "template.yaml", "FreshTracksMonolith", "parseGPX", "ratio (OTHER split impact / BASE split impact)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, "compare", "--merge", "getActivity,getActivitiesForUser")
	if r.code != 0 || !strings.Contains(r.stdout, "(computed what-if merge): getActivity+getActivitiesForUser merged") {
		t.Errorf("compare --merge on the bundled example: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The help names no file the user does not have.
	help := run(t, "compare", "--help").stdout
	if strings.Contains(help, "template-monolith.yaml template.yaml") {
		t.Errorf("compare --help still names the example's files as if they were the user's:\n%s", help)
	}
}

// TestGraphRefusesOtherFormats: -o names a format graph does not write, or
// contradicts --format: one line, exit 2, no file.
func TestGraphRefusesOtherFormats(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		file string
		want string
	}{
		{[]string{"-o", "d.jpg"}, "d.jpg", "not .jpg"},
		{[]string{"--format", "png", "-o", "d.jpeg"}, "d.jpeg", "not .jpeg"},
		{[]string{"--format", "png", "-o", "d.svg"}, "d.svg", "the extension says svg but --format is png"},
		{[]string{"-o", "d.txt"}, "d.txt", "not .txt"},
	} {
		wantUsageError(t, runIn(t, dir, append([]string{"graph"}, c.args...)...), c.want)
		if _, err := os.Stat(filepath.Join(dir, c.file)); err == nil {
			t.Errorf("graph %v wrote %s", c.args, c.file)
		}
	}
	r := runIn(t, dir, "graph", "--format", "dot", "-o", "d.out")
	if r.code != 0 {
		t.Fatalf("graph --format dot -o d.out: exit %d, %s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "d.out")); !strings.Contains(string(data), "digraph") {
		t.Errorf("d.out is not DOT: %.80q", data)
	}
}
