package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryWithinCeiling keeps the size targets true for everyone who
// runs go test ./...: the repository's counts may not exceed
// tools/codesize/ceiling.txt (make codesize says the same in make lint).
func TestRepositoryWithinCeiling(t *testing.T) {
	f, err := os.Open("ceiling.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ceiling, err := ParseCeiling("ceiling.txt", f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Measure(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	lines, over := Compare(res.Figures(), ceiling)
	if over {
		var b strings.Builder
		Report(&b, res)
		t.Errorf("over tools/codesize/ceiling.txt:\n  %s\n\n%s", strings.Join(lines, "\n  "), b.String())
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "below") {
			t.Log(l)
		}
	}
}
