// Package adapt turns a parsed template into the threat model, one file per
// SAM/CloudFormation resource family.
package adapt

import (
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// Build models a parsed template. STUB: replaced by the foundation work.
func Build(t *sam.Template) (*model.Model, error) {
	return &model.Model{Template: t.File, Parsed: t}, nil
}
