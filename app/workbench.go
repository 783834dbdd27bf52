// Package app holds the workbench services bound to the frontend: the Wails
// desktop app binds Workbench's exported methods, and `samthreat serve`
// exposes the very same methods over HTTP (internal/web), so every feature is
// written once. The services are thin: they translate between the frontend
// and internal/ (store, analysis, blast, diagram, report). See API.md.
//
// Workbench's exported methods are exactly the API; everything else the
// hosts need (lifecycle hooks, downloads) is a package-level function so it
// is never bound.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/redact"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/store"
)

// Config opens a Workbench.
type Config struct {
	// Workspace is the SQLite workspace file; "" means DefaultWorkspace().
	Workspace string
	// Mode is "desktop" or "web" (reported by Status).
	Mode string
	// Version is the product version reported by Version and in reports.
	Version string
	// NoExample skips importing the bundled example into a new workspace.
	NoExample bool
	// CacheDir is where the bundled example is extracted (its code is read
	// from disk); "" means os.UserCacheDir()/samthreat.
	CacheDir string
	// ExportDir is where Export and ExportProject write when given no path
	// ("" means the user's Downloads folder, else the home folder).
	ExportDir string
	// Allow lists the folders a web workbench may read templates and code
	// from (serve --allow): a template uploaded as text whose name is a path
	// inside one of them is analysed with its code; with Allow set, ImportPath
	// in web mode is limited to them. Empty: uploads read no code and
	// ImportPath is not limited.
	Allow []string
	// Events receives the events the frontend listens to ("progress",
	// "workspace"); web mode routes them to server-sent events. In the
	// desktop build they also go to the Wails runtime once Startup has run.
	Events func(name string, data any)
}

// Workbench is the one service bound to the frontend.
type Workbench struct {
	cfg   Config
	store *store.Store
	ctx   context.Context // cancelled by Shutdown
	stop  context.CancelFunc
	cache *modelCache

	// runtimeCtx is the Wails runtime context from Startup (nil in web mode).
	runtimeCtx context.Context

	exampleOnce sync.Once
	exampleErr  error

	// stopImport stops the folder import that is running, if any.
	importMu   sync.Mutex
	stopImport context.CancelFunc
}

// DefaultWorkspace is the workspace used when none is chosen:
// os.UserConfigDir()/samthreat/workspace.db.
func DefaultWorkspace() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		home, herr := os.UserHomeDir()
		if herr != nil {
			return "", fmt.Errorf("no folder for the workspace (%v); choose one with --workspace", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "samthreat", "workspace.db"), nil
}

// New opens (creating if needed) the workspace. A new workspace receives
// the bundled Fresh Tracks example, analysed, unless cfg.NoExample is set.
func New(cfg Config) (*Workbench, error) {
	if cfg.Workspace == "" {
		p, err := DefaultWorkspace()
		if err != nil {
			return nil, err
		}
		cfg.Workspace = p
	}
	if cfg.Mode == "" {
		cfg.Mode = "web"
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	st, err := store.Open(cfg.Workspace)
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	w := &Workbench{cfg: cfg, store: st, ctx: ctx, stop: stop, cache: newModelCache(12)}
	if !cfg.NoExample {
		if err := w.ensureExample(); err != nil {
			st.Close()
			stop()
			return nil, err
		}
	}
	return w, nil
}

// Startup is the Wails OnStartup hook: it keeps the runtime context for
// native dialogs and events.
func Startup(w *Workbench, ctx context.Context) { w.runtimeCtx = ctx }

// Shutdown is the Wails OnShutdown hook (and web mode's): it cancels running
// work and closes the workspace.
func Shutdown(w *Workbench) error {
	w.stop()
	return w.store.Close()
}

func (w *Workbench) emit(name string, data any) {
	if w.cfg.Events != nil {
		w.cfg.Events(name, data)
	}
	w.desktopEvents(name, data)
}

func (w *Workbench) changed(projectID int64) {
	w.emit("workspace", map[string]int64{"projectId": projectID})
}

// Version is the product version.
func (w *Workbench) Version() string { return w.cfg.Version }

// Status describes the workspace.
func (w *Workbench) Status() (Status, error) {
	ctx := w.ctx
	ps, err := w.store.Projects(ctx)
	if err != nil {
		return Status{}, err
	}
	s := Status{Version: w.cfg.Version, Mode: w.cfg.Mode, Workspace: w.store.Path(), Projects: len(ps), ExampleVariants: map[string]int64{}}
	_, s.ExampleLoaded, err = w.store.Setting(ctx, settingExample)
	if err != nil {
		return Status{}, err
	}
	for _, p := range ps {
		name, ok := strings.CutPrefix(p.Key, exampleKeyPrefix)
		if !ok || p.LatestID == 0 {
			continue
		}
		if name == exampleMain {
			s.ExampleRevisionID = p.LatestID
		} else {
			s.ExampleVariants[filepath.Base(name)] = p.LatestID
		}
	}
	return s, nil
}

// ListProjects lists the workspace's projects, most recently updated first.
func (w *Workbench) ListProjects() ([]Project, error) {
	ps, latest, err := w.store.ProjectsWithLatest(w.ctx) // one query, not one per project
	if err != nil {
		return nil, err
	}
	out := make([]Project, 0, len(ps))
	for i, p := range ps {
		ap := Project{ID: p.ID, Name: p.Name, Key: p.Key, Created: p.Created, Updated: p.Updated, Revisions: p.Revisions}
		if latest[i] != nil {
			rev := revision(*latest[i])
			ap.Latest = &rev
		}
		out = append(out, ap)
	}
	return out, nil
}

func (w *Workbench) project(p store.Project) (Project, error) {
	ap := Project{ID: p.ID, Name: p.Name, Key: p.Key, Created: p.Created, Updated: p.Updated, Revisions: p.Revisions}
	if p.LatestID != 0 {
		r, err := w.store.Revision(w.ctx, p.LatestID)
		if err != nil {
			return Project{}, err
		}
		rev := revision(r)
		ap.Latest = &rev
	}
	return ap, nil
}

func (w *Workbench) projectByID(id int64) (Project, error) {
	p, err := w.store.Project(w.ctx, id)
	if err != nil {
		return Project{}, err
	}
	return w.project(p)
}

// Revisions lists a project's revisions, newest first.
func (w *Workbench) Revisions(projectID int64) ([]Revision, error) {
	rs, err := w.store.Revisions(w.ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, 0, len(rs))
	for _, r := range rs {
		out = append(out, revision(r))
	}
	return out, nil
}

// RenameProject sets a project's display name.
func (w *Workbench) RenameProject(projectID int64, name string) (Project, error) {
	if err := w.store.RenameProject(w.ctx, projectID, name); err != nil {
		return Project{}, err
	}
	w.changed(projectID)
	return w.projectByID(projectID)
}

// DeleteProject removes a project with its revisions and triage.
func (w *Workbench) DeleteProject(projectID int64) error {
	revs, err := w.store.Revisions(w.ctx, projectID)
	if err != nil {
		return err
	}
	if err := w.store.DeleteProject(w.ctx, projectID); err != nil {
		return err
	}
	for _, r := range revs {
		w.cache.drop(r.ID)
	}
	w.changed(projectID)
	return nil
}

// Template returns a revision's stored template text for display, with the
// secret values its analysis found masked (the lines keep their numbers):
// the workbench quotes template lines as evidence, and a design review is
// screen-shared. The project file (ExportProject) keeps the template as
// imported.
func (w *Workbench) Template(revisionID int64) (string, error) {
	m, _, err := w.model(revisionID)
	if err != nil {
		return "", err
	}
	b, err := w.store.Content(w.ctx, revisionID)
	if err != nil {
		return "", err
	}
	return redact.New(m).Text(string(b)), nil
}

// Analysis returns a revision's threat model with the project's triage
// applied to its findings (every finding has a triage status; "open" when
// undecided).
func (w *Workbench) Analysis(revisionID int64) (*model.Model, error) {
	m, rev, err := w.model(revisionID)
	if err != nil {
		return nil, err
	}
	return w.triaged(m, rev.ProjectID)
}

// maxSourceFile bounds the code file SourceFile returns.
const maxSourceFile = 2 << 20

// SourceFile returns the text of a code file that one of the revision's
// findings cites as evidence (a handler that parses XML, a hard-coded
// http:// URL), so a reviewer can read the lines in the workbench. Only
// files cited by the revision's own findings, inside the template's folder,
// are served: the API does not read arbitrary files.
func (w *Workbench) SourceFile(revisionID int64, file string) (string, error) {
	m, rev, err := w.model(revisionID)
	if err != nil {
		return "", err
	}
	cited := false
	for _, f := range m.Findings {
		for _, ev := range f.Evidence {
			cited = cited || (ev.File == file && file != m.Template)
		}
	}
	if !cited {
		return "", fmt.Errorf("%s is not cited by a finding of this revision", file)
	}
	rel, err := filepath.Rel(filepath.Dir(m.Template), file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%s is outside the template's folder", file)
	}
	// Read through the analysis's FS: confined with symbolic links resolved
	// (a link inside the folder to a file outside is refused), regular files
	// only, never blocking.
	b, err := w.revisionFiles(rev).ReadFile(file, safefs.Code)
	if err != nil {
		return "", fmt.Errorf("%s: %s", file, safefs.Reason(err))
	}
	if len(b) > maxSourceFile {
		return "", fmt.Errorf("%s: larger than %d bytes", file, maxSourceFile)
	}
	// A value the template holds as a secret is masked in code too.
	return redact.New(m).String(string(b)), nil
}

// Diagram renders a revision's data-flow diagram as SVG. focus is a model
// id: a function (what it reaches: its blast radius) or a resource (what
// reaches it), "" for none; collapse is "" (automatic for big applications),
// "none", "api", "trigger" or "codeuri".
func (w *Workbench) Diagram(revisionID int64, focus, collapse string) (string, error) {
	if renderSVG == nil {
		return "", errors.New("diagrams are not available in this build")
	}
	m, err := w.Analysis(revisionID) // triaged: badges count open findings only
	if err != nil {
		return "", err
	}
	svg, err := renderSVG(w.ctx, m, strings.TrimSpace(focus), strings.TrimSpace(collapse))
	if err != nil {
		return "", fmt.Errorf("diagram of %s: %w", filepath.Base(m.Template), err)
	}
	return string(svg), nil
}

// Triage lists a project's triage decisions.
func (w *Workbench) Triage(projectID int64) ([]TriageRecord, error) {
	ts, err := w.store.Triage(w.ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := make([]TriageRecord, 0, len(ts))
	for _, t := range ts {
		out = append(out, triageRecord(t))
	}
	return out, nil
}

// SetTriage records a decision on a finding (by fingerprint) of a project.
// The decision applies to the finding in every revision of the project.
func (w *Workbench) SetTriage(projectID int64, fingerprint, status, justification, owner string) (TriageRecord, error) {
	// The due date, ticket and severity override of an earlier decision stay.
	in := TriageInput{Status: status, Justification: justification, Owner: owner}
	ts, err := w.store.Triage(w.ctx, projectID)
	if err != nil {
		return TriageRecord{}, err
	}
	for _, t := range ts {
		if t.Fingerprint == strings.TrimSpace(fingerprint) {
			in.Due, in.Ticket, in.Severity = t.Due, t.Ticket, t.Severity
		}
	}
	return w.SetTriageDetails(projectID, fingerprint, in)
}

// SetTriageDetails records a whole decision: status (also
// needs-investigation), justification, owner, due date (YYYY-MM-DD), ticket
// (an http(s) link or a key such as SEC-123) and severity override.
func (w *Workbench) SetTriageDetails(projectID int64, fingerprint string, in TriageInput) (TriageRecord, error) {
	t, err := w.store.SetTriage(w.ctx, store.Triage{ProjectID: projectID, Fingerprint: fingerprint, Status: in.Status,
		Justification: in.Justification, Owner: in.Owner, Due: in.Due, Ticket: in.Ticket, Severity: in.Severity})
	if err != nil {
		return TriageRecord{}, err
	}
	w.changed(projectID)
	return triageRecord(t), nil
}

// TriageHistory lists the changes of one finding's triage, newest first.
func (w *Workbench) TriageHistory(projectID int64, fingerprint string) ([]TriageChange, error) {
	if _, err := w.store.Project(w.ctx, projectID); err != nil {
		return nil, err
	}
	hs, err := w.store.TriageHistory(w.ctx, projectID, fingerprint)
	if err != nil {
		return nil, err
	}
	out := make([]TriageChange, 0, len(hs))
	for _, h := range hs {
		out = append(out, TriageChange{Status: h.Status, Justification: h.Justification, Owner: h.Owner, Changed: h.Changed,
			Due: h.Due, Ticket: h.Ticket, Severity: h.Severity})
	}
	return out, nil
}

// Compare puts two revisions side by side (BASE, OTHER), also of different
// projects (an application and its variant).
func (w *Workbench) Compare(baseRevisionID, otherRevisionID int64) (*blast.Comparison, error) {
	base, err := w.Analysis(baseRevisionID)
	if err != nil {
		return nil, err
	}
	other, err := w.Analysis(otherRevisionID)
	if err != nil {
		return nil, err
	}
	c := blast.Compare(base, other)
	c.BaseKind, c.OtherKind = blast.SideTemplate, blast.SideTemplate
	c.Notes = []string{blast.MonolithNote}
	return c, nil
}

// CompareMonolith compares the revision's hypothetical monolith (BASE: all
// functions merged into one) with the application as it is (OTHER), so the
// ratio is the split application's impact over the monolith's.
func (w *Workbench) CompareMonolith(revisionID int64) (*blast.Comparison, error) {
	m, err := w.Analysis(revisionID)
	if err != nil {
		return nil, err
	}
	mono, ids, err := blast.Monolith(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(m.Template), err)
	}
	c := blast.Compare(mono, m)
	c.Merged = ids
	c.BaseKind, c.OtherKind = blast.SideMonolith, blast.SideTemplate
	c.Notes = []string{blast.MonolithNote}
	return c, nil
}

// CompareMerge compares the application (BASE) with a what-if in which the
// given functions are one function (OTHER).
func (w *Workbench) CompareMerge(revisionID int64, functionIDs []string) (*blast.Comparison, error) {
	m, err := w.Analysis(revisionID)
	if err != nil {
		return nil, err
	}
	merged, err := blast.Merge(m, functionIDs)
	if err != nil {
		return nil, err
	}
	c := blast.Compare(m, merged)
	c.Merged = append([]string{}, functionIDs...)
	c.BaseKind, c.OtherKind = blast.SideTemplate, blast.SideMerge
	return c, nil
}

// RecentFiles lists the files and folders recently imported from disk.
func (w *Workbench) RecentFiles() ([]RecentFile, error) {
	rs, err := w.store.RecentFiles(w.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RecentFile, 0, len(rs))
	for _, r := range rs {
		_, statErr := os.Stat(r.Path)
		out = append(out, RecentFile{Path: r.Path, Kind: r.Kind, Opened: r.Opened, Exists: statErr == nil})
	}
	return out, nil
}

func revision(r store.Revision) Revision {
	out := Revision{ID: r.ID, ProjectID: r.ProjectID, Seq: r.Seq, SHA256: r.SHA256, FileName: r.FileName,
		SourcePath: r.SourcePath, Imported: r.Imported}
	out.Figures = decodeFigures(r.Figures)
	return out
}

func triageRecord(t store.Triage) TriageRecord {
	return TriageRecord{ProjectID: t.ProjectID, Fingerprint: t.Fingerprint, Status: t.Status,
		Justification: t.Justification, Owner: t.Owner, Updated: t.Updated,
		Due: t.Due, Ticket: t.Ticket, Severity: t.Severity}
}
