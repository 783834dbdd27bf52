//go:build !cgo

package code

import (
	"errors"

	"github.com/samthreat/samthreat/internal/safefs"
)

// Disclosures needs the tree-sitter grammars (cgo): without them nothing is
// looked for and callers say so.
func Disclosures(_ *safefs.FS, path string) ([]Disclosure, error) {
	return nil, errors.New("code is not parsed by this build of samthreat (tree-sitter needs cgo)")
}
