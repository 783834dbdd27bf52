package report

import (
	"context"

	"github.com/samthreat/samthreat/internal/diagram"
	"github.com/samthreat/samthreat/internal/model"
)

// defaultRenderDiagram draws the whole application (internal/diagram
// collapses large ones by itself); PNG at diagramDPI for the PDF.
func defaultRenderDiagram(ctx context.Context, m *model.Model, format string) ([]byte, error) {
	o := diagram.Options{Format: format}
	if format == "png" {
		// The PDF prints the legend as text: the drawing gets the page.
		o.DPI, o.NoLegend = diagramDPI, true
	}
	return diagram.Render(ctx, m, o)
}
