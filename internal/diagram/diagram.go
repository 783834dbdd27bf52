// Package diagram draws samthreat's threat model as a data-flow diagram:
// trust boundaries as clusters (Internet and clients, the API layer, the AWS
// account with its VPCs, third parties), nodes shaped by kind, functions
// filled by blast-radius score with a badge for their most severe open
// findings, edges labelled with the trigger or the IAM access level. It
// renders SVG and PNG with go-graphviz (Graphviz compiled to WebAssembly, no
// external dot binary) and writes deterministic DOT.
//
// Views: the whole application; a focus on one element (a function and
// everything it can reach, or a resource and everything that can reach it);
// and collapsed views for large applications, grouping functions by API, by
// trigger or by CodeUri folder. See docs/diagram.md.
package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Options choose the output and the view.
type Options struct {
	Format   string // "svg" (default), "png", "dot"
	Focus    string // "" or a model id: a function (everything it reaches) or a resource (everything reaching it)
	Collapse string // "" = auto (collapse above AutoCollapseFunctions/AutoCollapseNodes), "none", "api", "trigger", "codeuri"
	DPI      int    // PNG resolution, 0 = default (96)
	// NoLegend leaves the legend out of the drawing (the PDF report prints
	// it as text beside the diagram, so the drawing can be larger).
	NoLegend bool
}

// Formats lists the output formats.
var Formats = []string{"svg", "png", "dot"}

// CollapseModes lists the values of Options.Collapse ("" is auto).
var CollapseModes = []string{CollapseNone, CollapseAPI, CollapseTrigger, CollapseCodeURI}

// MaxDPI bounds Options.DPI.
const MaxDPI = 600

// Validate reports options no diagram can be drawn with (unknown format or
// collapse mode, DPI out of range), so callers can fail before analysing.
func (o Options) Validate() error {
	switch o.Format {
	case "", "svg", "png", "dot":
	default:
		return fmt.Errorf("unknown diagram format %q (one of %s)", o.Format, strings.Join(Formats, ", "))
	}
	switch o.Collapse {
	case CollapseAuto, CollapseNone, CollapseAPI, CollapseTrigger, CollapseCodeURI:
	default:
		return fmt.Errorf("unknown collapse mode %q (one of %s)", o.Collapse, strings.Join(CollapseModes, ", "))
	}
	if o.DPI < 0 || o.DPI > MaxDPI {
		return fmt.Errorf("DPI %d out of range (1-%d, 0 for the default)", o.DPI, MaxDPI)
	}
	return nil
}

// ErrNoModel is returned for a nil model.
var ErrNoModel = errors.New("diagram: no model")

// prepare builds the view the options ask for.
func prepare(m *model.Model, o Options) (*ggraph, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, ErrNoModel
	}
	v := newView(m)
	if o.Focus != "" {
		id, err := v.resolve(o.Focus)
		if err != nil {
			return nil, err
		}
		v.applyFocus(id)
	}
	mode := o.Collapse
	if mode == CollapseAuto {
		mode = CollapseNone
		if fns, all := v.counts(); fns > AutoCollapseFunctions || all > AutoCollapseNodes {
			mode = v.chooseAuto()
		}
	}
	if mode != CollapseNone {
		v.applyCollapse(mode)
	}
	g := build(v)
	if o.NoLegend {
		g.attrs["label"] = plain("")
	}
	return g, nil
}

// DOT returns the diagram as DOT text, without layout. The same model and
// options always give the same bytes: nodes, edges and attributes are sorted.
func DOT(m *model.Model, o Options) ([]byte, error) {
	g, err := prepare(m, o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	g.writeDOT(&buf)
	return buf.Bytes(), nil
}

// Render lays the diagram out and returns it as SVG (the default), PNG or
// DOT. It is safe for concurrent use: renders are serialised on one
// process-wide go-graphviz instance (its WebAssembly module is global and not
// goroutine-safe). ctx is checked before and after the layout, which itself
// cannot be interrupted.
func Render(ctx context.Context, m *model.Model, o Options) ([]byte, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Format == "dot" {
		return DOT(m, o)
	}
	g, err := prepare(m, o)
	if err != nil {
		return nil, err
	}
	format := o.Format
	if format == "" {
		format = "svg"
	}
	return render(ctx, g, format, o.DPI)
}
