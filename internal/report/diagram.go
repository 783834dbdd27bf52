package report

import (
	"context"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
)

// defaultRenderDiagram draws the whole application (internal/diagram
// collapses large ones by itself) for the HTML report and the SVG beside
// the Markdown one; the PDF lays it out for paper (renderPaper).
func defaultRenderDiagram(ctx context.Context, m *model.Model, format string) ([]byte, error) {
	o := diagram.Options{Format: format}
	if format == "png" {
		o.DPI = diagramDPI
	}
	return diagram.Render(ctx, m, o)
}
