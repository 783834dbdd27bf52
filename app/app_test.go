package app

import (
	"path/filepath"
	"testing"
	"time"
)

func newTestWorkbench(t *testing.T, cfg Config) *Workbench {
	t.Helper()
	dir := t.TempDir()
	if cfg.Workspace == "" {
		cfg.Workspace = filepath.Join(dir, "workspace.db")
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(dir, "cache")
	}
	if cfg.ExportDir == "" {
		cfg.ExportDir = filepath.Join(dir, "exports")
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	start := time.Now()
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("New: %v", time.Since(start))
	t.Cleanup(func() { Shutdown(w) })
	return w
}

func TestSmoke(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, err := w.Status()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", s)
	start := time.Now()
	m, err := w.Analysis(s.ExampleRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("analysis %v: %d functions %d findings", time.Since(start), len(m.Functions), len(m.Findings))
}
