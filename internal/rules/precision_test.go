package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/testshared"
)

// The labelled precision set (testdata/precision): findings judged right or
// wrong by hand on shared-corpus applications, and risks that must be found.

type precisionSet struct {
	Findings []precisionLabel `yaml:"findings"`
	Risks    []precisionLabel `yaml:"risks"`
}

type precisionLabel struct {
	Template string    `yaml:"template"`
	Rule     string    `yaml:"rule"`
	Resource stringSet `yaml:"resource"`
	Key      string    `yaml:"key"`
	Label    string    `yaml:"label"` // tp | fp (findings only)
	WrongIf  string    `yaml:"wrong_if"`
	Reason   string    `yaml:"reason"`
	Open     bool      `yaml:"open"`
}

// stringSet reads one string or a list.
type stringSet []string

func (s *stringSet) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

func (l precisionLabel) String() string {
	k := ""
	if l.Key != "" {
		k = "#" + l.Key
	}
	return fmt.Sprintf("%s %s@%s%s", l.Template, l.Rule, strings.Join(l.Resource, "|"), k)
}

// reported is a finding or a hardening gap, as the set matches them.
type reported struct {
	rule, resource, fingerprint, message string
}

func reportedOf(m *model.Model) []reported {
	var out []reported
	for _, f := range m.Findings {
		if !f.Suppressed {
			out = append(out, reported{f.RuleID, f.Resource, f.Fingerprint, f.Message})
		}
	}
	for _, h := range m.Hardening {
		for _, g := range h.Missing {
			if !g.Suppressed {
				out = append(out, reported{h.RuleID, g.Resource, g.Fingerprint, g.Message})
			}
		}
	}
	return out
}

// match returns the reports the label designates.
func (l precisionLabel) match(rs []reported) []reported {
	var out []reported
	for _, r := range rs {
		if r.rule != l.Rule || (l.Key != "" && !strings.Contains(r.fingerprint, l.Key)) {
			continue
		}
		for _, id := range l.Resource {
			if r.resource == id {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// right reports whether the designated reports say the right thing.
func (l precisionLabel) right(rs []reported) bool {
	for _, r := range rs {
		if l.WrongIf != "" && strings.Contains(r.message, l.WrongIf) {
			return false
		}
	}
	return len(rs) > 0
}

func loadPrecisionSet(t *testing.T) precisionSet {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "precision", "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var set precisionSet
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		t.Fatalf("labels.yaml: %v", err)
	}
	return set
}

// TestPrecisionSet prints precision and recall on the labelled set and fails
// when a labelled false positive comes back or a labelled risk is missed
// (entries marked open are counted but not enforced).
func TestPrecisionSet(t *testing.T) {
	set := loadPrecisionSet(t)
	models := map[string][]reported{}
	get := func(tpl string) []reported {
		if rs, ok := models[tpl]; ok {
			return rs
		}
		path := filepath.Join("testdata", "precision", filepath.FromSlash(tpl))
		if !strings.HasPrefix(tpl, "fixtures/") {
			path = testshared.Path(t, "corpus", "serverless-patterns", filepath.FromSlash(tpl))
		}
		rs := reportedOf(analyze(t, path, rules.Options{}))
		models[tpl] = rs
		return rs
	}
	apps := map[string]bool{}
	var tp, fp, labelledFP, labelledTP, tpMissing int
	for _, l := range set.Findings {
		if l.Rule == "" || len(l.Resource) == 0 || l.Reason == "" || (l.Label != "tp" && l.Label != "fp") {
			t.Fatalf("incomplete label: %+v", l)
		}
		apps[strings.SplitN(l.Template, "/", 2)[0]] = true
		got := l.match(get(l.Template))
		fail := ""
		switch l.Label {
		case "tp":
			labelledTP++
			switch {
			case len(got) == 0:
				tpMissing++
				fail = "labelled true positive no longer reported"
			case !l.right(got):
				fp++
				fail = fmt.Sprintf("reported with a wrong message (%q): %s", l.WrongIf, got[0].message)
			default:
				tp++
			}
		case "fp":
			labelledFP++
			if len(got) > 0 {
				fp++
				fail = "labelled false positive reported again: " + got[0].message
			}
		}
		report(t, l, fail)
	}
	found := 0
	for _, l := range set.Risks {
		got := l.match(get(l.Template))
		fail := ""
		if !l.right(got) {
			fail = "known risk missed"
			if len(got) > 0 {
				fail = "known risk reported with a wrong message: " + got[0].message
			}
		} else {
			found++
		}
		report(t, l, fail)
	}
	if len(set.Findings) < 60 || len(apps) < 25 || len(set.Risks) < 15 {
		t.Errorf("the set must have at least 60 findings over 25 applications and 15 risks: %d findings, %d applications, %d risks", len(set.Findings), len(apps), len(set.Risks))
	}
	precision := 100 * float64(tp) / float64(max(tp+fp, 1))
	recall := 100 * float64(found) / float64(max(len(set.Risks), 1))
	mustFind := len(set.Risks) + labelledTP
	t.Logf("labelled set: %d findings (%d tp, %d fp labels) over %d applications, %d risks", len(set.Findings), labelledTP, labelledFP, len(apps), len(set.Risks))
	t.Logf("precision %.1f%% (%d right of %d labelled findings reported)", precision, tp, tp+fp)
	t.Logf("recall %.1f%% (%d of %d known risks found); with the labelled true positives %.1f%% (%d of %d)",
		recall, found, len(set.Risks), 100*float64(found+tp)/float64(max(mustFind, 1)), found+tp, mustFind)
}

func report(t *testing.T, l precisionLabel, fail string) {
	t.Helper()
	switch {
	case fail != "" && !l.Open:
		t.Errorf("%s: %s (%s)", l, fail, l.Reason)
	case fail != "":
		t.Logf("open: %s: %s", l, fail)
	case l.Open:
		t.Logf("fixed, remove open: %s", l)
	}
}
