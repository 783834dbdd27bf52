package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The files users' tooling reads from this repository (the GitHub Action,
// the pre-commit hooks, the GoReleaser configuration) are checked here field
// by field, so a rename on either side fails a test rather than a user's
// pipeline. CI also runs actionlint, pre-commit and goreleaser on them
// (scripts/integrations-check.sh); this test needs none of them.

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestActionMetadata(t *testing.T) {
	type input struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	}
	type step struct {
		Name  string            `yaml:"name"`
		ID    string            `yaml:"id"`
		If    string            `yaml:"if"`
		Uses  string            `yaml:"uses"`
		Shell string            `yaml:"shell"`
		Run   string            `yaml:"run"`
		Env   map[string]string `yaml:"env"`
		With  map[string]string `yaml:"with"`
	}
	var a struct {
		Name        string            `yaml:"name"`
		Description string            `yaml:"description"`
		Author      string            `yaml:"author"`
		Branding    map[string]string `yaml:"branding"`
		Inputs      map[string]input  `yaml:"inputs"`
		Outputs     map[string]struct {
			Description string `yaml:"description"`
			Value       string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []step `yaml:"steps"`
		} `yaml:"runs"`
	}
	readYAML(t, "action.yml", &a)
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Errorf("action.yml: name %q, description %q, runs.using %q: want a named composite action", a.Name, a.Description, a.Runs.Using)
	}
	for _, in := range []string{"path", "fail-on", "version"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("action.yml: no input %q", in)
		}
	}
	if d := a.Inputs["fail-on"].Default; d != "" && !slices.Contains([]string{"low", "medium", "high", "critical"}, d) {
		t.Errorf("fail-on default %q is not a severity samthreat knows", d)
	}
	// Every ${{ inputs.X }} and steps.ID.outputs.Y refers to something declared.
	ids := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = true
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q: composite run steps need a shell", s.Name)
		}
	}
	data, _ := os.ReadFile("action.yml")
	for _, m := range regexp.MustCompile(`inputs\.([a-z0-9-]+)`).FindAllStringSubmatch(string(data), -1) {
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("action.yml uses inputs.%s, which it does not declare", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`steps\.([a-z0-9-]+)\.outputs\.([a-z0-9-]+)`).FindAllStringSubmatch(string(data), -1) {
		if !ids[m[1]] {
			t.Errorf("action.yml reads steps.%s, a step it does not have", m[1])
		}
	}
	// The run step calls the script CI exercises, and the SARIF goes to code scanning.
	var script string
	var uploads bool
	for _, s := range a.Runs.Steps {
		if m := regexp.MustCompile(`\$GITHUB_ACTION_PATH/(scripts/[a-z0-9-]+\.sh)`).FindStringSubmatch(s.Run); m != nil {
			script = m[1]
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") && s.With["sarif_file"] != "" {
			uploads = true
		}
	}
	if script == "" {
		t.Fatal("action.yml: no step runs a scripts/*.sh from the action's path")
	}
	if st, err := os.Stat(script); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf("%s: missing or not executable (%v)", script, err)
	}
	body, _ := os.ReadFile(script)
	if !strings.Contains(string(body), "--format sarif") {
		t.Errorf("%s does not run samthreat analyze --format sarif", script)
	}
	for _, env := range []string{"SAMTHREAT_PATH", "SAMTHREAT_FAIL_ON", "SAMTHREAT_VERSION"} {
		if !strings.Contains(string(body), env) || !strings.Contains(string(data), env) {
			t.Errorf("%s is not passed from action.yml to %s", env, script)
		}
	}
	if !uploads {
		t.Error("action.yml does not upload the SARIF log with github/codeql-action/upload-sarif")
	}
	for name, o := range a.Outputs {
		if o.Value == "" {
			t.Errorf("output %s has no value", name)
		}
	}
}

func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID                      string   `yaml:"id"`
		Name                    string   `yaml:"name"`
		Description             string   `yaml:"description"`
		Entry                   string   `yaml:"entry"`
		Args                    []string `yaml:"args"`
		Language                string   `yaml:"language"`
		Files                   string   `yaml:"files"`
		PassFilenames           *bool    `yaml:"pass_filenames"`
		RequireSerial           bool     `yaml:"require_serial"`
		MinimumPreCommitVersion string   `yaml:"minimum_pre_commit_version"`
	}
	readYAML(t, ".pre-commit-hooks.yaml", &hooks)
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	seen := map[string]bool{}
	for _, h := range hooks {
		if h.ID == "" || h.Name == "" || h.Entry == "" || h.Language == "" || seen[h.ID] {
			t.Errorf("hook %+v: id (unique), name, entry and language are required", h)
		}
		seen[h.ID] = true
		if !slices.Contains([]string{"golang", "system"}, h.Language) {
			t.Errorf("hook %s: language %q", h.ID, h.Language)
		}
		if !strings.HasPrefix(h.Entry, "samthreat analyze") {
			t.Errorf("hook %s: entry %q does not run samthreat analyze", h.ID, h.Entry)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		for _, p := range []string{"template.yaml", "infra/template.yml", "template-prod.yaml", "a/b/stack.template", "template.json"} {
			if !re.MatchString(p) {
				t.Errorf("hook %s: files does not match %s", h.ID, p)
			}
		}
		for _, p := range []string{"src/app.js", "package.json", "samconfig.toml", "docs/templates.md", "templates/readme.txt"} {
			if re.MatchString(p) {
				t.Errorf("hook %s: files matches %s, which is no template", h.ID, p)
			}
		}
	}
	if !seen["samthreat"] {
		t.Error(`no hook with id "samthreat"`)
	}
}

func TestGoReleaserConfig(t *testing.T) {
	var g struct {
		Version int `yaml:"version"`
		Builds  []struct {
			ID      string   `yaml:"id"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Ldflags []string `yaml:"ldflags"`
			Targets []string `yaml:"targets"`
		} `yaml:"builds"`
	}
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if g.Version != 2 {
		t.Errorf("version %d, want 2 (GoReleaser v2 configuration)", g.Version)
	}
	var targets []string
	for _, b := range g.Builds {
		targets = append(targets, b.Targets...)
		if !slices.Contains(b.Env, "CGO_ENABLED=1") {
			t.Errorf("build %s: without CGO_ENABLED=1 the released binary could not read function code", b.ID)
		}
		flags := strings.Join(b.Ldflags, " ")
		for _, v := range []string{"internal/cli.Version=", "internal/cli.Commit="} {
			if !strings.Contains(flags, v) {
				t.Errorf("build %s: ldflags do not set %s", b.ID, v)
			}
		}
	}
	for _, want := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"} {
		if !slices.Contains(targets, want) {
			t.Errorf("no build for %s", want)
		}
	}
	for _, want := range []string{"checksum:", "sboms:", "archives:"} {
		if !strings.Contains(string(data), "\n"+want) {
			t.Errorf(".goreleaser.yaml has no %s section", strings.TrimSuffix(want, ":"))
		}
	}
}
