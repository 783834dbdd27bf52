// Package store is the workbench's workspace: one SQLite file (pure Go,
// modernc.org/sqlite) holding projects, their template revisions
// (content-addressed by SHA-256), triage decisions keyed by finding
// fingerprint, recent files and settings.
//
// Every write runs in one IMMEDIATE transaction, the database is in WAL mode
// with synchronous=FULL and foreign keys on, so a crash or a kill mid-write
// loses nothing that was committed and never leaves half a change.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/samthreat/samthreat/internal/model"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Triage statuses.
const (
	StatusOpen        = "open"
	StatusInvestigate = "needs-investigation" // open, and someone must look (schema v4)
	StatusMitigated   = "mitigated"
	StatusAccepted    = "accepted"
	// StatusFalsePositive: the finding is wrong.
	StatusFalsePositive = "false-positive"
)

// ValidStatus reports whether s is one of the five triage statuses.
func ValidStatus(s string) bool {
	switch s {
	case StatusOpen, StatusInvestigate, StatusMitigated, StatusAccepted, StatusFalsePositive:
		return true
	}
	return false
}

// validSeverity: a severity override is one of the rule severities or "".
func validSeverity(s string) bool { return s == "" || model.Severity(s).Valid() }

// checkTriageExtras validates the due date (YYYY-MM-DD), the ticket (a
// tracker key or an http(s) URL) and the severity override.
func checkTriageExtras(due, ticket, severity string) error {
	if due != "" {
		if _, err := time.Parse("2006-01-02", due); err != nil {
			return fmt.Errorf("triage: due date %q is not a date (YYYY-MM-DD)", due)
		}
	}
	switch {
	case len([]rune(ticket)) > MaxTicket:
		return fmt.Errorf("triage: ticket longer than %d characters", MaxTicket)
	case strings.ContainsAny(ticket, "\n\r\t"):
		return errors.New("triage: the ticket is one line (a URL or a key such as SEC-123)")
	case strings.Contains(ticket, ":") && !strings.HasPrefix(strings.ToLower(ticket), "https://") && !strings.HasPrefix(strings.ToLower(ticket), "http://"):
		return fmt.Errorf("triage: ticket %q: a link must start with https:// or http://", ticket)
	case !validSeverity(severity):
		return fmt.Errorf("triage: unknown severity %q (critical, high, medium, low, info, or empty for the rule's)", severity)
	}
	return nil
}

// Limits on what a workspace accepts.
const (
	MaxJustification = 4000
	MaxOwner         = 200
	MaxFingerprint   = 1000
	MaxName          = 300
	MaxRecent        = 20
	MaxTicket        = 500
)

// ErrNotFound is returned (wrapped) for an unknown project or revision id.
var ErrNotFound = errors.New("not found")

// Store is an open workspace. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time

	gen  atomic.Int64 // bumped by every write transaction of this process
	list struct {     // the last ProjectsWithLatest answer
		sync.Mutex
		gen  int64
		at   time.Time
		ps   []Project
		revs []*Revision
	}
}

// Project is one template's history.
type Project struct {
	ID        int64
	Key       string
	Name      string
	Created   time.Time
	Updated   time.Time
	Revisions int
	LatestID  int64 // 0 when the project has no revision
}

// Revision is one stored import of a project's template.
type Revision struct {
	ID         int64
	ProjectID  int64
	Seq        int
	SHA256     string
	FileName   string
	SourcePath string
	Imported   time.Time
	Figures    string // JSON, "" when unknown
}

// Triage is a decision on one finding of a project.
type Triage struct {
	ProjectID     int64
	Fingerprint   string
	Status        string
	Justification string
	Owner         string
	Updated       time.Time
	Due           string // YYYY-MM-DD or ""
	Ticket        string // issue tracker URL or key
	Severity      string // severity override, "" for the rule's
}

// TriageChange is one entry of a finding's triage history.
type TriageChange struct {
	Fingerprint   string
	Status        string
	Justification string
	Owner         string
	Changed       time.Time
	Due           string
	Ticket        string
	Severity      string
}

// RecentFile is a path recently imported.
type RecentFile struct {
	Path   string
	Kind   string
	Opened time.Time
}

// Open opens the workspace at path, creating it (and its folder) if needed,
// and brings its schema up to date.
func Open(path string) (*Store, error) { return open(path, SchemaVersion()) }

func open(path string, upTo int) (*Store, error) {
	if path == "" {
		return nil, errors.New("workspace: no path given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", abs, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: abs, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(context.Background(), upTo); err != nil {
		db.Close()
		return nil, fmt.Errorf("workspace %s: %w", abs, err)
	}
	return s, nil
}

// Close closes the workspace.
func (s *Store) Close() error { return s.db.Close() }

// Path is the workspace file's absolute path.
func (s *Store) Path() string { return s.path }

// Version reads the workspace's schema version.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context, upTo int) error {
	v, err := s.Version(ctx)
	if err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if v > SchemaVersion() {
		return fmt.Errorf("written by a newer samthreat (schema %d, this build knows %d)", v, SchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= v || m.version > upTo {
			continue
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			// Re-read inside the write lock: another process may have migrated.
			var cur int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
				return err
			}
			if cur >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// tx runs fn in one write transaction, committed only if fn succeeds.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer s.gen.Add(1) // after the commit (or rollback): cached answers are stale
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Check runs SQLite's integrity and foreign-key checks.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		if r != "ok" {
			problems = append(problems, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	fk, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	for fk.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var idx int
		if err := fk.Scan(&table, &rowid, &parent, &idx); err != nil {
			fk.Close()
			return err
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	fk.Close()
	if len(problems) > 0 {
		return fmt.Errorf("workspace %s is damaged: %s", s.path, strings.Join(problems, "; "))
	}
	return fk.Err()
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Hash is the content address of a template text.
func Hash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// AddRevision stores content as a new revision of the project identified by
// key (created with name if new). When content equals the project's latest
// revision nothing is written and created is false. figures is optional JSON.
func (s *Store) AddRevision(ctx context.Context, key, name, fileName, sourcePath string, content []byte, figures string) (rev Revision, created bool, err error) {
	if key == "" {
		return Revision{}, false, errors.New("a revision needs a project key")
	}
	if name == "" {
		name = fileName
	}
	name = clip(name, MaxName)
	sha := Hash(content)
	now := s.now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var pid int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM projects WHERE key = ?", key).Scan(&pid)
		if errors.Is(err, sql.ErrNoRows) {
			res, err := tx.ExecContext(ctx, "INSERT INTO projects (key, name, created, updated) VALUES (?, ?, ?, ?)",
				key, name, fmtTime(now), fmtTime(now))
			if err != nil {
				return err
			}
			if pid, err = res.LastInsertId(); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		latest, err := latestRevision(ctx, tx, pid)
		if err != nil {
			return err
		}
		if latest != nil && latest.SHA256 == sha {
			rev = *latest
			if rev.Figures == "" && figures != "" {
				if _, err := tx.ExecContext(ctx, "UPDATE revisions SET figures = ? WHERE id = ?", figures, rev.ID); err != nil {
					return err
				}
				rev.Figures = figures
			}
			return nil
		}
		seq := 1
		if latest != nil {
			seq = latest.Seq + 1
		}
		r, err := insertRevision(ctx, tx, pid, seq, fileName, sourcePath, content, sha, now, figures)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE projects SET updated = ? WHERE id = ?", fmtTime(now), pid); err != nil {
			return err
		}
		rev, created = r, true
		return nil
	})
	if err != nil {
		return Revision{}, false, fmt.Errorf("saving %s: %w", fileName, err)
	}
	return rev, created, nil
}

func insertRevision(ctx context.Context, tx *sql.Tx, pid int64, seq int, fileName, sourcePath string, content []byte, sha string, imported time.Time, figures string) (Revision, error) {
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO blobs (sha256, content, size) VALUES (?, ?, ?)", sha, content, len(content)); err != nil {
		return Revision{}, err
	}
	var fig any
	if figures != "" {
		fig = figures
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO revisions (project_id, seq, sha256, file_name, source_path, imported, figures)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, pid, seq, sha, fileName, sourcePath, fmtTime(imported), fig)
	if err != nil {
		return Revision{}, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Revision{}, err
	}
	return Revision{ID: id, ProjectID: pid, Seq: seq, SHA256: sha, FileName: fileName, SourcePath: sourcePath,
		Imported: parseTime(fmtTime(imported)), Figures: figures}, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const revisionCols = "id, project_id, seq, sha256, file_name, source_path, imported, COALESCE(figures, '')"

type scanner interface{ Scan(dest ...any) error }

func scanRevision(r scanner) (Revision, error) {
	var rev Revision
	var imported string
	err := r.Scan(&rev.ID, &rev.ProjectID, &rev.Seq, &rev.SHA256, &rev.FileName, &rev.SourcePath, &imported, &rev.Figures)
	rev.Imported = parseTime(imported)
	return rev, err
}

func latestRevision(ctx context.Context, q querier, pid int64) (*Revision, error) {
	r, err := scanRevision(q.QueryRowContext(ctx, "SELECT "+revisionCols+" FROM revisions WHERE project_id = ? ORDER BY seq DESC LIMIT 1", pid))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

const projectQuery = `SELECT p.id, p.key, p.name, p.created, p.updated,
	(SELECT COUNT(*) FROM revisions r WHERE r.project_id = p.id),
	COALESCE((SELECT r.id FROM revisions r WHERE r.project_id = p.id ORDER BY r.seq DESC LIMIT 1), 0)
	FROM projects p`

func scanProject(r scanner) (Project, error) {
	var p Project
	var created, updated string
	err := r.Scan(&p.ID, &p.Key, &p.Name, &created, &updated, &p.Revisions, &p.LatestID)
	p.Created, p.Updated = parseTime(created), parseTime(updated)
	return p, err
}

// Projects lists the projects, most recently updated first.
func (s *Store) Projects(ctx context.Context) ([]Project, error) {
	rows, err := s.db.QueryContext(ctx, projectQuery+" ORDER BY p.updated DESC, p.id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProjectsWithLatest lists the projects as Projects does, each with its
// latest revision (nil when it has none), in one query: the workbench's
// project list must not cost a query per project.
func (s *Store) ProjectsWithLatest(ctx context.Context) ([]Project, []*Revision, error) {
	// Answered from the last list while this process has written nothing
	// since (and for at most a second, for writers in other processes): the
	// project list is asked for far more often than it changes.
	gen := s.gen.Load()
	s.list.Lock()
	if s.list.ps != nil && s.list.gen == gen && time.Since(s.list.at) < time.Second {
		ps, revs := slices.Clone(s.list.ps), slices.Clone(s.list.revs)
		s.list.Unlock()
		return ps, revs, nil
	}
	s.list.Unlock()
	ps, revs, err := s.projectsWithLatest(ctx)
	if err == nil {
		s.list.Lock()
		s.list.gen, s.list.at, s.list.ps, s.list.revs = gen, time.Now(), slices.Clone(ps), slices.Clone(revs)
		s.list.Unlock()
	}
	return ps, revs, err
}

func (s *Store) projectsWithLatest(ctx context.Context) ([]Project, []*Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.key, p.name, p.created, p.updated, COALESCE(c.n, 0),
	r.id, r.project_id, r.seq, r.sha256, r.file_name, r.source_path, r.imported, COALESCE(r.figures, '')
	FROM projects p
	LEFT JOIN (SELECT project_id, COUNT(*) AS n, MAX(seq) AS last FROM revisions GROUP BY project_id) c ON c.project_id = p.id
	LEFT JOIN revisions r ON r.project_id = p.id AND r.seq = c.last
	ORDER BY p.updated DESC, p.id DESC`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	ps, revs := []Project{}, []*Revision{}
	for rows.Next() {
		var p Project
		var created, updated string
		var rid, rpid, rseq sql.NullInt64
		var sha, file, src, imported, figures sql.NullString
		if err := rows.Scan(&p.ID, &p.Key, &p.Name, &created, &updated, &p.Revisions,
			&rid, &rpid, &rseq, &sha, &file, &src, &imported, &figures); err != nil {
			return nil, nil, err
		}
		p.Created, p.Updated = parseTime(created), parseTime(updated)
		var rev *Revision
		if rid.Valid {
			p.LatestID = rid.Int64
			rev = &Revision{ID: rid.Int64, ProjectID: rpid.Int64, Seq: int(rseq.Int64), SHA256: sha.String, FileName: file.String,
				SourcePath: src.String, Imported: parseTime(imported.String), Figures: figures.String}
		}
		ps = append(ps, p)
		revs = append(revs, rev)
	}
	return ps, revs, rows.Err()
}

// Project reads one project.
func (s *Store) Project(ctx context.Context, id int64) (Project, error) {
	p, err := scanProject(s.db.QueryRowContext(ctx, projectQuery+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Project{}, fmt.Errorf("project %d: %w", id, ErrNotFound)
	}
	return p, err
}

// ProjectByKey reads the project with key; ok is false when there is none.
func (s *Store) ProjectByKey(ctx context.Context, key string) (p Project, ok bool, err error) {
	p, err = scanProject(s.db.QueryRowContext(ctx, projectQuery+" WHERE p.key = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return Project{}, false, nil
	}
	return p, err == nil, err
}

// RenameProject sets a project's name.
func (s *Store) RenameProject(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("a project name cannot be empty")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE projects SET name = ?, updated = ? WHERE id = ?", clip(name, MaxName), fmtTime(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("project %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// DeleteProject removes a project, its revisions, triage and history, and
// the template texts no other revision uses.
func (s *Store) DeleteProject(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM projects WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("project %d: %w", id, ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM revisions)")
		return err
	})
}

// Revisions lists a project's revisions, newest first.
func (s *Store) Revisions(ctx context.Context, projectID int64) ([]Revision, error) {
	if _, err := s.Project(ctx, projectID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+revisionCols+" FROM revisions WHERE project_id = ? ORDER BY seq DESC", projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Revision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision reads one revision.
func (s *Store) Revision(ctx context.Context, id int64) (Revision, error) {
	r, err := scanRevision(s.db.QueryRowContext(ctx, "SELECT "+revisionCols+" FROM revisions WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fmt.Errorf("revision %d: %w", id, ErrNotFound)
	}
	return r, err
}

// Content reads a revision's template text.
func (s *Store) Content(ctx context.Context, revisionID int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, "SELECT b.content FROM revisions r JOIN blobs b ON b.sha256 = r.sha256 WHERE r.id = ?", revisionID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("revision %d: %w", revisionID, ErrNotFound)
	}
	return b, err
}

// SetFigures records a revision's application figures (JSON).
func (s *Store) SetFigures(ctx context.Context, revisionID int64, figures string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE revisions SET figures = ? WHERE id = ?", figures, revisionID)
		return err
	})
}

// SetTriage records a decision (and appends it to the finding's history).
func (s *Store) SetTriage(ctx context.Context, t Triage) (Triage, error) {
	t.Fingerprint = strings.TrimSpace(t.Fingerprint)
	switch {
	case t.Fingerprint == "":
		return Triage{}, errors.New("triage: a finding fingerprint is required")
	case len(t.Fingerprint) > MaxFingerprint:
		return Triage{}, fmt.Errorf("triage: fingerprint longer than %d bytes", MaxFingerprint)
	case !ValidStatus(t.Status):
		return Triage{}, fmt.Errorf("triage: unknown status %q (open, needs-investigation, mitigated, accepted or false-positive)", t.Status)
	case len([]rune(t.Justification)) > MaxJustification:
		return Triage{}, fmt.Errorf("triage: justification longer than %d characters", MaxJustification)
	case len([]rune(t.Owner)) > MaxOwner:
		return Triage{}, fmt.Errorf("triage: owner longer than %d characters", MaxOwner)
	}
	t.Owner = strings.TrimSpace(t.Owner)
	t.Justification = strings.TrimSpace(t.Justification)
	t.Due, t.Ticket, t.Severity = strings.TrimSpace(t.Due), strings.TrimSpace(t.Ticket), strings.ToLower(strings.TrimSpace(t.Severity))
	if err := checkTriageExtras(t.Due, t.Ticket, t.Severity); err != nil {
		return Triage{}, err
	}
	t.Updated = parseTime(fmtTime(s.now()))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM projects WHERE id = ?", t.ProjectID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("project %d: %w", t.ProjectID, ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO triage (project_id, fingerprint, status, justification, owner, updated, due, ticket, severity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (project_id, fingerprint) DO UPDATE SET
				status = excluded.status, justification = excluded.justification,
				owner = excluded.owner, updated = excluded.updated,
				due = excluded.due, ticket = excluded.ticket, severity = excluded.severity`,
			t.ProjectID, t.Fingerprint, t.Status, t.Justification, t.Owner, fmtTime(t.Updated), t.Due, t.Ticket, t.Severity); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO triage_history (project_id, fingerprint, status, justification, owner, changed, due, ticket, severity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ProjectID, t.Fingerprint, t.Status, t.Justification, t.Owner, fmtTime(t.Updated), t.Due, t.Ticket, t.Severity)
		return err
	})
	if err != nil {
		return Triage{}, err
	}
	return t, nil
}

// Triage lists a project's decisions, by fingerprint.
func (s *Store) Triage(ctx context.Context, projectID int64) ([]Triage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT project_id, fingerprint, status, justification, owner, updated, due, ticket, severity
		FROM triage WHERE project_id = ? ORDER BY fingerprint`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Triage{}
	for rows.Next() {
		var t Triage
		var updated string
		if err := rows.Scan(&t.ProjectID, &t.Fingerprint, &t.Status, &t.Justification, &t.Owner, &updated, &t.Due, &t.Ticket, &t.Severity); err != nil {
			return nil, err
		}
		t.Updated = parseTime(updated)
		out = append(out, t)
	}
	return out, rows.Err()
}

// TriageHistory lists a finding's triage changes, newest first. An empty
// fingerprint lists the whole project's history.
func (s *Store) TriageHistory(ctx context.Context, projectID int64, fingerprint string) ([]TriageChange, error) {
	q := `SELECT fingerprint, status, justification, owner, changed, due, ticket, severity FROM triage_history WHERE project_id = ?`
	args := []any{projectID}
	if fingerprint != "" {
		q += " AND fingerprint = ?"
		args = append(args, fingerprint)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY changed DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TriageChange{}
	for rows.Next() {
		var c TriageChange
		var changed string
		if err := rows.Scan(&c.Fingerprint, &c.Status, &c.Justification, &c.Owner, &changed, &c.Due, &c.Ticket, &c.Severity); err != nil {
			return nil, err
		}
		c.Changed = parseTime(changed)
		out = append(out, c)
	}
	return out, rows.Err()
}

// TouchRecent records that path was opened (keeping the MaxRecent newest).
func (s *Store) TouchRecent(ctx context.Context, path, kind string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recent_files (path, kind, opened) VALUES (?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, opened = excluded.opened`, path, kind, fmtTime(s.now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM recent_files WHERE path NOT IN
			(SELECT path FROM recent_files ORDER BY opened DESC, path LIMIT ?)`, MaxRecent)
		return err
	})
}

// RecentFiles lists recently opened paths, newest first.
func (s *Store) RecentFiles(ctx context.Context) ([]RecentFile, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT path, kind, opened FROM recent_files ORDER BY opened DESC, path")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []RecentFile{}
	for rows.Next() {
		var r RecentFile
		var opened string
		if err := rows.Scan(&r.Path, &r.Kind, &opened); err != nil {
			return nil, err
		}
		r.Opened = parseTime(opened)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Setting reads a setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetSetting writes a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
