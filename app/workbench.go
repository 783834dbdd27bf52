// Package app holds the workbench services bound to the frontend: the Wails
// desktop app binds Workbench's exported methods, and `samthreat serve`
// exposes the very same methods over HTTP (internal/web), so every feature is
// written once. The services are thin: they translate between the frontend
// and internal/ (store, analysis, blast, diagram, report). See API.md.
package app

import (
	"context"
	"errors"

	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
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
	// ExportDir is where Export and ExportProject write when given no path
	// ("" means the user's Downloads folder, else the home folder).
	ExportDir string
	// Events receives the events the frontend listens to ("progress",
	// "workspace"); the desktop build routes them to the Wails runtime, web
	// mode to server-sent events. Nil drops them.
	Events func(name string, data any)
}

// Workbench is the one service bound to the frontend.
type Workbench struct {
	cfg Config
	// runtimeCtx is the Wails runtime context from Startup (nil in web mode).
	runtimeCtx context.Context
}

var errNotYet = errors.New("not implemented yet")

// New opens (creating if needed) the workspace.
func New(cfg Config) (*Workbench, error) { return &Workbench{cfg: cfg}, nil }

// Startup is the Wails OnStartup hook: it keeps the runtime context (for
// native dialogs and events). Not callable from the frontend.
func (w *Workbench) Startup(ctx context.Context) { w.runtimeCtx = ctx }

// Shutdown is the Wails OnShutdown hook: it closes the workspace. Not
// callable from the frontend.
func (w *Workbench) Shutdown(context.Context) {}

// Close closes the workspace (for web mode and tests).
func (w *Workbench) Close() error { return nil }

// Version is the product version.
func (w *Workbench) Version() string { return w.cfg.Version }

// Status describes the workspace.
func (w *Workbench) Status() (Status, error) { return Status{}, errNotYet }

// ListProjects lists the workspace's projects, most recently updated first.
func (w *Workbench) ListProjects() ([]Project, error) { return nil, errNotYet }

// Revisions lists a project's revisions, newest first.
func (w *Workbench) Revisions(projectID int64) ([]Revision, error) { return nil, errNotYet }

// RenameProject sets a project's display name.
func (w *Workbench) RenameProject(projectID int64, name string) (Project, error) {
	return Project{}, errNotYet
}

// DeleteProject removes a project with its revisions and triage.
func (w *Workbench) DeleteProject(projectID int64) error { return errNotYet }

// ImportPath imports a template file, or every template found in a folder.
func (w *Workbench) ImportPath(path string) (ImportResult, error) { return ImportResult{}, errNotYet }

// ImportText imports template text uploaded from the browser under a file name.
func (w *Workbench) ImportText(name, text string) (ImportResult, error) {
	return ImportResult{}, errNotYet
}

// Template returns a revision's stored template text.
func (w *Workbench) Template(revisionID int64) (string, error) { return "", errNotYet }

// Analysis returns a revision's threat model with the project's triage
// applied to its findings.
func (w *Workbench) Analysis(revisionID int64) (*model.Model, error) { return nil, errNotYet }

// Diagram renders a revision's data-flow diagram as SVG.
func (w *Workbench) Diagram(revisionID int64, focus, collapse string) (string, error) {
	return "", errNotYet
}

// Triage lists a project's triage decisions.
func (w *Workbench) Triage(projectID int64) ([]TriageRecord, error) { return nil, errNotYet }

// SetTriage records a decision on a finding (by fingerprint) of a project.
func (w *Workbench) SetTriage(projectID int64, fingerprint, status, justification, owner string) (TriageRecord, error) {
	return TriageRecord{}, errNotYet
}

// TriageHistory lists the changes of one finding's triage, newest first.
func (w *Workbench) TriageHistory(projectID int64, fingerprint string) ([]TriageChange, error) {
	return nil, errNotYet
}

// Compare puts two revisions side by side (BASE, OTHER).
func (w *Workbench) Compare(baseRevisionID, otherRevisionID int64) (*blast.Comparison, error) {
	return nil, errNotYet
}

// CompareMonolith compares the revision's hypothetical monolith (BASE, all
// functions merged into one) with the application as it is (OTHER).
func (w *Workbench) CompareMonolith(revisionID int64) (*blast.Comparison, error) {
	return nil, errNotYet
}

// CompareMerge compares the application (BASE) with a what-if merge of the
// given functions (OTHER).
func (w *Workbench) CompareMerge(revisionID int64, functionIDs []string) (*blast.Comparison, error) {
	return nil, errNotYet
}

// Export writes a revision's report (pdf, md, html, sarif, json) to path.
func (w *Workbench) Export(revisionID int64, format, path string) (ExportResult, error) {
	return ExportResult{}, errNotYet
}

// RecentFiles lists the files and folders recently imported from disk.
func (w *Workbench) RecentFiles() ([]RecentFile, error) { return nil, errNotYet }

// ExportProject writes a whole project (revisions with template text, triage)
// as one JSON file.
func (w *Workbench) ExportProject(projectID int64, path string) (ExportResult, error) {
	return ExportResult{}, errNotYet
}

// ImportProject reads a project file written by ExportProject.
func (w *Workbench) ImportProject(path string) (Project, error) { return Project{}, errNotYet }

// ImportProjectText imports project-file text uploaded from the browser.
func (w *Workbench) ImportProjectText(text string) (Project, error) { return Project{}, errNotYet }
