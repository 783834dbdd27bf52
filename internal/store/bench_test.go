package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Figures for the closing notes: the cost of one durable write
// (synchronous=FULL: an fsync per commit) and of the reads the UI makes.

func BenchmarkAddRevision(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "w.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	pad := strings.Repeat("# a 20 KB template\n", 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte(fmt.Sprint(i)+pad), ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetTriage(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "w.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	r, _, err := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.SetTriage(ctx, Triage{ProjectID: r.ProjectID, Fingerprint: fmt.Sprintf("R@F%d", i%200), Status: StatusAccepted}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTriageRead200(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "w.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	r, _, _ := s.AddRevision(ctx, "k", "app", "t.yaml", "", []byte("x"), "")
	for i := 0; i < 200; i++ {
		if _, err := s.SetTriage(ctx, Triage{ProjectID: r.ProjectID, Fingerprint: fmt.Sprintf("R@F%d", i), Status: StatusAccepted}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ts, err := s.Triage(ctx, r.ProjectID); err != nil || len(ts) != 200 {
			b.Fatal(len(ts), err)
		}
	}
}
