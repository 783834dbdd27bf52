package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// A workspace written with the first schema (v1) and filled the way v1 code
// wrote it opens with this build: every migration runs, nothing is lost,
// and the triage made before history existed becomes its first entries.
func TestMigrateFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	s, err := open(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx); v != 1 {
		t.Fatalf("schema %d, want 1", v)
	}
	sha := Hash([]byte("Resources: {}\n"))
	for _, q := range []string{
		`INSERT INTO projects (id, key, name, created, updated) VALUES (1, '/src/app/template.yaml', 'app', '2024-05-01T10:00:00Z', '2024-05-02T10:00:00Z')`,
		`INSERT INTO blobs (sha256, content, size) VALUES ('` + sha + `', X'5265736f75726365733a207b7d0a', 14)`,
		`INSERT INTO revisions (id, project_id, seq, sha256, file_name, source_path, imported) VALUES (7, 1, 1, '` + sha + `', 'template.yaml', '/src/app/template.yaml', '2024-05-01T10:00:00Z')`,
		`INSERT INTO triage (project_id, fingerprint, status, justification, owner, updated) VALUES (1, 'SLS-IAM-001@Fn', 'accepted', 'reviewed', 'ana', '2024-05-02T10:00:00Z')`,
		`INSERT INTO recent_files (path, kind, opened) VALUES ('/src/app', 'folder', '2024-05-02T10:00:00Z')`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := s.db.ExecContext(ctx, "SELECT figures FROM revisions"); err == nil {
		t.Fatal("v1 schema already has revisions.figures")
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion() {
		t.Fatalf("schema %d after migration, want %d", v, SchemaVersion())
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := s.Project(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "app" || p.Revisions != 1 || p.LatestID != 7 || p.Created.Year() != 2024 {
		t.Errorf("project = %+v", p)
	}
	r, err := s.Revision(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if r.Figures != "" || r.SourcePath != "/src/app/template.yaml" {
		t.Errorf("revision = %+v", r)
	}
	if b, _ := s.Content(ctx, 7); string(b) != "Resources: {}\n" {
		t.Errorf("content = %q", b)
	}
	h, err := s.TriageHistory(ctx, 1, "SLS-IAM-001@Fn")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].Status != StatusAccepted || h[0].Owner != "ana" || h[0].Justification != "reviewed" {
		t.Errorf("history backfilled from v1 triage = %+v", h)
	}
	rf, _ := s.RecentFiles(ctx)
	if len(rf) != 1 || rf[0].Kind != "folder" {
		t.Errorf("recent = %+v", rf)
	}
	// The migrated workspace works with v3 features: re-importing the same
	// text is a no-op that fills the figures the v1 revision lacked.
	r2, created, err := s.AddRevision(ctx, "/src/app/template.yaml", "app", "template.yaml", "/src/app/template.yaml", []byte("Resources: {}\n"), `{"functions":0}`)
	if err != nil {
		t.Fatal(err)
	}
	if created || r2.ID != 7 || r2.Figures != `{"functions":0}` {
		t.Errorf("reimport after migration: created=%v %+v", created, r2)
	}
	// Reopening does not run anything again.
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	h, _ = s2.TriageHistory(ctx, 1, "")
	if len(h) != 1 {
		t.Errorf("history rows after reopen = %d, want 1", len(h))
	}
}

// Every intermediate version migrates to the latest.
func TestMigrateEachVersion(t *testing.T) {
	for _, m := range migrations {
		t.Run(m.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.db")
			s, err := open(path, m.version)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Version(context.Background()); v != m.version {
				t.Fatalf("version %d, want %d", v, m.version)
			}
			s.Close()
			s, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A v3 workspace (the four statuses, no due date, ticket or severity
// override) opens with this build: decisions and history keep their values,
// the new fields are empty, and the fifth status can be written.
func TestMigrateToTriageDetails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := open(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO triage (project_id, fingerprint, status, justification, owner, updated)
		VALUES (1, 'R@Fn', 'accepted', 'behind a VPN', 'ana', '2024-05-02T10:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO triage (project_id, fingerprint, status, justification, owner, updated)
		VALUES (1, 'R@Other', 'needs-investigation', '', '', '2024-05-02T10:00:00Z')`); err == nil {
		t.Fatal("the v3 schema took a fifth status")
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion() || v < 4 {
		t.Fatalf("schema %d", v)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	ts, err := s.Triage(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Status != StatusAccepted || ts[0].Justification != "behind a VPN" || ts[0].Owner != "ana" ||
		ts[0].Updated.Year() != 2024 || ts[0].Due != "" || ts[0].Ticket != "" || ts[0].Severity != "" {
		t.Errorf("migrated triage = %+v", ts)
	}
	if _, err := s.SetTriage(ctx, Triage{ProjectID: 1, Fingerprint: "R@Other", Status: StatusInvestigate, Due: "2025-01-31"}); err != nil {
		t.Fatalf("needs-investigation after migration: %v", err)
	}
	// Deleting the project still takes its triage with it (the rebuilt table keeps the cascade).
	if err := s.DeleteProject(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM triage").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d triage rows left after deleting the project (%v)", n, err)
	}
}
