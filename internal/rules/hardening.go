package rules

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules/checks"
	"github.com/samthreat/samthreat/internal/sam"
)

// Hardening controls are baseline hygiene (tracing, retention, code signing,
// concurrency caps, alarms, customer keys...): true of almost every
// resource of almost every application, so they are a per-application
// checklist (control x resources, with coverage), not findings. A control is
// raised to a threat by --raise RULEID or by the template:
//
//	Metadata:
//	  samthreat:
//	    raise: [SLS-FN-005]

// raisedControls is the set of rule ids (upper case) raised to threats by the
// options and by the template's own Metadata.
func raisedControls(t *sam.Template, opts []string) map[string]bool {
	out := map[string]bool{}
	for _, id := range opts {
		if id = strings.ToUpper(strings.TrimSpace(id)); id != "" {
			out[id] = true
		}
	}
	if t != nil {
		list := sam.Get(t.Root, "Metadata", "samthreat", "raise")
		if list != nil && list.Kind == yaml.SequenceNode {
			for _, n := range list.Content {
				if n.Kind == yaml.ScalarNode && n.Value != "" {
					out[strings.ToUpper(n.Value)] = true
				}
			}
		}
	}
	return out
}

// toControl turns a hardening rule's hits into one checklist row; nil when
// the control applies to nothing in the template.
func toControl(r *Rule, hits []checks.Hit, m *model.Model) *model.HardeningControl {
	c := &model.HardeningControl{
		RuleID: r.ID, Title: r.Title, OWASP: r.OWASP, Severity: r.Severity,
		Covered: []string{}, Missing: []model.HardeningGap{},
		Remedy: strings.TrimSpace(r.Remediation),
	}
	missing := map[string]bool{}
	for _, f := range toFindings(r, hits, m) { // same fingerprints and masking as findings
		g := model.HardeningGap{Resource: f.Resource, Message: f.Message, Fingerprint: f.Fingerprint}
		if len(f.Evidence) > 0 {
			g.Evidence = f.Evidence[0]
		}
		c.Missing = append(c.Missing, g)
		missing[f.Resource] = true
	}
	if len(r.AppliesTo) > 0 {
		types := map[string]bool{}
		for _, t := range r.AppliesTo {
			types[t] = true
		}
		seen := map[string]bool{}
		add := func(id, typ string) {
			if types[typ] && !missing[id] && !seen[id] {
				seen[id] = true
				c.Covered = append(c.Covered, id)
			}
		}
		for _, f := range m.Functions {
			add(f.ID, f.Type)
		}
		for _, res := range m.Resources {
			if !res.External {
				add(res.ID, res.Type)
			}
		}
		sort.Strings(c.Covered)
	}
	if len(c.Missing) == 0 && len(c.Covered) == 0 {
		return nil
	}
	return c
}

// suppressGaps marks the gaps the template owner has accepted, as for
// findings.
func suppressGaps(by map[string][]model.Suppression, cs []*model.HardeningControl) {
	for _, c := range cs {
		for i := range c.Missing {
			g := &c.Missing[i]
			for _, s := range by[g.Resource] {
				if strings.EqualFold(s.ID, c.RuleID) {
					g.Suppressed, g.SuppressReason = true, s.Reason
					if g.SuppressReason == "" {
						g.SuppressReason = "(no reason given)"
					}
					break
				}
			}
		}
	}
}

// rankControls orders the checklist: controls with gaps first, by the
// severity they would have as threats, then by rule id.
func rankControls(cs []*model.HardeningControl) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if (len(a.Missing) > 0) != (len(b.Missing) > 0) {
			return len(a.Missing) > 0
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		return a.RuleID < b.RuleID
	})
}

// OpenGaps counts a control's gaps that are not suppressed.
func OpenGaps(c *model.HardeningControl) int {
	n := 0
	for _, g := range c.Missing {
		if !g.Suppressed {
			n++
		}
	}
	return n
}
