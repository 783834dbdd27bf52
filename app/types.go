package app

import (
	"time"

	"github.com/samthreat/samthreat/internal/blast"
)

// Status describes the open workspace, for the status bar and first-run logic.
type Status struct {
	Version   string `json:"version"`
	Mode      string `json:"mode"`      // "desktop" or "web"
	Workspace string `json:"workspace"` // path of the SQLite workspace file
	Projects  int    `json:"projects"`
	// ExampleLoaded is true once the bundled Fresh Tracks example has been
	// imported into this workspace (done automatically on first run).
	ExampleLoaded bool `json:"exampleLoaded"`
	// ExampleRevisionID is the revision of the example's template.yaml, the
	// one to open on first run (0 when the example is not in the workspace).
	ExampleRevisionID int64 `json:"exampleRevisionId"`
	// ExampleVariants are the example's other templates by file name
	// ("template-least-privilege.yaml", "template-monolith.yaml") -> revision id,
	// for "compare with the least-privilege variant".
	ExampleVariants map[string]int64 `json:"exampleVariants"`
}

// Project is one application template tracked in the workspace. A project is
// identified by where its template comes from (Key): the absolute path for a
// file import, "upload:<name>" for a browser upload.
type Project struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Key       string    `json:"key"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Revisions int       `json:"revisions"`
	Latest    *Revision `json:"latest,omitempty"`
}

// Revision is one import of a project's template. Its text is stored
// content-addressed by SHA-256: importing unchanged text again creates nothing.
type Revision struct {
	ID         int64          `json:"id"`
	ProjectID  int64          `json:"projectId"`
	Seq        int            `json:"seq"` // 1, 2, 3... within the project
	SHA256     string         `json:"sha256"`
	FileName   string         `json:"fileName"`   // base name of the template
	SourcePath string         `json:"sourcePath"` // where it was read from ("" for uploads); code is looked up beside it
	Imported   time.Time      `json:"imported"`
	Figures    *blast.Figures `json:"figures,omitempty"` // application figures at import time
}

// ImportedRevision is one template handled by an import.
type ImportedRevision struct {
	Revision Revision `json:"revision"`
	Project  Project  `json:"project"`
	// Created is false when the template was unchanged since the project's
	// latest revision (a no-op: Revision is that latest revision).
	Created bool `json:"created"`
}

// ImportError is a template an import could not read, with a one-line message
// that starts with file:line where known.
type ImportError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// ImportResult is what an import did: every template found, and those that failed.
type ImportResult struct {
	Imported []ImportedRevision `json:"imported"`
	Errors   []ImportError      `json:"errors"`
	// Stopped is true when the user stopped a folder import (CancelImport):
	// what was imported before stays; Remaining templates were not read.
	Stopped   bool `json:"stopped,omitempty"`
	Remaining int  `json:"remaining,omitempty"`
}

// TriageRecord is a reviewer's decision on one finding of a project, keyed by
// the finding's fingerprint so it follows the finding across revisions.
type TriageRecord struct {
	ProjectID     int64     `json:"projectId"`
	Fingerprint   string    `json:"fingerprint"`
	Status        string    `json:"status"` // open | needs-investigation | mitigated | accepted | false-positive
	Justification string    `json:"justification"`
	Owner         string    `json:"owner"`
	Updated       time.Time `json:"updated"`
	Due           string    `json:"due"`      // YYYY-MM-DD or ""
	Ticket        string    `json:"ticket"`   // issue tracker URL or key, or ""
	Severity      string    `json:"severity"` // severity override, "" for the rule's
}

// TriageInput is a whole triage decision (SetTriageDetails).
type TriageInput struct {
	Status        string `json:"status"`
	Justification string `json:"justification"`
	Owner         string `json:"owner"`
	Due           string `json:"due"`
	Ticket        string `json:"ticket"`
	Severity      string `json:"severity"`
}

// TriageChange is one entry of a finding's triage history.
type TriageChange struct {
	Status        string    `json:"status"`
	Justification string    `json:"justification"`
	Owner         string    `json:"owner"`
	Changed       time.Time `json:"changed"`
	Due           string    `json:"due,omitempty"`
	Ticket        string    `json:"ticket,omitempty"`
	Severity      string    `json:"severity,omitempty"`
}

// ExportResult says where an export went.
type ExportResult struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Bytes  int64  `json:"bytes"`
}

// RecentFile is a file or folder imported from disk.
type RecentFile struct {
	Path   string    `json:"path"`
	Kind   string    `json:"kind"` // file | folder | project
	Opened time.Time `json:"opened"`
	Exists bool      `json:"exists"`
}

// Progress is the payload of the "progress" event.
type Progress struct {
	Job   string `json:"job"` // import | export | analysis
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Item  string `json:"item"`
}
