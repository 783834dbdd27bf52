//go:build !cgo

package code

import (
	"errors"

	"github.com/samthreat/samthreat/internal/safefs"
)

// EventFlows needs the tree-sitter grammars (cgo); without them no flow is
// followed and callers say so.
func EventFlows(path, handler string) ([]Flow, error) {
	return nil, errors.New("code is not parsed by this build of samthreat (tree-sitter needs cgo)")
}

// EventFlowsFS is EventFlows reading through fsys.
func EventFlowsFS(_ *safefs.FS, path, handler string) ([]Flow, error) {
	return EventFlows(path, handler)
}
