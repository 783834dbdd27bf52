package app

import (
	"path/filepath"
	"testing"
)

// BenchmarkNewWorkspace is a first launch: a new workspace and the bundled
// example imported and analysed.
func BenchmarkNewWorkspace(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		w, err := New(Config{Workspace: filepath.Join(dir, "w.db"), CacheDir: filepath.Join(dir, "c"), Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		Shutdown(w)
	}
}

// BenchmarkReopenWorkspace is every later launch.
func BenchmarkReopenWorkspace(b *testing.B) {
	dir := b.TempDir()
	cfg := Config{Workspace: filepath.Join(dir, "w.db"), CacheDir: filepath.Join(dir, "c"), Version: "bench"}
	w, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	Shutdown(w)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		Shutdown(w)
	}
}

// BenchmarkAnalysisCached is opening a revision already analysed (the
// common case): triage read and applied to a copy.
func BenchmarkAnalysisCached(b *testing.B) {
	dir := b.TempDir()
	w, err := New(Config{Workspace: filepath.Join(dir, "w.db"), CacheDir: filepath.Join(dir, "c"), Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer Shutdown(w)
	s, _ := w.Status()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.Analysis(s.ExampleRevisionID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalysisCold is opening a revision after a restart (the template
// is analysed again, code included).
func BenchmarkAnalysisCold(b *testing.B) {
	dir := b.TempDir()
	w, err := New(Config{Workspace: filepath.Join(dir, "w.db"), CacheDir: filepath.Join(dir, "c"), Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer Shutdown(w)
	s, _ := w.Status()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.cache.drop(s.ExampleRevisionID)
		if _, err := w.Analysis(s.ExampleRevisionID); err != nil {
			b.Fatal(err)
		}
	}
}
