package store

// A migration moves the schema from version-1 to version. Migrations are
// append-only: a released one is never edited, so every workspace ever
// written can be brought forward. Each runs in its own transaction together
// with the PRAGMA user_version bump, so a crash leaves the old or the new
// schema, never half of one.
type migration struct {
	version int
	name    string
	sql     string
}

var migrations = []migration{
	{1, "initial schema", `
CREATE TABLE projects (
	id       INTEGER PRIMARY KEY,
	key      TEXT NOT NULL UNIQUE,           -- absolute template path, or upload:<name>
	name     TEXT NOT NULL,
	created  TEXT NOT NULL,                  -- RFC 3339, UTC
	updated  TEXT NOT NULL
);
CREATE TABLE blobs (                         -- template texts, content-addressed
	sha256   TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	content  BLOB NOT NULL,
	size     INTEGER NOT NULL
);
CREATE TABLE revisions (
	id          INTEGER PRIMARY KEY,
	project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	sha256      TEXT NOT NULL REFERENCES blobs(sha256),
	file_name   TEXT NOT NULL,
	source_path TEXT NOT NULL DEFAULT '',
	imported    TEXT NOT NULL,
	UNIQUE (project_id, seq)
);
CREATE INDEX revisions_sha ON revisions(sha256);
CREATE TABLE triage (
	project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	fingerprint   TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('open','mitigated','accepted','false-positive')),
	justification TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',
	updated       TEXT NOT NULL,
	PRIMARY KEY (project_id, fingerprint)
);
CREATE TABLE recent_files (
	path    TEXT PRIMARY KEY,
	kind    TEXT NOT NULL,
	opened  TEXT NOT NULL
);
`},
	{2, "triage history and settings", `
CREATE TABLE triage_history (
	id            INTEGER PRIMARY KEY,
	project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	fingerprint   TEXT NOT NULL,
	status        TEXT NOT NULL,
	justification TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',
	changed       TEXT NOT NULL
);
CREATE INDEX triage_history_key ON triage_history(project_id, fingerprint);
-- the decisions made before history existed become its first entries
INSERT INTO triage_history (project_id, fingerprint, status, justification, owner, changed)
	SELECT project_id, fingerprint, status, justification, owner, updated FROM triage;
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`},
	{3, "revision figures", `
ALTER TABLE revisions ADD COLUMN figures TEXT;  -- JSON application figures at import, NULL before v3
`},
	// SQLite cannot change a CHECK constraint: the triage table is rebuilt
	// with the fifth status and copied over.
	{4, "triage: needs-investigation, due date, ticket, severity override", `
CREATE TABLE triage_v4 (
	project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	fingerprint   TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('open','needs-investigation','mitigated','accepted','false-positive')),
	justification TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',
	updated       TEXT NOT NULL,
	due           TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD or ''
	ticket        TEXT NOT NULL DEFAULT '',  -- issue tracker URL or key
	severity      TEXT NOT NULL DEFAULT '',  -- severity override, '' for the rule's
	PRIMARY KEY (project_id, fingerprint)
);
INSERT INTO triage_v4 (project_id, fingerprint, status, justification, owner, updated)
	SELECT project_id, fingerprint, status, justification, owner, updated FROM triage;
DROP TABLE triage;
ALTER TABLE triage_v4 RENAME TO triage;
ALTER TABLE triage_history ADD COLUMN due TEXT NOT NULL DEFAULT '';
ALTER TABLE triage_history ADD COLUMN ticket TEXT NOT NULL DEFAULT '';
ALTER TABLE triage_history ADD COLUMN severity TEXT NOT NULL DEFAULT '';
`},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }
