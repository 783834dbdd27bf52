// Package rules evaluates the rule catalog over a model and produces findings
// mapped to the OWASP Serverless Top Ten: ranked by severity then blast
// radius, fingerprinted so triage survives edits, suppressible from the
// template, with secret values masked.
package rules

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/redact"
	"github.com/samthreat/samthreat/internal/rules/checks"
	"github.com/samthreat/samthreat/internal/rules/osv"
	"github.com/samthreat/samthreat/internal/sam"
)

// Options tune rule evaluation.
type Options struct {
	RulesDir string // extra user rules (catalog entries) from a folder

	// OSVDir is an offline OSV export folder (JSON records) for the
	// known-vulnerable dependency rule (SLS-DEP-003).
	OSVDir string
	// OSVOnline turns on lookups against the OSV API (network). Off by default.
	OSVOnline bool
	// OSVURL overrides the OSV API base (tests point it at a local server).
	OSVURL string
	// HTTPClient is used for online lookups (nil: a client with a timeout).
	HTTPClient *http.Client

	// Now is the date runtime deprecation is judged against (zero: today).
	Now time.Time

	// Raise lists hardening controls (rule ids) to report as threats for
	// this run, as findings with their catalog severity. A template can do
	// the same for itself: Metadata: {samthreat: {raise: [SLS-FN-005]}}.
	Raise []string

	// Template is the parsed template the model was built from, for checks
	// that read a property the model does not lift (nil: none).
	Template *sam.Template
}

// Evaluate fills m.Findings (ranked) and the finding counts in m.Summary.
func Evaluate(ctx context.Context, m *model.Model, opts Options) error {
	if m == nil {
		return nil
	}
	cat, err := Catalog()
	if err != nil {
		return err
	}
	user, err := LoadUserRules(opts.RulesDir)
	if err != nil {
		return err
	}
	vulns, err := vulnSource(ctx, opts)
	if err != nil {
		return err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	raised := raisedControls(opts.Template, opts.Raise)
	var findings []*model.Finding
	var secrets []string
	var controls []*model.HardeningControl
	secretEnv := map[string]bool{} // function|variable whose value is a secret
	shared := checks.NewShared()
	for _, r := range append(append([]*Rule{}, cat...), user...) {
		if err := ctx.Err(); err != nil {
			return err
		}
		hits, err := runRule(ctx, r, m, opts.Template, now, vulns, shared)
		if err != nil {
			return fmt.Errorf("%s: %w", r.ID, err)
		}
		if r.IsHardening() && !raised[strings.ToUpper(r.ID)] {
			if c := toControl(r, hits, m); c != nil {
				controls = append(controls, c)
			}
			for _, h := range hits {
				secrets = append(secrets, h.Secrets...)
			}
			continue
		}
		findings = append(findings, toFindings(r, hits, m)...)
		for _, h := range hits {
			secrets = append(secrets, h.Secrets...)
			if h.MaskEnv {
				secretEnv[h.Resource+"|"+h.Key] = true
			}
		}
	}
	findings = foldImplied(append(append([]*Rule{}, cat...), user...), findings)
	maskModel(m, secretEnv)
	m.Secrets = append(m.Secrets[:0:0], secrets...)
	supp := suppressions(m, opts.Template)
	suppress(supp, findings)
	suppressGaps(supp, controls)
	rank(m, findings)
	rankControls(controls)
	m.Findings = findings
	m.Hardening = controls
	// Mask at the source: from here on no string of the model holds a
	// secret value, whichever renderer or API response quotes it.
	redact.New(m).Model(m)
	m.CountFindings()
	m.Summary.HardeningControls, m.Summary.HardeningGaps = len(controls), 0
	for _, c := range controls {
		for _, g := range c.Missing {
			if !g.Suppressed {
				m.Summary.HardeningGaps++
			}
		}
	}
	return nil
}

func vulnSource(_ context.Context, opts Options) (osv.Source, error) {
	var srcs []osv.Source
	if opts.OSVDir != "" {
		d, err := osv.LoadDir(opts.OSVDir)
		if err != nil {
			return nil, fmt.Errorf("--osv-dir: %w", err)
		}
		srcs = append(srcs, d)
	}
	if opts.OSVOnline {
		srcs = append(srcs, &osv.Online{Base: opts.OSVURL, Client: opts.HTTPClient})
	}
	if len(srcs) == 0 {
		return nil, nil
	}
	return multiSource(srcs), nil
}

type multiSource []osv.Source

func (ms multiSource) Lookup(ctx context.Context, eco, name, version string) ([]osv.Match, error) {
	seen := map[string]bool{}
	var out []osv.Match
	for _, s := range ms {
		got, err := s.Lookup(ctx, eco, name, version)
		if err != nil {
			return nil, err
		}
		for _, g := range got {
			if !seen[g.ID] {
				seen[g.ID] = true
				out = append(out, g)
			}
		}
	}
	return out, nil
}

// runRule runs one rule's check; a panic in a check becomes an error naming
// the rule instead of taking the whole analysis down.
func runRule(ctx context.Context, r *Rule, m *model.Model, t *sam.Template, now time.Time, vulns osv.Source, shared *checks.Shared) (hits []checks.Hit, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("check panicked: %v\n%s", p, debug.Stack())
		}
	}()
	if r.Check == propertyCheck {
		a, err := parseProperty(r.Params)
		if err != nil {
			return nil, err
		}
		return a.run(m, t), nil
	}
	fn, ok := checks.Lookup(r.CheckID())
	if !ok {
		return nil, fmt.Errorf("no check registered for %s", r.CheckID())
	}
	c := &checks.Context{Ctx: ctx, Model: m, Template: t, Params: r.Params, Now: now, Shared: shared}
	if vulns != nil {
		c.Vulns = func(d checks.Dependency) ([]checks.Advisory, error) {
			ms, err := vulns.Lookup(ctx, d.Ecosystem, d.Name, d.Version)
			var out []checks.Advisory
			for _, x := range ms {
				out = append(out, checks.Advisory{ID: x.ID, Summary: x.Summary, Fixed: x.Fixed})
			}
			return out, err
		}
	}
	return fn(c)
}

var keyClean = regexp.MustCompile(`[^A-Za-z0-9_.:/*{}+@ -]+`)

// Fingerprint is a finding's stable id: <RuleID>@<LogicalID>[#<key>]. It uses
// no line numbers, so it survives unrelated edits to the template.
func Fingerprint(ruleID, resource, key string) string {
	fp := ruleID + "@" + resource
	if key = strings.TrimSpace(keyClean.ReplaceAllString(key, "_")); key != "" {
		fp += "#" + key
	}
	return fp
}

func toFindings(r *Rule, hits []checks.Hit, m *model.Model) []*model.Finding {
	out := make([]*model.Finding, 0, len(hits))
	seen := map[string]int{}
	for _, h := range hits {
		fp := Fingerprint(r.ID, h.Resource, h.Key)
		if n := seen[fp]; n > 0 {
			seen[fp]++
			fp = fmt.Sprintf("%s#%d", fp, n+1)
		} else {
			seen[fp] = 1
		}
		ev := make([]model.Location, 0, len(h.Evidence))
		for _, e := range h.Evidence {
			e.Snippet = maskAll(e.Snippet, h.Secrets)
			e.Sensitive = e.Sensitive || len(h.Secrets) > 0 || (r.Sensitive && redact.InTemplate(m, e.File))
			ev = append(ev, e)
		}
		sev := r.Severity
		if h.Severity.Valid() {
			sev = h.Severity
		}
		out = append(out, &model.Finding{
			RuleID: r.ID, Title: r.Title, OWASP: r.OWASP, STRIDE: append([]string{}, r.STRIDE...),
			Severity: sev, Resource: h.Resource, Message: maskAll(h.Message, h.Secrets),
			Evidence: ev, Remediation: strings.TrimSpace(r.Remediation), Fingerprint: fp,
		})
	}
	return out
}

// foldImplied drops a finding whose risk another finding on the same
// resource already reports (catalog implied_by), adding its evidence there.
func foldImplied(rs []*Rule, fs []*model.Finding) []*model.Finding {
	implied := map[string][]string{}
	for _, r := range rs {
		implied[r.ID] = r.ImpliedBy
	}
	by := map[string]*model.Finding{}
	for _, f := range fs {
		if _, ok := by[f.RuleID+"|"+f.Resource]; !ok {
			by[f.RuleID+"|"+f.Resource] = f
		}
	}
	out := fs[:0]
	for _, f := range fs {
		var into *model.Finding
		for _, id := range implied[f.RuleID] {
			if g := by[id+"|"+f.Resource]; g != nil && g != f {
				into = g
				break
			}
		}
		if into == nil {
			out = append(out, f)
			continue
		}
		seen := map[string]bool{}
		for _, e := range into.Evidence {
			seen[fmt.Sprintf("%s:%d", e.File, e.Line)] = true
		}
		for _, e := range f.Evidence {
			if k := fmt.Sprintf("%s:%d", e.File, e.Line); !seen[k] {
				seen[k] = true
				into.Evidence = append(into.Evidence, e)
			}
		}
		if !strings.Contains(into.Message, "; it also implies:") {
			into.Message += "; it also implies:"
		} else {
			into.Message += ","
		}
		into.Message += " " + strings.ToLower(f.Title[:1]) + f.Title[1:] + " (" + f.RuleID + ")"
	}
	return out
}

// maskAll replaces any secret value left in s.
func maskAll(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 4 && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, checks.Mask(v))
		}
	}
	return s
}

// maskModel hides, in the model itself, the secret values the rules found:
// rules run last, so from here on every renderer (JSON, reports, workbench)
// sees only the masked form.
// secret holds function|variable for the variables whose value the checks
// said is a secret (Hit.MaskEnv).
func maskModel(m *model.Model, secret map[string]bool) {
	for _, fn := range m.Functions {
		for i := range fn.Environment {
			e := &fn.Environment[i]
			if !e.Masked && secret[fn.ID+"|"+e.Name] && e.Value != "" {
				e.Value, e.Masked = checks.Mask(e.Value), true
			}
		}
	}
}

// suppressions gathers what the template owner has accepted, by resource:
// Metadata: {samthreat: {suppress: [{id: RULE, reason: "..."}]}} on the
// resource at fault.
func suppressions(m *model.Model, t *sam.Template) map[string][]model.Suppression {
	by := map[string][]model.Suppression{}
	for _, f := range m.Functions {
		by[f.ID] = append(by[f.ID], f.Suppressions...)
	}
	for _, r := range m.Resources {
		by[r.ID] = append(by[r.ID], r.Suppressions...)
	}
	if t != nil { // read Metadata directly when the model builder did not
		for _, r := range t.Resources {
			if len(by[r.ID]) > 0 {
				continue
			}
			for _, s := range sam.Suppressions(r.Metadata) {
				by[r.ID] = append(by[r.ID], model.Suppression{ID: s.ID, Reason: s.Reason, Source: model.Source{File: t.File, Line: s.Node.Line}})
			}
		}
	}
	return by
}

// suppress marks the findings the template owner has accepted.
func suppress(by map[string][]model.Suppression, fs []*model.Finding) {
	for _, f := range fs {
		for _, s := range by[f.Resource] {
			if strings.EqualFold(s.ID, f.RuleID) {
				f.Suppressed = true
				f.SuppressReason = s.Reason
				if f.SuppressReason == "" {
					f.SuppressReason = "(no reason given)"
				}
				break
			}
		}
	}
}

// rank orders findings: severity, then the blast radius of the function
// concerned (nil Blast counts as 0), then rule id and fingerprint for a stable order.
func rank(m *model.Model, fs []*model.Finding) {
	blast := map[string]int64{}
	for _, f := range m.Functions {
		if f.Blast != nil {
			blast[f.ID] = f.BlastRadius
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if blast[a.Resource] != blast[b.Resource] {
			return blast[a.Resource] > blast[b.Resource]
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Fingerprint < b.Fingerprint
	})
}
