package risk

import (
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

func TestRank(t *testing.T) {
	fn := func(id string, blast int64, events ...model.Event) *model.Function {
		return &model.Function{ID: id, Events: events, Blast: &model.Blast{BlastRadius: blast}}
	}
	m := &model.Model{
		Functions: []*model.Function{
			fn("Parse", 96, model.Event{Type: "S3", ExternalInput: true}), // private, high: 4
			fn("Token", 20),      // public, critical: 7
			fn("Admin", 40),      // authenticated, high: 5
			fn("IoT", 64),        // internal, high: 3
			fn("Quiet", 500),     // internal, no finding: 0
			fn("Closed", 900),    // public, its critical accepted, low open: 4
			fn("PrivateAPI", 10), // private API, medium: 3
			fn("Twin", 30),       // public, critical: 7, larger blast than Token
		},
		EntryPoints: []*model.EntryPoint{
			{ID: "GET /t", Kind: "route", Function: "Token", Public: true, Auth: "NONE"},
			{ID: "GET /tw", Kind: "route", Function: "Twin", Public: true, Auth: "NONE"},
			{ID: "GET /a", Kind: "route", Function: "Admin", Auth: "COGNITO:Pool"},
			{ID: "GET /c", Kind: "route", Function: "Closed", Public: true, Auth: "NONE"},
			{ID: "GET /p", Kind: "route", APIType: "private", Function: "PrivateAPI", Auth: "NONE", Public: true},
			{ID: "rate", Kind: "schedule", Function: "IoT", Auth: "NONE"},
		},
		Findings: []*model.Finding{
			{Resource: "Parse", Severity: "high"},
			{Resource: "Token", Severity: "critical"},
			{Resource: "Token", Severity: "low"},
			{Resource: "Twin", Severity: "critical"},
			{Resource: "Admin", Severity: "high"},
			{Resource: "IoT", Severity: "high"},
			{Resource: "Closed", Severity: "critical", Triage: &model.Triage{Status: "accepted"}},
			{Resource: "Closed", Severity: "low"},
			{Resource: "Closed", Severity: "high", Suppressed: true},
			{Resource: "PrivateAPI", Severity: "medium"},
		},
	}
	got := Rank(m)
	want := []struct {
		id, exposure, worst string
		score               int
	}{
		{"Twin", Public, "critical", 7},
		{"Token", Public, "critical", 7},
		{"Admin", Authenticated, "high", 5},
		{"Closed", Public, "low", 4},
		{"Parse", Private, "high", 4},
		{"IoT", Internal, "high", 3},
		{"PrivateAPI", Private, "medium", 3},
		{"Quiet", Internal, "", 0},
	}
	if len(got) != len(want) {
		t.Fatalf("%d functions ranked, want %d", len(got), len(want))
	}
	for i, w := range want {
		f := got[i]
		if f.ID != w.id || f.Exposure != w.exposure || string(f.WorstSeverity) != w.worst || f.RiskScore != w.score || f.RiskRank != i+1 {
			t.Errorf("rank %d = %s (%s, %q, score %d, rank %d), want %s (%s, %q, score %d)", i+1, f.ID, f.Exposure, f.WorstSeverity, f.RiskScore, f.RiskRank, w.id, w.exposure, w.worst, w.score)
		}
	}
	if o := Ordered(m); o[0].ID != "Twin" || o[len(o)-1].ID != "Quiet" {
		t.Errorf("Ordered = %s ... %s", o[0].ID, o[len(o)-1].ID)
	}
}
