package rules_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/testshared"
)

// The blind recall set (testdata/recall/risks.yaml) lists the risks a
// reviewer raised on shared-corpus applications before looking at
// samthreat's output; testdata/recall/findings.yaml is the reviewer's verdict
// on the threat findings samthreat shows on those applications that match
// no listed risk. TestRecall measures both and fails below the floors.
//
//	go test ./internal/rules -run TestRecall -v

// Floors: the levels reached, so that a change that loses recall or signal
// fails. Raise them when a change gains. (0.50 -> 0.43, 28/64 instead of 33/64: two applications of
// the set, cognito-sns-sms-origination-id-sam and sam-webapp-cognito, repeat
// a key with different values; samthreat now refuses them as cfn-lint does,
// and their 5 labelled risks count as missed.)
// (issue 16, recall helper: 43/56 -> 56/56 readable, 43/64 -> 56/64 with
// the refused templates' risks counted as missed, signal 80 % -> 92 %.)
const (
	recallFloor      = 0.95
	refusedFloor     = 0.85 // the same, counting the refused templates' risks as missed
	categoryFloor    = 0.90
	signalFloor      = 0.85
	maxDuplicateHits = 0 // one risk, one finding per resource: a repeat fails
)

type recallRisk struct {
	App      string    `yaml:"app"`
	Template string    `yaml:"template"`
	Resource yaml.Node `yaml:"resource"`
	Category string    `yaml:"category"`
	Family   string    `yaml:"family"`
	Severity string    `yaml:"severity"`
	Risk     string    `yaml:"risk"`
	Evidence string    `yaml:"evidence"`

	resources []string
}

type recallVerdict struct {
	App         string `yaml:"app"`
	Template    string `yaml:"template"`
	Fingerprint string `yaml:"fingerprint"`
	Verdict     string `yaml:"verdict"` // risk | hygiene | wrong | repeat (a listed risk again, under another rule)
	Why         string `yaml:"why"`
}

// loadRecallSet reads dir/risks.yaml and, when present, dir/findings.yaml.
func loadRecallSet(t *testing.T, dir string) ([]*recallRisk, map[string]recallVerdict) {
	t.Helper()
	var set struct {
		Risks []*recallRisk `yaml:"risks"`
	}
	data, err := os.ReadFile(filepath.Join("testdata", dir, "risks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		t.Fatalf("risks.yaml: %v", err)
	}
	for i, r := range set.Risks {
		if r.Template == "" {
			r.Template = "template.yaml"
		}
		switch r.Resource.Kind {
		case yaml.ScalarNode:
			r.resources = []string{r.Resource.Value}
		case yaml.SequenceNode:
			for _, n := range r.Resource.Content {
				r.resources = append(r.resources, n.Value)
			}
		}
		if r.App == "" || len(r.resources) == 0 || !strings.HasPrefix(r.Category, "S") || r.Risk == "" || !strings.Contains(r.Evidence, ":") {
			t.Fatalf("risks.yaml: risk %d (%s) is incomplete", i+1, r.App)
		}
		if !families[r.Family] {
			t.Fatalf("risks.yaml: risk %d (%s): family %q is not one of the families", i+1, r.App, r.Family)
		}
		if _, ok := map[string]bool{"critical": true, "high": true, "medium": true, "low": true}[r.Severity]; !ok {
			t.Fatalf("risks.yaml: risk %d (%s): severity %q", i+1, r.App, r.Severity)
		}
	}
	verdicts := map[string]recallVerdict{}
	if data, err := os.ReadFile(filepath.Join("testdata", dir, "findings.yaml")); err == nil {
		var vs struct {
			Findings []recallVerdict `yaml:"findings"`
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&vs); err != nil {
			t.Fatalf("findings.yaml: %v", err)
		}
		for _, v := range vs.Findings {
			if v.Template == "" {
				v.Template = "template.yaml"
			}
			if v.Verdict != "risk" && v.Verdict != "hygiene" && v.Verdict != "wrong" && v.Verdict != "repeat" {
				t.Fatalf("findings.yaml: %s: verdict %q is not risk|hygiene|wrong|repeat", v.Fingerprint, v.Verdict)
			}
			verdicts[v.App+"/"+v.Template+"|"+v.Fingerprint] = v
		}
	}
	return set.Risks, verdicts
}

// analyseCorpusApp runs the whole pipeline on one corpus template.
func analyseCorpusApp(t *testing.T, app, tpl string) *model.Model {
	t.Helper()
	p := testshared.Path(t, "corpus", "serverless-patterns", app, tpl)
	st, err := sam.Load(p)
	if err != nil {
		t.Logf("%s/%s: not readable: %v", app, tpl, err)
		return nil
	}
	m, err := adapt.Build(st)
	if err != nil {
		t.Logf("%s/%s: not modelled: %v", app, tpl, err)
		return nil
	}
	ctx := context.Background()
	if err := blast.Compute(ctx, m, blast.Options{Template: st}); err != nil {
		t.Fatalf("%s/%s: blast: %v", app, tpl, err)
	}
	if err := rules.Evaluate(ctx, m, rules.Options{Now: testNow, Template: st}); err != nil {
		t.Fatalf("%s/%s: rules: %v", app, tpl, err)
	}
	return m
}

// ruleFamily says what kind of risk each rule reports, so that a finding
// answers a risk of its kind only (a "no customer key" finding on a function
// does not answer "the function logs tokens", though both are S3 on it).
var ruleFamily = map[string]string{
	"SLS-API-001": "auth", "SLS-URL-001": "auth",
	"SLS-API-002": "cors", "SLS-API-003": "cors", "SLS-URL-002": "cors",
	"SLS-API-004": "injection", "SLS-INJ-001": "injection", "SLS-DEP-001": "injection", "SLS-DEP-002": "injection",
	"SLS-API-005": "availability", "SLS-API-006": "availability", "SLS-DDB-001": "availability", "SLS-FN-001": "availability",
	"SLS-S3-003": "availability", "SLS-SQS-001": "availability", "SLS-NET-002": "availability",
	"SLS-API-007": "monitoring", "SLS-API-008": "monitoring", "SLS-API-009": "monitoring", "SLS-FN-006": "monitoring",
	"SLS-FN-007": "monitoring", "SLS-LOG-001": "monitoring", "SLS-MON-001": "monitoring", "SLS-S3-004": "monitoring",
	"SLS-SFN-001": "monitoring", "SLS-SFN-002": "monitoring",
	"SLS-API-010": "crypto", "SLS-API-011": "crypto", "SLS-ENC-001": "crypto", "SLS-ENC-002": "crypto", "SLS-ENC-003": "crypto",
	"SLS-ENC-004": "crypto", "SLS-ENC-005": "crypto", "SLS-ENC-006": "crypto", "SLS-ENC-007": "crypto", "SLS-FN-002": "crypto",
	"SLS-NET-001": "crypto",
	"SLS-DEP-003": "component", "SLS-FN-003": "component", "SLS-FN-004": "component", "SLS-FN-005": "component",
	"SLS-IAM-001": "iam", "SLS-IAM-002": "iam", "SLS-IAM-003": "iam", "SLS-IAM-004": "iam", "SLS-IAM-005": "iam",
	"SLS-IAM-006": "iam", "SLS-IAM-007": "iam", "SLS-IAM-008": "iam", "SLS-IAM-009": "iam", "SLS-IAM-010": "iam",
	"SLS-IAM-011": "resource-policy", "SLS-PERM-001": "resource-policy", "SLS-PERM-002": "resource-policy",
	"SLS-RES-001": "resource-policy", "SLS-EB-001": "resource-policy", "SLS-S3-001": "resource-policy", "SLS-S3-002": "resource-policy",
	"SLS-SEC-001": "secret", "SLS-SEC-002": "secret", "SLS-SEC-003": "secret",
	"SLS-LOG-002": "logging-sensitive", "SLS-INJ-002": "injection", "SLS-INJ-003": "injection",
	"SLS-FN-008": "availability", "SLS-MQ-001": "network", "SLS-SEC-004": "secret", "SLS-SEC-005": "secret",
	"SLS-IDP-001": "identity", "SLS-IDP-002": "identity", "SLS-IDP-003": "identity",
	"SLS-API-012": "auth", "SLS-GQL-001": "auth", "SLS-GQL-002": "monitoring", "SLS-RES-002": "resource-policy",
	"SLS-NET-003": "network", "SLS-MQ-002": "component", "SLS-ENC-008": "crypto",
	"SLS-MDB-001": "network", "SLS-CT-001": "monitoring", "SLS-SES-001": "injection", "SLS-API-013": "injection",
	"SLS-TRF-001": "crypto", "SLS-LOG-003": "logging-sensitive", "SLS-ERR-001": "error-disclosure", "SLS-SEC-006": "secret", "SLS-API-014": "auth",
}

var families = map[string]bool{
	"auth": true, "identity": true, "iam": true, "resource-policy": true, "secret": true, "logging-sensitive": true,
	"error-disclosure": true, "injection": true, "network": true, "crypto": true, "component": true, "cors": true,
	"monitoring": true, "availability": true,
}

// TestRuleFamilies: every rule of the catalog has a family for the recall
// matching, and only catalog rules do.
func TestRuleFamilies(t *testing.T) {
	cat, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range cat {
		ids[r.ID] = true
		if !families[ruleFamily[r.ID]] {
			t.Errorf("%s: no recall family in ruleFamily (recall_test.go)", r.ID)
		}
	}
	for id := range ruleFamily {
		if !ids[id] {
			t.Errorf("%s: in ruleFamily but not in the catalog", id)
		}
	}
}

// recallStats is what measureRecall found on one risks file.
type recallStats struct {
	hit, readable, total int
	cats                 map[string][2]int // category -> found, readable
	ratio                float64           // threat findings shown that answer a risk or are labelled one
	duplicates           int
}

// measureRecall runs samthreat on every application of testdata/dir/risks.yaml,
// matches findings to the labelled risks and logs recall overall, per
// category and per severity, each miss, and the findings' signal. The floors
// are the caller's.
func measureRecall(t *testing.T, dir string) recallStats {
	t.Helper()
	risks, verdicts := loadRecallSet(t, dir)
	type key struct{ app, tpl string }
	byTpl := map[key][]int{}
	var order []key
	for i, r := range risks {
		k := key{r.App, r.Template}
		if _, ok := byTpl[k]; !ok {
			order = append(order, k)
		}
		byTpl[k] = append(byTpl[k], i)
	}
	matched := make([]*model.Finding, len(risks))
	refused := map[key]bool{}
	shown, signal, wrong, hygiene, duplicates := 0, 0, 0, 0, 0
	var unlabelled []string
	for _, k := range order {
		m := analyseCorpusApp(t, k.app, k.tpl)
		if m == nil {
			refused[k] = true
			continue
		}
		var threats []*model.Finding
		for _, f := range m.Findings {
			if !f.Suppressed {
				threats = append(threats, f)
			}
		}
		idx := byTpl[k]
		// Each finding answers at most one risk and each risk takes one
		// finding: a bipartite matching (augmenting paths), so the order of
		// the list does not decide the score.
		cand := func(ri int, f *model.Finding) bool {
			r := risks[ri]
			if f.OWASP != r.Category || ruleFamily[f.RuleID] != r.Family {
				return false
			}
			for _, res := range r.resources {
				if f.Resource == res {
					return true
				}
			}
			return false
		}
		owner := map[*model.Finding]int{}
		var try func(ri int, seen map[*model.Finding]bool) bool
		try = func(ri int, seen map[*model.Finding]bool) bool {
			for _, f := range threats {
				if !cand(ri, f) || seen[f] {
					continue
				}
				seen[f] = true
				if o, taken := owner[f]; !taken || try(o, seen) {
					owner[f] = ri
					matched[ri] = f
					return true
				}
			}
			return false
		}
		for _, ri := range idx {
			try(ri, map[*model.Finding]bool{})
		}
		for _, f := range threats {
			shown++
			if _, ok := owner[f]; ok {
				signal++
				continue
			}
			// A finding that could answer an already answered risk repeats it.
			repeat := false
			for _, ri := range idx {
				if cand(ri, f) {
					repeat = true
				}
			}
			if repeat {
				duplicates++
				t.Logf("repeat: %s/%s %s (%s)", k.app, k.tpl, f.Fingerprint, f.Message)
				continue
			}
			v, ok := verdicts[k.app+"/"+k.tpl+"|"+f.Fingerprint]
			switch {
			case !ok:
				unlabelled = append(unlabelled, fmt.Sprintf("%s/%s %s %s %s: %s", k.app, k.tpl, f.Fingerprint, f.OWASP, f.Severity, f.Message))
			case v.Verdict == "risk":
				signal++
			case v.Verdict == "wrong":
				wrong++
			case v.Verdict == "repeat":
				duplicates++
			default:
				hygiene++
			}
		}
	}
	// Templates samthreat refuses on purpose (CloudFormation would too: a key
	// repeated with another value) are reported apart: their risks count as
	// missed in the overall figure, and the floors judge the readable ones.
	cats := map[string][2]int{}
	sevs := map[string][2]int{}
	hit, readable := 0, 0
	for i, r := range risks {
		if refused[key{r.App, r.Template}] {
			t.Logf("refused template: %s %s %v: %s", r.App, r.Category, r.resources, r.Risk)
			continue
		}
		readable++
		c, s := cats[r.Category], sevs[r.Severity]
		c[1]++
		s[1]++
		if matched[i] != nil {
			hit++
			c[0]++
			s[0]++
		} else {
			t.Logf("missed: %s %s %v %s: %s", r.App, r.Category, r.resources, r.Severity, r.Risk)
		}
		cats[r.Category], sevs[r.Severity] = c, s
	}
	recall := float64(hit) / float64(readable)
	t.Logf("recall %d/%d (%.0f%%) over the %d readable templates; %d/%d (%.0f%%) counting the %d risks of %d refused templates as missed",
		hit, readable, 100*recall, len(order)-len(refused), hit, len(risks), 100*float64(hit)/float64(len(risks)), len(risks)-readable, len(refused))
	var names []string
	for c := range cats {
		names = append(names, c)
	}
	sort.Slice(names, func(i, j int) bool { return catNum(names[i]) < catNum(names[j]) })
	for _, c := range names {
		v := cats[c]
		t.Logf("  %-4s %2d/%-2d (%.0f%%)", c, v[0], v[1], 100*float64(v[0])/float64(v[1]))
	}
	for _, s := range []string{"critical", "high", "medium", "low"} {
		if v := sevs[s]; v[1] > 0 {
			t.Logf("  %-8s %2d/%-2d", s, v[0], v[1])
		}
	}
	ratio := 0.0
	if shown > 0 {
		ratio = float64(signal) / float64(shown)
	}
	t.Logf("threat findings shown %d: risks a reviewer would raise %d (%.0f%%), repeats %d, hygiene %d, wrong %d, unlabelled %d",
		shown, signal, 100*ratio, duplicates, hygiene, wrong, len(unlabelled))
	for _, u := range unlabelled {
		t.Logf("unlabelled: %s", u)
	}
	return recallStats{hit: hit, readable: readable, total: len(risks), cats: cats, ratio: ratio, duplicates: duplicates}
}

func TestRecall(t *testing.T) {
	st := measureRecall(t, "recall")
	hit, readable, cats, ratio, duplicates := st.hit, st.readable, st.cats, st.ratio, st.duplicates
	recall := float64(hit) / float64(readable)
	var names []string
	for c := range cats {
		names = append(names, c)
	}
	sort.Slice(names, func(i, j int) bool { return catNum(names[i]) < catNum(names[j]) })
	for _, c := range names {
		v := cats[c]
		if frac := float64(v[0]) / float64(v[1]); frac < categoryFloor {
			t.Errorf("recall in %s is %.0f%%, below the floor %.0f%%", c, 100*frac, 100*categoryFloor)
		}
	}
	if all := float64(hit) / float64(st.total); all < refusedFloor {
		t.Errorf("recall %.0f%% counting refused templates is below the floor %.0f%%", 100*all, 100*refusedFloor)
	}
	if recall < recallFloor {
		t.Errorf("recall %.0f%% is below the floor %.0f%%", 100*recall, 100*recallFloor)
	}
	if ratio < signalFloor {
		t.Errorf("signal %.0f%% is below the floor %.0f%%", 100*ratio, 100*signalFloor)
	}
	if duplicates > maxDuplicateHits {
		t.Errorf("%d findings repeat a risk already reported on the same resource (at most %d)", duplicates, maxDuplicateHits)
	}
}

func catNum(c string) int {
	n := 0
	fmt.Sscanf(strings.TrimPrefix(c, "S"), "%d", &n)
	return n
}

// TestHoldoutRecall measures recall on testdata/holdout/risks.yaml: risks a
// helper labelled on applications no rule was tuned on, committed before
// samthreat was run on them. It is a measurement, not a tuned floor: do not
// tune rules to it (the set would stop being held out). The floor sits
// about 20 points under the level measured when the set was added, so it
// only catches a collapse.
//
//	go test ./internal/rules -run TestHoldoutRecall -v
func TestHoldoutRecall(t *testing.T) {
	// First run (2026-11-30): 7/14 (50%) counting the one unreadable template
	// (a clerical template-path slip in the labels, left as committed) as
	// missed; 7/13 (54%) over the readable ones.
	const holdoutFloor = 0.30
	st := measureRecall(t, "holdout")
	if all := float64(st.hit) / float64(st.total); all < holdoutFloor {
		t.Errorf("held-out recall %.0f%% (refused templates' risks counted as missed) collapsed below %.0f%%", 100*all, 100*holdoutFloor)
	}
}
