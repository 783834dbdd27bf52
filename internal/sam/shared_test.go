package sam

import (
	"testing"

	"github.com/samthreat/samthreat/internal/testshared"
)

func sharedDir(t testing.TB) string     { return testshared.Dir(t) }
func corpusFiles(t testing.TB) []string { return testshared.CorpusFiles(t) }
