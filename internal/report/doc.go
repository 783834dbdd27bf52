package report

// The report is built once as a list of blocks (this file's types) from the
// model, then laid out by each format: Markdown (and HTML from it) and PDF.
// Blocks carry plain domain text only; every renderer escapes or sanitises
// it for its own syntax, so nothing from a template is ever interpreted.

// style of a run of text.
type style int

const (
	plain style = iota
	bold
	italic
	mono
)

// span is a run of text in one style.
type span struct {
	Text  string
	Style style
}

func txt(s string) span    { return span{Text: s} }
func strong(s string) span { return span{Text: s, Style: bold} }
func em(s string) span     { return span{Text: s, Style: italic} }
func code(s string) span   { return span{Text: s, Style: mono} }

type block interface{ isBlock() }

// heading starts a part of the report. Level 1 parts start a new page in
// the PDF; levels 1 and 2 go to the table of contents when TOC is set, and
// every heading becomes a PDF bookmark.
type heading struct {
	Level int
	Text  string
	ID    string // stable anchor (Markdown/HTML ids, PDF links)
	TOC   bool
}

// para is a paragraph of mixed-style text.
type para struct {
	Spans []span
	Small bool // secondary text (notes, captions)
}

// bullets is a list, numbered when Ordered.
type bullets struct {
	Items   [][]span
	Ordered bool
}

// column of a table.
type column struct {
	Title  string
	Weight float64 // share of the width in the PDF
	Mono   bool    // identifiers, actions, file:line
	Sev    bool    // severity words, coloured in the PDF
	Right  bool    // numbers
}

// table is a grid of plain strings; renderers wrap long cells.
type table struct {
	Cols []column
	Rows [][]string
}

// facts is a two-column list of labelled values (no header).
type facts struct {
	Rows [][2]string
	Mono map[int]bool // rows whose value is an identifier or code
}

// codeBlock is verbatim text: a template snippet (FirstLine > 0 numbers
// the lines as in the file) or a policy ready to paste.
type codeBlock struct {
	Lang      string
	Text      string
	FirstLine int
	Caption   string
}

// bar is one bar of a chart.
type bar struct {
	Label string
	Value int64
	Color string // a severity name, or "" for the accent colour
}

// chart is a small horizontal bar chart (a table of bars in Markdown).
type chart struct {
	Title string
	Unit  string
	Bars  []bar
}

// diagramBlock is where the data-flow diagram goes.
type diagramBlock struct{}

// group keeps blocks together on one PDF page when they fit on one, with a
// bar in the margin in the colour of Sev (a finding and its evidence).
type group struct {
	Sev    string
	Blocks []block
}

func (heading) isBlock()      {}
func (para) isBlock()         {}
func (bullets) isBlock()      {}
func (table) isBlock()        {}
func (facts) isBlock()        {}
func (codeBlock) isBlock()    {}
func (chart) isBlock()        {}
func (diagramBlock) isBlock() {}
func (group) isBlock()        {}

// cover is the title page.
type cover struct {
	Title       string
	Description string // the template's, when the title does not already say it all
	Template    string
	Date        string
	Version     string
	Checksum    string
	Revision    string
	Counts      [][2]string
}

// document is the whole report.
type document struct {
	Cover  cover
	Blocks []block
}

func (d *document) add(b ...block) { d.Blocks = append(d.Blocks, b...) }

func (d *document) h(level int, id, text string, toc bool) {
	d.add(heading{Level: level, Text: text, ID: id, TOC: toc})
}

func (d *document) p(spans ...span) { d.add(para{Spans: spans}) }

func (d *document) note(spans ...span) { d.add(para{Spans: spans, Small: true}) }

// flatten lists blocks with groups opened, in document order.
func flatten(blocks []block) []block {
	out := make([]block, 0, len(blocks))
	for _, b := range blocks {
		if g, ok := b.(group); ok {
			out = append(out, flatten(g.Blocks)...)
			continue
		}
		out = append(out, b)
	}
	return out
}
