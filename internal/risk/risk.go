// Package risk ranks an application's functions by one measure used by every
// output (CLI text, JSON riskRank, the workbench, the report's first page
// and the diagram's emphasis):
//
//	risk score = severity of the function's worst open finding
//	             (critical 4, high 3, medium 2, low 1, none or info 0)
//	           + its exposure (public 3, authenticated 2, private 1, internal 0),
//
// the highest score first, ties broken by the larger blast radius, then by
// name. The README says it in one sentence; change both together.
package risk

import (
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Exposure classes: who can make a function run.
const (
	// Public: anyone on the internet, with no authentication (an API route
	// or function URL that asks for none, or only an API key).
	Public = "public"
	// Authenticated: from the internet, by a caller the API or URL
	// authenticates (IAM, Cognito, JWT, a Lambda authorizer).
	Authenticated = "authenticated"
	// Private: only from inside a network (a private API) or through a
	// trigger whose payload can carry outside data (an object upload, a
	// queue message, a partner's events).
	Private = "private"
	// Internal: only by the account's own resources and schedules.
	Internal = "internal"
)

// Classes lists the exposure classes, most exposed first.
var Classes = []string{Public, Authenticated, Private, Internal}

var exposureWeight = map[string]int{Public: 3, Authenticated: 2, Private: 1, Internal: 0}

// Open reports whether a finding still needs work: not suppressed in the
// template and not closed by a reviewer.
func Open(f *model.Finding) bool {
	if f.Suppressed {
		return false
	}
	if f.Triage != nil {
		switch f.Triage.Status {
		case "mitigated", "accepted", "false-positive":
			return false
		}
	}
	return true
}

// Exposure is the class of the most exposed way to reach f.
func Exposure(m *model.Model, f *model.Function) string {
	best := Internal
	raise := func(c string) {
		if exposureWeight[c] > exposureWeight[best] {
			best = c
		}
	}
	for _, e := range m.EntryPoints {
		if e.Function != f.ID {
			continue
		}
		http := e.Kind == "route" || e.Kind == "function-url"
		switch {
		case http && strings.EqualFold(e.APIType, "private"):
			raise(Private)
		case e.Public:
			raise(Public)
		case http:
			raise(Authenticated)
		default: // schedules, partner buses, IoT rules...
			if e.Kind == "partner-event-bus" {
				raise(Private)
			}
		}
	}
	if f.URL != nil {
		if strings.EqualFold(f.URL.AuthType, "NONE") || f.URL.AuthType == "" {
			raise(Public)
		} else {
			raise(Authenticated)
		}
	}
	for _, ev := range f.Events {
		if ev.ExternalInput {
			raise(Private)
		}
	}
	return best
}

// Worst is the severity of f's worst open finding ("" when none).
func Worst(fs []*model.Finding) (sev model.Severity, worst *model.Finding) {
	for _, x := range fs {
		if !Open(x) {
			continue
		}
		s := model.Severity(strings.ToLower(string(x.Severity)))
		if worst == nil || s.Rank() > sev.Rank() {
			sev, worst = s, x
		}
	}
	return sev, worst
}

// Score is the risk score of a function with this worst open severity and
// exposure.
func Score(worstSeverity model.Severity, exposure string) int {
	return exposureWeight[exposure] + worstSeverity.Rank()
}

// Rank fills each function's Exposure, WorstSeverity, RiskScore and
// RiskRank (1 = riskiest) from the model's findings as they are (triage
// included), and returns the functions in rank order.
func Rank(m *model.Model) []*model.Function {
	by := map[string][]*model.Finding{}
	for _, f := range m.Findings {
		by[f.Resource] = append(by[f.Resource], f)
	}
	out := append([]*model.Function(nil), m.Functions...)
	for _, f := range out {
		f.Exposure = Exposure(m, f)
		f.WorstSeverity, _ = Worst(by[f.ID])
		f.RiskScore = Score(f.WorstSeverity, f.Exposure)
	}
	blast := func(f *model.Function) int64 {
		if f.Blast == nil {
			return 0
		}
		return f.BlastRadius
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.RiskScore != b.RiskScore {
			return a.RiskScore > b.RiskScore
		}
		if blast(a) != blast(b) {
			return blast(a) > blast(b)
		}
		return a.ID < b.ID
	})
	for i, f := range out {
		f.RiskRank = i + 1
	}
	return out
}

// Ordered returns the functions in rank order without changing them (a
// model whose ranks are already filled; unranked ones last, by name).
func Ordered(m *model.Model) []*model.Function {
	out := append([]*model.Function(nil), m.Functions...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].RiskRank, out[j].RiskRank
		if (a == 0) != (b == 0) {
			return b == 0
		}
		if a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	return out
}
