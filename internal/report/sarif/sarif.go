// Package sarif writes findings as SARIF 2.1.0, so GitHub code scanning and
// other SARIF viewers show them on the template's lines. Rule metadata (help
// text, OWASP and CWE tags, security severity) comes from the rule catalog.
package sarif

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules/catalog"
)

// Options tune the log.
type Options struct {
	ToolVersion string
	// BaseDir, when set, makes absolute paths relative to it (a repository
	// root), which is what code-scanning services expect.
	BaseDir string
}

// Log is the top-level SARIF object (only the parts samthreat fills).
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one tool run.
type Run struct {
	Tool        Tool         `json:"tool"`
	Invocations []Invocation `json:"invocations,omitempty"`
	Results     []Result     `json:"results"`
}

// Invocation carries what the run could not do (toolExecutionNotifications):
// today, code a build without cgo could not read.
type Invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// Notification is a message about the run, not about the template.
type Notification struct {
	Level   string  `json:"level"`
	Message Message `json:"message"`
}

// Tool names samthreat and carries the rules.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool component.
type Driver struct {
	Name           string `json:"name"`
	InformationURI string `json:"informationUri"`
	Version        string `json:"version,omitempty"`
	Rules          []Rule `json:"rules"`
}

// Message is SARIF's text (and markdown) holder.
type Message struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// Rule is a reportingDescriptor.
type Rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     Message        `json:"shortDescription"`
	FullDescription      Message        `json:"fullDescription"`
	Help                 Message        `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

// Result is one finding.
type Result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             Message           `json:"message"`
	Locations           []Location        `json:"locations"`
	RelatedLocations    []Location        `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []Suppression     `json:"suppressions,omitempty"`
	Properties          map[string]any    `json:"properties"`
}

// Location is a physical location on a line of a file.
type Location struct {
	ID               int              `json:"id,omitempty"`
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// PhysicalLocation is a file and a region.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation is a file URI.
type ArtifactLocation struct {
	URI string `json:"uri"`
}

// Region is a line range.
type Region struct {
	StartLine int `json:"startLine"`
}

// Suppression records a template-declared suppression or a triage decision.
type Suppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

var level = map[model.Severity]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}

// securitySeverity is GitHub's numeric scale (critical >= 9, high >= 7, medium >= 4).
var securitySeverity = map[model.Severity]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}

// Write writes one SARIF log with one run covering every model.
func Write(w io.Writer, ms []*model.Model, opts Options) error {
	descs, index, err := ruleDescriptors(ms)
	if err != nil {
		return err
	}
	results := []Result{}
	for _, m := range ms {
		for _, f := range m.Findings {
			results = append(results, findingResult(m, f, index, opts.BaseDir))
		}
		results = append(results, hardeningResults(m, index, opts.BaseDir)...)
	}
	log := Log{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []Run{{
			Tool:    Tool{Driver: Driver{Name: "samthreat", InformationURI: "https://github.com/samthreat/samthreat", Version: opts.ToolVersion, Rules: descs}},
			Results: results,
		}},
	}
	if notes := notReadNotes(ms, opts.BaseDir); len(notes) > 0 {
		log.Runs[0].Invocations = []Invocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// ruleDescriptors are the run's rules: the whole catalog, plus user rules
// that produced findings (sorted by id), with each rule's index.
func ruleDescriptors(ms []*model.Model) ([]Rule, map[string]int, error) {
	cat, err := catalog.Rules()
	if err != nil {
		return nil, nil, err
	}
	owaspTitle := map[string]string{}
	if cats, err := catalog.OWASP(); err == nil {
		for _, c := range cats {
			owaspTitle[c.ID] = c.Title
		}
	}
	var descs []Rule
	index := map[string]int{}
	add := func(r *catalog.Rule) {
		index[r.ID] = len(descs)
		descs = append(descs, descriptor(r, owaspTitle))
	}
	for _, r := range cat {
		add(r)
	}
	var extra []*catalog.Rule
	for _, m := range ms {
		for _, f := range m.Findings {
			if _, ok := index[f.RuleID]; !ok {
				r := &catalog.Rule{ID: f.RuleID, Title: f.Title, OWASP: f.OWASP, STRIDE: f.STRIDE, Severity: f.Severity, Description: f.Title, Remediation: f.Remediation, User: true}
				index[f.RuleID] = -1
				extra = append(extra, r)
			}
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].ID < extra[j].ID })
	for _, r := range extra {
		add(r)
	}
	return descs, index, nil
}

// findingResult is one threat: its evidence as locations (the first one
// primary), and its suppressions in the template and in triage.
func findingResult(m *model.Model, f *model.Finding, index map[string]int, base string) Result {
	res := Result{
		RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: level[f.Severity],
		Message:             Message{Text: f.Message},
		PartialFingerprints: map[string]string{"samthreat/v1": f.Fingerprint},
		Properties: map[string]any{
			"owasp": f.OWASP, "severity": f.Severity, "resource": f.Resource,
			"template": uri(m.Template, base),
		},
	}
	if res.Level == "" {
		res.Level = "warning"
	}
	if len(f.STRIDE) > 0 {
		res.Properties["stride"] = f.STRIDE
	}
	for i, e := range f.Evidence {
		loc := Location{PhysicalLocation: PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: uri(e.File, base)}}}
		if e.Line > 0 {
			loc.PhysicalLocation.Region = &Region{StartLine: e.Line}
		}
		if i == 0 {
			res.Locations = append(res.Locations, loc)
		} else {
			loc.ID = i
			loc.Message = &Message{Text: "related evidence"}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
	}
	if len(res.Locations) == 0 { // a finding without evidence still points at the template
		res.Locations = []Location{{PhysicalLocation: PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: uri(m.Template, base)}}}}
	}
	if f.Suppressed {
		res.Suppressions = []Suppression{{Kind: "inSource", Status: "accepted", Justification: f.SuppressReason}}
	}
	if s, ok := triageSuppression(f.Triage); ok {
		res.Suppressions = append(res.Suppressions, s)
	}
	return res
}

// triageSuppression: a reviewer's decision in the workbench. Accepted risks
// and false positives are external suppressions, so SARIF viewers hide them
// and show why.
func triageSuppression(t *model.Triage) (Suppression, bool) {
	if t == nil || (t.Status != "accepted" && t.Status != "false-positive") {
		return Suppression{}, false
	}
	just := t.Status
	if t.Justification != "" {
		just += ": " + t.Justification
	}
	if t.Owner != "" {
		just += " (" + t.Owner + ")"
	}
	return Suppression{Kind: "external", Status: "accepted", Justification: just}, true
}

// hardeningResults: hardening gaps are a checklist, not threats, so SARIF
// shows them at level note and code scanning lists them without failing on
// them.
func hardeningResults(m *model.Model, index map[string]int, base string) []Result {
	var results []Result
	for _, c := range m.Hardening {
		idx, ok := index[c.RuleID]
		if !ok {
			continue
		}
		for _, g := range c.Missing {
			loc := Location{PhysicalLocation: PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: uri(g.Evidence.File, base)}}}
			if g.Evidence.File == "" {
				loc.PhysicalLocation.ArtifactLocation.URI = uri(m.Template, base)
			}
			if g.Evidence.Line > 0 {
				loc.PhysicalLocation.Region = &Region{StartLine: g.Evidence.Line}
			}
			res := Result{
				RuleID: c.RuleID, RuleIndex: idx, Level: "note",
				Message:             Message{Text: g.Message},
				Locations:           []Location{loc},
				PartialFingerprints: map[string]string{"samthreat/v1": g.Fingerprint},
				Properties: map[string]any{
					"owasp": c.OWASP, "kind": catalog.KindHardening, "severityIfRaised": c.Severity, "resource": g.Resource,
					"template": uri(m.Template, base),
				},
			}
			if g.Suppressed {
				res.Suppressions = []Suppression{{Kind: "inSource", Status: "accepted", Justification: g.SuppressReason}}
			}
			results = append(results, res)
		}
	}
	return results
}

// notReadNotes: what this build could not read is said in the log itself,
// so a code-scanning upload does not pass for a full analysis.
func notReadNotes(ms []*model.Model, base string) []Notification {
	var notes []Notification
	for _, m := range ms {
		if m.Summary.CodeNotRead == 0 {
			continue
		}
		for _, d := range m.Diagnostics {
			if strings.HasPrefix(d.Message, model.CodeNotRead) {
				notes = append(notes, Notification{Level: "warning", Message: Message{Text: uri(m.Template, base) + ": " + d.Message}})
			}
		}
	}
	return notes
}

func descriptor(r *catalog.Rule, owaspTitle map[string]string) Rule {
	tags := []string{"security", "serverless", "owasp-serverless-" + strings.ToLower(r.OWASP)}
	for _, c := range r.CWE {
		tags = append(tags, "external/cwe/"+strings.ToLower(c))
	}
	for _, s := range r.STRIDE {
		tags = append(tags, "stride/"+strings.ToLower(strings.ReplaceAll(s, " ", "-")))
	}
	text := strings.TrimSpace(r.Description)
	var md strings.Builder
	fmt.Fprintf(&md, "**%s** (OWASP Serverless %s %s, severity %s)\n\n%s\n\n", r.Title, r.OWASP, owaspTitle[r.OWASP], r.Severity, text)
	if r.Why != "" {
		fmt.Fprintf(&md, "**Why it matters in serverless.** %s\n\n", strings.TrimSpace(r.Why))
	}
	fmt.Fprintf(&md, "**Remediation.** %s\n\n", strings.TrimSpace(r.Remediation))
	if r.Snippet != "" {
		fmt.Fprintf(&md, "```yaml\n%s\n```\n\n", strings.TrimRight(r.Snippet, "\n"))
	}
	if r.FalsePositives != "" {
		fmt.Fprintf(&md, "**Known false positives.** %s\n\n", strings.TrimSpace(r.FalsePositives))
	}
	if len(r.Equivalents) > 0 {
		fmt.Fprintf(&md, "**Equivalent checks.** %s\n\n", strings.Join(r.Equivalents, ", "))
	}
	for _, ref := range r.References {
		fmt.Fprintf(&md, "- %s\n", ref)
	}
	helpText := text + "\n\nRemediation: " + strings.TrimSpace(r.Remediation)
	if r.Snippet != "" {
		helpText += "\n\n" + strings.TrimRight(r.Snippet, "\n")
	}
	d := Rule{
		ID: r.ID, Name: camel(r.Title),
		ShortDescription:     Message{Text: r.Title},
		FullDescription:      Message{Text: text},
		Help:                 Message{Text: helpText, Markdown: strings.TrimSpace(md.String())},
		DefaultConfiguration: map[string]any{"level": orWarn(level[r.Severity])},
		Properties: map[string]any{
			"tags": tags, "security-severity": securitySeverity[r.Severity], "precision": "high",
			"owasp": r.OWASP, "severity": r.Severity, "kind": orThreat(r.Kind),
		},
	}
	if r.IsHardening() { // a checklist row: a note unless raised (raised findings carry their own level)
		d.DefaultConfiguration["level"] = "note"
		d.Properties["tags"] = append(tags, "hardening")
	}
	if len(r.References) > 0 {
		d.HelpURI = r.References[len(r.References)-1]
	}
	if len(r.Equivalents) > 0 {
		d.Properties["equivalents"] = r.Equivalents
	}
	return d
}

func orThreat(k string) string {
	if k == "" {
		return catalog.KindThreat
	}
	return k
}

func orWarn(s string) string {
	if s == "" {
		return "warning"
	}
	return s
}

// camel turns a title into a SARIF rule name ("Wildcard action" -> "WildcardAction").
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// uri renders a file path as a SARIF artifact URI: relative with forward
// slashes when possible, a file:// URI for absolute paths outside BaseDir.
func uri(p, base string) string {
	if p == "" {
		return "template.yaml"
	}
	if base != "" && filepath.IsAbs(p) {
		if rel, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	if filepath.IsAbs(p) {
		return "file://" + filepath.ToSlash(p)
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(p)), "./")
}
