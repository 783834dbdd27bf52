package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "ws", "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clock makes the store's time deterministic and strictly increasing.
func clock(s *Store) { clockAt(s, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)) }

func clockAt(s *Store, t0 time.Time) {
	var mu sync.Mutex
	s.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t0 = t0.Add(time.Second)
		return t0
	}
}

func TestOpenPragmas(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"user_version", fmt.Sprint(SchemaVersion())},
	} {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAddRevisionContentAddressed(t *testing.T) {
	s := openTemp(t)
	clock(s)
	ctx := context.Background()
	v1 := []byte("Resources: {}\n")
	v2 := []byte("Resources: {A: {Type: AWS::SNS::Topic}}\n")
	steps := []struct {
		key     string
		content []byte
		created bool
		seq     int
	}{
		{"/a/template.yaml", v1, true, 1},
		{"/a/template.yaml", v1, false, 1}, // unchanged: no-op
		{"/a/template.yaml", v2, true, 2},
		{"/a/template.yaml", v2, false, 2},
		{"/a/template.yaml", v1, true, 3}, // back to v1: a new revision, same blob
		{"/b/template.yaml", v1, true, 1}, // another project, same text
	}
	for i, st := range steps {
		r, created, err := s.AddRevision(ctx, st.key, "", "template.yaml", st.key, st.content, "")
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if created != st.created || r.Seq != st.seq || r.SHA256 != Hash(st.content) {
			t.Errorf("step %d: created=%v seq=%d sha=%s, want %v %d %s", i, created, r.Seq, r.SHA256, st.created, st.seq, Hash(st.content))
		}
		got, err := s.Content(ctx, r.ID)
		if err != nil || !bytes.Equal(got, st.content) {
			t.Errorf("step %d: content %q, %v", i, got, err)
		}
	}
	count := func(table string) int {
		var n int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("blobs"); n != 2 {
		t.Errorf("%d blobs, want 2 (content-addressed)", n)
	}
	if n := count("revisions"); n != 4 {
		t.Errorf("%d revisions, want 4", n)
	}
	ps, err := s.Projects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Key != "/b/template.yaml" || ps[1].Revisions != 3 {
		t.Errorf("projects = %+v", ps)
	}
	revs, err := s.Revisions(ctx, ps[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 3 || revs[0].Seq != 3 || ps[1].LatestID != revs[0].ID {
		t.Errorf("revisions newest first: %+v (latest id %d)", revs, ps[1].LatestID)
	}
	// Deleting the project keeps the blob project b still uses, drops nothing else.
	if err := s.DeleteProject(ctx, ps[1].ID); err != nil {
		t.Fatal(err)
	}
	if n := count("blobs"); n != 1 {
		t.Errorf("after delete: %d blobs, want 1", n)
	}
	if _, err := s.Revision(ctx, revs[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted revision: %v", err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestTriage(t *testing.T) {
	s := openTemp(t)
	clock(s)
	ctx := context.Background()
	r, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	pid := r.ProjectID
	cases := []struct {
		name    string
		in      Triage
		wantErr string
	}{
		{"accept", Triage{ProjectID: pid, Fingerprint: "SLS-1@Fn", Status: StatusAccepted, Justification: " behind WAF ", Owner: "ana"}, ""},
		{"change", Triage{ProjectID: pid, Fingerprint: "SLS-1@Fn", Status: StatusMitigated, Owner: "bo"}, ""},
		{"other", Triage{ProjectID: pid, Fingerprint: "SLS-2@Fn", Status: StatusFalsePositive}, ""},
		{"bad status", Triage{ProjectID: pid, Fingerprint: "SLS-3@Fn", Status: "wontfix"}, `unknown status "wontfix"`},
		{"no fingerprint", Triage{ProjectID: pid, Fingerprint: " ", Status: StatusOpen}, "fingerprint is required"},
		{"long owner", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Owner: strings.Repeat("o", MaxOwner+1)}, "owner longer"},
		{"long justification", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Justification: strings.Repeat("j", MaxJustification+1)}, "justification longer"},
		{"no project", Triage{ProjectID: pid + 99, Fingerprint: "f", Status: StatusOpen}, "not found"},
		{"bad due date", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Due: "next friday"}, "not a date"},
		{"bad severity", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Severity: "urgent"}, `unknown severity "urgent"`},
		{"script link", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Ticket: "javascript:alert(1)"}, "must start with https://"},
		{"two-line ticket", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Ticket: "SEC-1\nSEC-2"}, "one line"},
		{"long ticket", Triage{ProjectID: pid, Fingerprint: "f", Status: StatusOpen, Ticket: strings.Repeat("t", MaxTicket+1)}, "ticket longer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.SetTriage(ctx, c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Updated.IsZero() || got.Justification != strings.TrimSpace(c.in.Justification) {
				t.Errorf("got %+v", got)
			}
		})
	}
	ts, err := s.Triage(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Fingerprint != "SLS-1@Fn" || ts[0].Status != StatusMitigated || ts[0].Owner != "bo" || ts[0].Justification != "" {
		t.Errorf("triage = %+v", ts)
	}
	h, err := s.TriageHistory(ctx, pid, "SLS-1@Fn")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Status != StatusMitigated || h[1].Status != StatusAccepted || h[1].Justification != "behind WAF" {
		t.Errorf("history = %+v", h)
	}
}

// Schema v4: needs-investigation, a due date, a ticket and a severity
// override are kept with the decision and in its history.
func TestTriageDetails(t *testing.T) {
	s := openTemp(t)
	clock(s)
	ctx := context.Background()
	r, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Triage{
		{ProjectID: r.ProjectID, Fingerprint: "SLS-1@Fn", Status: StatusInvestigate, Due: "2025-04-30", Ticket: " https://jira.example.com/browse/SEC-12 ", Severity: "High"},
		{ProjectID: r.ProjectID, Fingerprint: "SLS-2@Fn", Status: StatusOpen, Ticket: "SEC-13"},
	} {
		if _, err := s.SetTriage(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := s.Triage(ctx, r.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	want := Triage{ProjectID: r.ProjectID, Fingerprint: "SLS-1@Fn", Status: StatusInvestigate, Due: "2025-04-30", Ticket: "https://jira.example.com/browse/SEC-12", Severity: "high"}
	got := ts[0]
	got.Updated = time.Time{}
	if got != want || ts[1].Ticket != "SEC-13" || ts[1].Due != "" || ts[1].Severity != "" {
		t.Errorf("triage = %+v", ts)
	}
	h, _ := s.TriageHistory(ctx, r.ProjectID, "SLS-1@Fn")
	if len(h) != 1 || h[0].Due != "2025-04-30" || h[0].Severity != "high" || h[0].Status != StatusInvestigate {
		t.Errorf("history = %+v", h)
	}
}

// A write that fails part-way leaves nothing behind: the trigger makes the
// history insert (the second statement of SetTriage) fail.
func TestWriteIsAtomic(t *testing.T) {
	s := openTemp(t)
	clock(s)
	ctx := context.Background()
	r, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`CREATE TRIGGER boom BEFORE INSERT ON triage_history WHEN NEW.fingerprint = 'boom'
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTriage(ctx, Triage{ProjectID: r.ProjectID, Fingerprint: "boom", Status: StatusAccepted}); err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("SetTriage err = %v", err)
	}
	ts, _ := s.Triage(ctx, r.ProjectID)
	if len(ts) != 0 {
		t.Errorf("triage row survived a failed transaction: %+v", ts)
	}
	// The same for a project import: a bad history entry at the end rolls
	// back the project, its revisions and triage.
	f := &ProjectFile{Format: ProjectFileFormat, Version: 1, Project: ProjectFileProject{Key: "other", Name: "other"},
		Revisions:     []ProjectFileRev{{Seq: 1, SHA256: Hash([]byte("t")), FileName: "t.yaml", Template: "t"}},
		Triage:        []ProjectFileTriage{{Fingerprint: "a", Status: StatusOpen}},
		TriageHistory: []ProjectFileTriage{{Fingerprint: "boom", Status: StatusOpen}}}
	if _, err := s.ImportProject(ctx, f); err == nil {
		t.Fatal("import with a failing statement succeeded")
	}
	if _, ok, _ := s.ProjectByKey(ctx, "other"); ok {
		t.Error("half-imported project left behind")
	}
	var n int
	s.db.QueryRow("SELECT COUNT(*) FROM blobs WHERE sha256 = ?", Hash([]byte("t"))).Scan(&n)
	if n != 0 {
		t.Error("blob of a rolled-back import left behind")
	}
	// And the tx helper itself.
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("INSERT INTO settings (key, value) VALUES ('x', 'y')"); err != nil {
			return err
		}
		return errors.New("stop")
	})
	if _, ok, _ := s.Setting(ctx, "x"); ok || err == nil {
		t.Errorf("setting written by a failed transaction (err %v)", err)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	s := openTemp(t)
	_, err := s.db.Exec("INSERT INTO revisions (project_id, seq, sha256, file_name, imported) VALUES (42, 1, ?, 'x', 'now')", strings.Repeat("a", 64))
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
		t.Fatalf("orphan revision accepted: %v", err)
	}
}

func TestRecentFiles(t *testing.T) {
	s := openTemp(t)
	clock(s)
	ctx := context.Background()
	for i := 0; i < MaxRecent+5; i++ {
		if err := s.TouchRecent(ctx, fmt.Sprintf("/p/%02d", i), "file"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.TouchRecent(ctx, "/p/07", "folder"); err != nil { // touched again: newest
		t.Fatal(err)
	}
	rs, err := s.RecentFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != MaxRecent || rs[0].Path != "/p/07" || rs[0].Kind != "folder" || rs[1].Path != fmt.Sprintf("/p/%02d", MaxRecent+4) {
		t.Errorf("recent = %d entries, first %+v second %+v", len(rs), rs[0], rs[1])
	}
}

func TestSettings(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if _, ok, err := s.Setting(ctx, "example"); ok || err != nil {
		t.Fatalf("unset setting: ok=%v err=%v", ok, err)
	}
	for _, v := range []string{"1", "2"} {
		if err := s.SetSetting(ctx, "example", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Setting(ctx, "example"); got != v || !ok || err != nil {
			t.Fatalf("setting = %q %v %v", got, ok, err)
		}
	}
}

// Several goroutines writing at once (as the web server does) all succeed:
// IMMEDIATE transactions and the busy timeout serialise them.
func TestConcurrentWriters(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	r, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := s.SetTriage(ctx, Triage{ProjectID: r.ProjectID, Fingerprint: fmt.Sprintf("f%d-%d", g, i), Status: StatusAccepted}); err != nil {
					errs <- err
				}
				if _, _, err := s.AddRevision(ctx, fmt.Sprintf("k%d", g), "", "t.yaml", "", []byte(fmt.Sprint(i)), ""); err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ts, _ := s.Triage(ctx, r.ProjectID)
	if len(ts) != 100 {
		t.Errorf("%d triage rows, want 100", len(ts))
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer samthreat") {
		t.Fatalf("err = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := writeFile(notDB, strings.Repeat("this is not a database\n", 200)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, path, want string }{
		{"empty", "", "no path"},
		{"not a database", notDB, "notes.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(c.path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line with %q", err, c.want)
			}
		})
	}
}

// Workspace paths with spaces, '#', '?' and non-ASCII land exactly there.
func TestOpenUnusualPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my projects #1?", "équipe")
	path := filepath.Join(dir, "work space.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("workspace not at %s: %v", path, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "work space.db") {
			t.Errorf("stray file %q beside the workspace", e.Name())
		}
	}
}

// TestProjectsWithLatest: the one-query list agrees with Projects and
// Revision for every project, with and without revisions.
func TestProjectsWithLatest(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i, key := range []string{"a", "b", "a", "c", "a"} {
		if _, _, err := s.AddRevision(ctx, key, key, "t.yaml", "/x/"+key, []byte(fmt.Sprintf("Resources: {} # %d", i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	ps, latest, err := s.ProjectsWithLatest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Projects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(want) || len(latest) != len(ps) {
		t.Fatalf("%d projects, want %d", len(ps), len(want))
	}
	for i, p := range ps {
		if p != want[i] {
			t.Errorf("project %d: %+v, want %+v", i, p, want[i])
		}
		r, err := s.Revision(ctx, p.LatestID)
		if err != nil || latest[i] == nil || *latest[i] != r {
			t.Errorf("%s: latest %+v, want %+v (%v)", p.Key, latest[i], r, err)
		}
	}
}

// TestProjectsWithLatestSeesWrites: the cached list never hides this
// process's own writes.
func TestProjectsWithLatestSeesWrites(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	rev, _, err := s.AddRevision(ctx, "k", "before", "t.yaml", "", []byte("Resources: {}"), "")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _, err := s.ProjectsWithLatest(ctx); err != nil || len(ps) != 1 || ps[0].Name != "before" {
		t.Fatalf("%+v %v", ps, err)
	}
	if err := s.RenameProject(ctx, rev.ProjectID, "after"); err != nil {
		t.Fatal(err)
	}
	if ps, _, err := s.ProjectsWithLatest(ctx); err != nil || len(ps) != 1 || ps[0].Name != "after" {
		t.Fatalf("after a rename: %+v %v", ps, err)
	}
	if _, _, err := s.AddRevision(ctx, "k2", "second", "t.yaml", "", []byte("Resources: {A: 1}"), ""); err != nil {
		t.Fatal(err)
	}
	if ps, _, err := s.ProjectsWithLatest(ctx); err != nil || len(ps) != 2 {
		t.Fatalf("after an import: %d projects %v", len(ps), err)
	}
}
