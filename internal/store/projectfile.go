package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
	"unicode/utf8"
)

// ProjectFileFormat and ProjectFileVersion identify a project file.
const (
	ProjectFileFormat  = "samthreat-project"
	ProjectFileVersion = 1
	// MaxProjectFile bounds what ReadProjectFile accepts.
	MaxProjectFile = 256 << 20
)

// ProjectFile is a whole project as one JSON document, for sharing: its
// revisions with their template text, its triage and the triage history.
type ProjectFile struct {
	Format        string              `json:"format"`
	Version       int                 `json:"version"`
	Exported      time.Time           `json:"exported"`
	Project       ProjectFileProject  `json:"project"`
	Revisions     []ProjectFileRev    `json:"revisions"`
	Triage        []ProjectFileTriage `json:"triage"`
	TriageHistory []ProjectFileTriage `json:"triageHistory"`
}

// ProjectFileProject identifies the project.
type ProjectFileProject struct {
	Key     string    `json:"key"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// ProjectFileRev is one revision; Template holds UTF-8 text, TemplateBase64
// any other bytes.
type ProjectFileRev struct {
	Seq            int             `json:"seq"`
	SHA256         string          `json:"sha256"`
	FileName       string          `json:"fileName"`
	SourcePath     string          `json:"sourcePath,omitempty"`
	Imported       time.Time       `json:"imported"`
	Figures        json.RawMessage `json:"figures,omitempty"`
	Template       string          `json:"template,omitempty"`
	TemplateBase64 string          `json:"templateBase64,omitempty"`
}

// ProjectFileTriage is one decision (Updated) or one history entry (Changed
// in history, carried in Updated).
type ProjectFileTriage struct {
	Fingerprint   string    `json:"fingerprint"`
	Status        string    `json:"status"`
	Justification string    `json:"justification,omitempty"`
	Owner         string    `json:"owner,omitempty"`
	Updated       time.Time `json:"updated"`
	Due           string    `json:"due,omitempty"`      // since schema v4
	Ticket        string    `json:"ticket,omitempty"`   // since schema v4
	Severity      string    `json:"severity,omitempty"` // since schema v4: override
}

func (r ProjectFileRev) content() ([]byte, error) {
	if r.TemplateBase64 != "" {
		return base64.StdEncoding.DecodeString(r.TemplateBase64)
	}
	return []byte(r.Template), nil
}

// ExportProject gathers a project into a ProjectFile.
func (s *Store) ExportProject(ctx context.Context, id int64) (*ProjectFile, error) {
	p, err := s.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	f := &ProjectFile{Format: ProjectFileFormat, Version: ProjectFileVersion, Exported: parseTime(fmtTime(s.now())),
		Project:   ProjectFileProject{Key: p.Key, Name: p.Name, Created: p.Created},
		Revisions: []ProjectFileRev{}, Triage: []ProjectFileTriage{}, TriageHistory: []ProjectFileTriage{}}
	revs, err := s.Revisions(ctx, id)
	if err != nil {
		return nil, err
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Seq < revs[j].Seq })
	for _, r := range revs {
		b, err := s.Content(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		fr := ProjectFileRev{Seq: r.Seq, SHA256: r.SHA256, FileName: r.FileName, SourcePath: r.SourcePath, Imported: r.Imported}
		if r.Figures != "" && json.Valid([]byte(r.Figures)) {
			fr.Figures = json.RawMessage(r.Figures)
		}
		if utf8.Valid(b) {
			fr.Template = string(b)
		} else {
			fr.TemplateBase64 = base64.StdEncoding.EncodeToString(b)
		}
		f.Revisions = append(f.Revisions, fr)
	}
	ts, err := s.Triage(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		f.Triage = append(f.Triage, ProjectFileTriage{Fingerprint: t.Fingerprint, Status: t.Status, Justification: t.Justification, Owner: t.Owner, Updated: t.Updated,
			Due: t.Due, Ticket: t.Ticket, Severity: t.Severity})
	}
	hs, err := s.TriageHistory(ctx, id, "")
	if err != nil {
		return nil, err
	}
	for i := len(hs) - 1; i >= 0; i-- { // oldest first in the file
		h := hs[i]
		f.TriageHistory = append(f.TriageHistory, ProjectFileTriage{Fingerprint: h.Fingerprint, Status: h.Status, Justification: h.Justification, Owner: h.Owner, Updated: h.Changed,
			Due: h.Due, Ticket: h.Ticket, Severity: h.Severity})
	}
	return f, nil
}

// WriteProjectFile encodes f as indented JSON.
func WriteProjectFile(w io.Writer, f *ProjectFile) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// ReadProjectFile decodes and validates a project file.
func ReadProjectFile(r io.Reader) (*ProjectFile, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxProjectFile+1))
	dec.DisallowUnknownFields()
	var f ProjectFile
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not a samthreat project file: JSON syntax error at byte %d: %v", se.Offset, err)
		}
		return nil, fmt.Errorf("not a samthreat project file: %v", err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate checks a decoded project file.
func (f *ProjectFile) Validate() error {
	if f.Format != ProjectFileFormat {
		return fmt.Errorf("not a samthreat project file (format %q, want %q)", f.Format, ProjectFileFormat)
	}
	if f.Version < 1 || f.Version > ProjectFileVersion {
		return fmt.Errorf("project file version %d is not supported (this build reads 1 to %d)", f.Version, ProjectFileVersion)
	}
	if f.Project.Key == "" {
		return errors.New("project file: project.key is empty")
	}
	for i, r := range f.Revisions {
		b, err := r.content()
		if err != nil {
			return fmt.Errorf("project file: revisions[%d]: templateBase64: %v", i, err)
		}
		if Hash(b) != r.SHA256 {
			return fmt.Errorf("project file: revisions[%d] (%s): template text does not match its sha256", i, r.FileName)
		}
		if r.FileName == "" {
			return fmt.Errorf("project file: revisions[%d]: fileName is empty", i)
		}
	}
	for _, list := range [][]ProjectFileTriage{f.Triage, f.TriageHistory} {
		for i, t := range list {
			if t.Fingerprint == "" || len(t.Fingerprint) > MaxFingerprint {
				return fmt.Errorf("project file: triage[%d]: bad fingerprint", i)
			}
			if !ValidStatus(t.Status) {
				return fmt.Errorf("project file: triage[%d] (%s): unknown status %q", i, t.Fingerprint, t.Status)
			}
			if err := checkTriageExtras(t.Due, t.Ticket, t.Severity); err != nil {
				return fmt.Errorf("project file: triage[%d] (%s): %w", i, t.Fingerprint, err)
			}
		}
	}
	return nil
}

// ImportProject adds a project file to the workspace in one transaction. A
// project with the same key is merged into: revisions it lacks (same text
// and import time) are appended, each finding keeps the newer decision, and
// history entries it lacks are added.
func (s *Store) ImportProject(ctx context.Context, f *ProjectFile) (int64, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	var pid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var err error
		if pid, err = importProjectRow(ctx, tx, f.Project, now); err != nil {
			return err
		}
		if err := importRevisions(ctx, tx, pid, f.Revisions); err != nil {
			return err
		}
		if err := importTriage(ctx, tx, pid, f.Triage); err != nil {
			return err
		}
		if err := importTriageHistory(ctx, tx, pid, f.TriageHistory); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE projects SET updated = ? WHERE id = ?", fmtTime(now), pid)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("importing project %s: %w", f.Project.Name, err)
	}
	return pid, nil
}

// importProjectRow finds the project with the file's key, or creates it
// (its name defaulting to the key, its creation time to now).
func importProjectRow(ctx context.Context, tx *sql.Tx, p ProjectFileProject, now time.Time) (int64, error) {
	var pid int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM projects WHERE key = ?", p.Key).Scan(&pid)
	if !errors.Is(err, sql.ErrNoRows) {
		return pid, err
	}
	created := p.Created
	if created.IsZero() {
		created = now
	}
	name := p.Name
	if name == "" {
		name = p.Key
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO projects (key, name, created, updated) VALUES (?, ?, ?, ?)",
		p.Key, clip(name, MaxName), fmtTime(created), fmtTime(now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// importRevisions appends, in the file's order, the revisions the project
// lacks (same text and import time: already there).
func importRevisions(ctx context.Context, tx *sql.Tx, pid int64, revisions []ProjectFileRev) error {
	revs := append([]ProjectFileRev(nil), revisions...)
	sort.SliceStable(revs, func(i, j int) bool { return revs[i].Seq < revs[j].Seq })
	for _, r := range revs {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM revisions WHERE project_id = ? AND sha256 = ? AND imported = ?",
			pid, r.SHA256, fmtTime(r.Imported)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		var seq int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM revisions WHERE project_id = ?", pid).Scan(&seq); err != nil {
			return err
		}
		b, _ := r.content()
		figures := ""
		if len(r.Figures) > 0 {
			var c bytes.Buffer
			if json.Compact(&c, r.Figures) == nil {
				figures = c.String()
			}
		}
		if _, err := insertRevision(ctx, tx, pid, seq, r.FileName, r.SourcePath, b, r.SHA256, r.Imported, figures); err != nil {
			return err
		}
	}
	return nil
}

// importTriage sets each finding's decision unless the project holds a newer one.
func importTriage(ctx context.Context, tx *sql.Tx, pid int64, triage []ProjectFileTriage) error {
	for _, t := range triage {
		if _, err := tx.ExecContext(ctx, `INSERT INTO triage (project_id, fingerprint, status, justification, owner, updated, due, ticket, severity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (project_id, fingerprint) DO UPDATE SET
				status = excluded.status, justification = excluded.justification,
				owner = excluded.owner, updated = excluded.updated,
				due = excluded.due, ticket = excluded.ticket, severity = excluded.severity
			WHERE excluded.updated > triage.updated`,
			pid, t.Fingerprint, t.Status, clip(t.Justification, MaxJustification), clip(t.Owner, MaxOwner), fmtTime(t.Updated), t.Due, t.Ticket, t.Severity); err != nil {
			return err
		}
	}
	return nil
}

// importTriageHistory adds the history entries the project lacks.
func importTriageHistory(ctx context.Context, tx *sql.Tx, pid int64, history []ProjectFileTriage) error {
	for _, h := range history {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM triage_history WHERE project_id = ? AND fingerprint = ?
			AND status = ? AND changed = ? AND justification = ? AND owner = ?`,
			pid, h.Fingerprint, h.Status, fmtTime(h.Updated), h.Justification, h.Owner).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO triage_history (project_id, fingerprint, status, justification, owner, changed, due, ticket, severity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, pid, h.Fingerprint, h.Status, clip(h.Justification, MaxJustification), clip(h.Owner, MaxOwner), fmtTime(h.Updated), h.Due, h.Ticket, h.Severity); err != nil {
			return err
		}
	}
	return nil
}
