//go:build !cgo

package code

import "errors"

// FileUses needs the tree-sitter grammars, which need cgo: without them no
// code is read, and callers say so instead of guessing from text.
func FileUses(path string) (*Uses, error) {
	return nil, errors.New("code is not parsed by this build of samthreat (tree-sitter needs cgo)")
}
