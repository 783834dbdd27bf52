package report

import (
	"fmt"
	"strings"
)

// Section is a part of the report a reader can leave out (Options.Sections).
type Section struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Report sections, in report order. The cover and table of contents are
// always written.
const (
	SectionSummary      = "summary"       // executive summary: top risks, triage chart, impact, recommendations
	SectionArchitecture = "architecture"  // architecture and the data-flow diagram
	SectionFunctions    = "functions"     // functions table and the riskiest functions in detail
	SectionFindings     = "findings"      // findings by rule (low and informational ones in the appendix)
	SectionThirdParties = "third-parties" // third-party services
	SectionHardening    = "hardening"     // the hardening checklist (appendix)
	SectionMethod       = "method"        // method, assumptions, limits, data flows, rules fired, OWASP mapping (appendix)
)

// Sections lists the sections in report order, with their titles.
var Sections = []Section{
	{SectionSummary, "Executive summary and top risks"},
	{SectionArchitecture, "Architecture and data-flow diagram"},
	{SectionFunctions, "Functions"},
	{SectionFindings, "Findings"},
	{SectionThirdParties, "Third-party services"},
	{SectionHardening, "Hardening checklist"},
	{SectionMethod, "Method and appendix"},
}

// CheckSections refuses unknown section ids and returns them lower-cased,
// in report order, once each. An empty list is every section.
func CheckSections(ids []string) ([]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if id == "" {
			continue
		}
		if !knownSection(id) {
			var all []string
			for _, s := range Sections {
				all = append(all, s.ID)
			}
			return nil, fmt.Errorf("unknown report section %q (one of %s)", id, strings.Join(all, ", "))
		}
		want[id] = true
	}
	var out []string
	for _, s := range Sections {
		if want[s.ID] {
			out = append(out, s.ID)
		}
	}
	return out, nil
}

func knownSection(id string) bool {
	for _, s := range Sections {
		if s.ID == id {
			return true
		}
	}
	return false
}

// Includes reports whether the report includes section id.
func (o Options) Includes(id string) bool { return o.has(id) }

// has reports whether the report includes section id (every section when
// Options.Sections is empty).
func (o Options) has(id string) bool {
	if len(o.Sections) == 0 {
		return true
	}
	for _, s := range o.Sections {
		if s == id {
			return true
		}
	}
	return false
}
