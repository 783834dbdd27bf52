package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Markdown (GitHub-flavoured): every piece of text is escaped so that it
// shows literally, whatever characters the template put in it.

// mdEscape escapes inline text: it renders as the same characters on GitHub
// and with goldmark, and can never open a link, an emphasis, raw HTML, an
// entity or a table cell.
func mdEscape(s string) string {
	s = reveal(oneLine(s))
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '&', '|', '~', '#', '!', '$':
			b.WriteByte('\\')
		case '_':
			// Inside a word an underscore cannot open emphasis: leave
			// snake_case readable.
			if !(i > 0 && i < len(rs)-1 && isWord(rs[i-1]) && isWord(rs[i+1])) {
				b.WriteByte('\\')
			}
		case '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			// "1. " or "2) " would open an ordered list.
			if i > 0 && allDigits(rs[:i]) && (i == len(rs)-1 || rs[i+1] == ' ') {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reveal writes invisible formatting characters (bidirectional overrides,
// zero-width characters) and control characters as [U+XXXX], as the PDF
// does: a name must not reorder or hide the text around it.
func reveal(s string) string {
	clean := true
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mdCode is a code span holding s literally (backticks included).
func mdCode(s string, inTable bool) string {
	s = reveal(oneLine(s))
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}

func mdSpans(sp []span, inTable bool) string {
	var b strings.Builder
	for _, s := range sp {
		if s.Text == "" {
			continue
		}
		t := oneLine(s.Text)
		lead, trail := "", ""
		if strings.HasPrefix(s.Text, " ") {
			lead = " "
		}
		if strings.HasSuffix(s.Text, " ") && t != "" {
			trail = " "
		}
		switch s.Style {
		case mono:
			b.WriteString(lead + mdCode(t, inTable) + trail)
		case bold:
			b.WriteString(lead + "**" + mdEscape(t) + "**" + trail)
		case italic:
			b.WriteString(lead + "*" + mdEscape(t) + "*" + trail)
		default:
			b.WriteString(lead + mdEscape(t) + trail)
		}
	}
	return b.String()
}

// slugger computes heading anchors the way GitHub does (and the HTML
// renderer is configured to), numbering repeats -1, -2...
type slugger struct{ seen map[string]int }

func newSlugger() *slugger { return &slugger{seen: map[string]int{}} }

func slugBase(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

func (s *slugger) slug(text string) string {
	base := slugBase(text)
	if _, used := s.seen[base]; !used {
		s.seen[base] = 0
		return base
	}
	for {
		s.seen[base]++
		id := base + "-" + strconv.Itoa(s.seen[base])
		if _, used := s.seen[id]; !used {
			s.seen[id] = 0
			return id
		}
	}
}

// headingText is the text a heading shows in every format.
func headingText(h heading) string { return oneLine(h.Text) }

func writeMarkdown(w io.Writer, d *document, diagramMarker string) error {
	bw := bufio.NewWriter(w)
	c := d.Cover
	sl := newSlugger()

	fmt.Fprintf(bw, "# %s\n\n", mdEscape(c.Title))
	sl.slug(c.Title)
	fmt.Fprintf(bw, "Threat model report\n\n")
	if c.Description != "" {
		fmt.Fprintf(bw, "%s\n\n", mdEscape(c.Description))
	}
	fmt.Fprintf(bw, "- **Template:** %s\n", mdCode(c.Template, false))
	fmt.Fprintf(bw, "- **Date:** %s\n", mdEscape(c.Date))
	fmt.Fprintf(bw, "- **samthreat version:** %s\n", mdEscape(c.Version))
	fmt.Fprintf(bw, "- **Template checksum (SHA-256):** %s\n", mdCode(c.Checksum, false))
	if c.Revision != "" {
		fmt.Fprintf(bw, "- **Revision:** %s\n", mdEscape(c.Revision))
	}
	bw.WriteString("\n")
	bw.WriteString("| Functions | Resources | Entry points | Third-party services | Open findings |\n|---:|---:|---:|---:|---:|\n|")
	for _, kv := range c.Counts {
		bw.WriteString(" " + mdEscape(kv[1]) + " |")
	}
	bw.WriteString("\n\n")

	// Table of contents: anchors computed in document order, so the
	// slugger must see every heading, not only the listed ones.
	bw.WriteString("## Contents\n\n")
	sl.slug("Contents")
	var toc strings.Builder
	for _, b := range flatten(d.Blocks) {
		h, ok := b.(heading)
		if !ok {
			continue
		}
		id := sl.slug(headingText(h))
		if !h.TOC || h.Level > 2 {
			continue
		}
		indent := strings.Repeat("  ", h.Level-1)
		fmt.Fprintf(&toc, "%s- [%s](#%s)\n", indent, mdEscape(headingText(h)), id)
	}
	bw.WriteString(toc.String())
	bw.WriteString("\n")

	writeMDBlocks(bw, d.Blocks, diagramMarker)
	return bw.Flush()
}

func writeMDBlocks(bw *bufio.Writer, blocks []block, diagramMarker string) {
	for _, b := range blocks {
		switch v := b.(type) {
		case heading:
			fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", v.Level+1), mdEscape(headingText(v)))
		case para:
			s := strings.TrimSpace(mdSpans(v.Spans, false))
			if s == "" {
				continue
			}
			if v.Small {
				s = "*" + s + "*"
			}
			fmt.Fprintf(bw, "%s\n\n", s)
		case bullets:
			for i, it := range v.Items {
				marker := "-"
				if v.Ordered {
					marker = strconv.Itoa(i+1) + "."
				}
				fmt.Fprintf(bw, "%s %s\n", marker, mdSpans(it, false))
			}
			bw.WriteString("\n")
		case facts:
			for i, r := range v.Rows {
				val := mdEscape(r[1])
				if v.Mono[i] && r[1] != "–" {
					val = mdCode(r[1], false)
				}
				fmt.Fprintf(bw, "- **%s:** %s\n", mdEscape(r[0]), val)
			}
			bw.WriteString("\n")
		case table:
			writeMDTable(bw, v)
		case codeBlock:
			if v.Caption != "" {
				fmt.Fprintf(bw, "*%s*\n\n", mdEscape(v.Caption))
			}
			fence := "```"
			for strings.Contains(v.Text, fence) {
				fence += "`"
			}
			fmt.Fprintf(bw, "%s%s\n%s\n%s\n\n", fence, v.Lang, strings.TrimRight(v.Text, "\n"), fence)
		case chart:
			writeMDChart(bw, v)
		case group:
			writeMDBlocks(bw, v.Blocks, diagramMarker)
		case diagramBlock:
			if diagramMarker != "" {
				fmt.Fprintf(bw, "%s\n\n", diagramMarker)
			} else {
				bw.WriteString("*The data-flow diagram is drawn in the HTML and PDF editions of this report; the tables below list the same elements and flows.*\n\n")
			}
		}
	}
}

func writeMDTable(w *bufio.Writer, t table) {
	w.WriteString("|")
	for _, c := range t.Cols {
		w.WriteString(" " + mdEscape(c.Title) + " |")
	}
	w.WriteString("\n|")
	for _, c := range t.Cols {
		if c.Right {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteString("\n")
	for _, r := range t.Rows {
		w.WriteString("|")
		for i, cell := range r {
			var s string
			switch {
			case i < len(t.Cols) && t.Cols[i].Mono && cell != "–" && cell != "":
				s = mdCode(cell, true)
			case i < len(t.Cols) && t.Cols[i].Sev:
				s = "**" + mdEscape(cell) + "**"
			default:
				s = mdEscape(cell)
			}
			w.WriteString(" " + s + " |")
		}
		w.WriteString("\n")
	}
	w.WriteString("\n")
}

func writeMDChart(w *bufio.Writer, c chart) {
	var max int64
	for _, b := range c.Bars {
		if b.Value > max {
			max = b.Value
		}
	}
	fmt.Fprintf(w, "**%s**\n\n| | Count | |\n|---|---:|---|\n", mdEscape(c.Title))
	for _, b := range c.Bars {
		n := 0
		if max > 0 {
			n = int((b.Value*24 + max - 1) / max)
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", mdEscape(b.Label), b.Value, strings.Repeat("█", n))
	}
	w.WriteString("\n")
}
