//go:build !cgo

package code

import (
	"errors"

	"github.com/samthreat/samthreat/internal/safefs"
)

// FileUses needs the tree-sitter grammars, which need cgo: without them no
// code is read, and callers say so instead of guessing from text.
func FileUses(path string) (*Uses, error) {
	return nil, errors.New("code is not parsed by this build of samthreat (tree-sitter needs cgo)")
}

// FileUsesFS is FileUses reading through fsys.
func FileUsesFS(_ *safefs.FS, path string) (*Uses, error) { return FileUses(path) }
