package model

// CountFindings fills Summary.FindingsBySev and Summary.FindingsByOWASP from
// the findings not suppressed in the template (the rules stage after
// evaluating, an export after leaving findings out).
func (m *Model) CountFindings() {
	m.Summary.FindingsBySev = map[string]int{}
	m.Summary.FindingsByOWASP = map[string]int{}
	for _, f := range m.Findings {
		if f.Suppressed {
			continue
		}
		m.Summary.FindingsBySev[string(f.Severity)]++
		m.Summary.FindingsByOWASP[f.OWASP]++
	}
}
