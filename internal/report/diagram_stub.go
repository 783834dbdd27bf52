package report

import (
	"context"
	"errors"

	"github.com/samthreat/samthreat/internal/model"
)

// defaultRenderDiagram is replaced by internal/diagram once that package
// lands; until then reports say the diagram could not be drawn.
func defaultRenderDiagram(context.Context, *model.Model, string) ([]byte, error) {
	return nil, errors.New("the diagram renderer is not part of this build")
}
