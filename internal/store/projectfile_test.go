package store

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestProjectFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	clock(a)
	texts := []string{"Resources: {}\n", "Resources: {A: {Type: AWS::SNS::Topic}}\n", "\xff\xfebinary-ish"}
	var pid int64
	for _, x := range texts {
		r, _, err := a.AddRevision(ctx, "/team/app/template.yaml", "app", "template.yaml", "/team/app/template.yaml", []byte(x), `{"functions":1}`)
		if err != nil {
			t.Fatal(err)
		}
		pid = r.ProjectID
	}
	for _, st := range []string{StatusAccepted, StatusMitigated} {
		if _, err := a.SetTriage(ctx, Triage{ProjectID: pid, Fingerprint: "R@Fn", Status: st, Owner: "ana", Justification: "because"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.SetTriage(ctx, Triage{ProjectID: pid, Fingerprint: "R@Other", Status: StatusInvestigate, Due: "2025-06-01", Ticket: "SEC-7", Severity: "critical"}); err != nil {
		t.Fatal(err)
	}
	f, err := a.ExportProject(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProjectFile(&buf, f); err != nil {
		t.Fatal(err)
	}
	// Into an empty workspace: the same project.
	b := openTemp(t)
	clockAt(b, time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)) // B works a day later than A
	g, err := ReadProjectFile(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	bid, err := b.ImportProject(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	revs, _ := b.Revisions(ctx, bid)
	if len(revs) != 3 {
		t.Fatalf("%d revisions imported, want 3", len(revs))
	}
	for i, r := range revs {
		c, _ := b.Content(ctx, r.ID)
		if string(c) != texts[len(texts)-1-i] || r.Figures != `{"functions":1}` {
			t.Errorf("revision %d: %q figures %q", r.Seq, c, r.Figures)
		}
	}
	tri, _ := b.Triage(ctx, bid)
	if len(tri) != 2 || tri[0].Status != StatusMitigated ||
		tri[1].Status != StatusInvestigate || tri[1].Due != "2025-06-01" || tri[1].Ticket != "SEC-7" || tri[1].Severity != "critical" {
		t.Errorf("triage = %+v", tri)
	}
	hist, _ := b.TriageHistory(ctx, bid, "R@Fn")
	if len(hist) != 2 || hist[0].Status != StatusMitigated {
		t.Errorf("history = %+v", hist)
	}
	// Importing it again is a no-op.
	if _, err := b.ImportProject(ctx, g); err != nil {
		t.Fatal(err)
	}
	revs, _ = b.Revisions(ctx, bid)
	hist, _ = b.TriageHistory(ctx, bid, "")
	if len(revs) != 3 || len(hist) != 3 {
		t.Errorf("re-import duplicated: %d revisions, %d history", len(revs), len(hist))
	}
	// Merging: B decides later on the same finding and adds a revision;
	// A imports B's file and gets both; A's older decision loses.
	if _, err := b.SetTriage(ctx, Triage{ProjectID: bid, Fingerprint: "R@Fn", Status: StatusFalsePositive, Owner: "bo"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.AddRevision(ctx, "/team/app/template.yaml", "", "template.yaml", "", []byte("Resources: {B: {Type: AWS::SQS::Queue}}\n"), ""); err != nil {
		t.Fatal(err)
	}
	fb, err := b.ExportProject(ctx, bid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportProject(ctx, fb); err != nil {
		t.Fatal(err)
	}
	tri, _ = a.Triage(ctx, pid)
	revs, _ = a.Revisions(ctx, pid)
	if len(tri) != 2 || tri[0].Status != StatusFalsePositive || tri[0].Owner != "bo" || len(revs) != 4 {
		t.Errorf("merge: triage %+v, %d revisions", tri, len(revs))
	}
	if err := a.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestReadProjectFileErrors(t *testing.T) {
	good := `{"format":"samthreat-project","version":1,"exported":"2025-01-01T00:00:00Z","project":{"key":"k","name":"n","created":"2025-01-01T00:00:00Z"},
		"revisions":[{"seq":1,"sha256":"` + Hash([]byte("x")) + `","fileName":"t.yaml","imported":"2025-01-01T00:00:00Z","template":"x"}],"triage":[],"triageHistory":[]}`
	if _, err := ReadProjectFile(strings.NewReader(good)); err != nil {
		t.Fatalf("good file: %v", err)
	}
	cases := []struct{ name, in, want string }{
		{"not json", "hello", "not a samthreat project file"},
		{"syntax", `{"format":`, "not a samthreat project file"},
		{"other format", `{"format":"sarif","version":1}`, `format "sarif"`},
		{"future version", strings.Replace(good, `"version":1`, `"version":9`, 1), "version 9 is not supported"},
		{"unknown field", strings.Replace(good, `"triage":[]`, `"triage":[],"extra":1`, 1), "unknown field"},
		{"tampered text", strings.Replace(good, `"template":"x"`, `"template":"y"`, 1), "does not match its sha256"},
		{"no key", strings.Replace(good, `"key":"k"`, `"key":""`, 1), "project.key is empty"},
		{"bad status", strings.Replace(good, `"triage":[]`, `"triage":[{"fingerprint":"f","status":"nope","updated":"2025-01-01T00:00:00Z"}]`, 1), `unknown status "nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadProjectFile(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
