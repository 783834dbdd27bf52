package diagram

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NodeID is the stable SVG id of the node drawn for a model element (a
// function, resource, entry point, third party or client, by its model id),
// so the workbench can find, highlight and link nodes. It is "n-" followed by
// the id with every byte outside [A-Za-z0-9] written as _XX (hex): CloudFormation
// logical ids come out unchanged ("n-getActivity"), and two different ids
// never share a NodeID. The result is a valid XML id and CSS identifier.
func NodeID(logicalID string) string { return "n-" + encodeID(logicalID) }

// clusterID is the SVG id of a trust-boundary or API cluster.
func clusterID(name string) string { return "b-" + encodeID(name) }

// encodeID keeps ASCII letters and digits and writes any other byte as _XX.
// The encoding is injective and its output never contains '-', so ids built
// by joining encoded parts with '-' stay unambiguous.
func encodeID(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}

// cleanText makes template text safe to hand to Graphviz: invalid UTF-8
// becomes U+FFFD and control characters (which XML 1.0 forbids, so an SVG
// holding them would not load) become spaces; runs of white space collapse.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			clean = false
			break
		}
	}
	if clean && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF'
	}), " ")
}

// htmlText escapes s for the text of a Graphviz HTML-like label. Graphviz
// expands \N, \G, \E, \T and \H in label text even inside HTML labels, so a
// backslash is doubled (which Graphviz turns back into one).
var htmlReplacer = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", `\`, `\\`,
)

func htmlText(s string) string { return htmlReplacer.Replace(cleanText(s)) }

// tooltipReplacer prepares plain text for tooltip attributes. Graphviz
// decodes entities in tooltips and copies entity-looking text ("&nbsp;")
// verbatim into SVG, where it would be undefined; writing every & as &amp;
// makes the SVG carry the literal text. Backslashes start Graphviz escape
// sequences in tooltips (processed twice), so they become U+29F5, which looks
// the same; line breaks are written as \n, which Graphviz turns into a newline.
var tooltipReplacer = strings.NewReplacer("&", "&amp;", `\`, "\u29F5")

// tooltip joins lines of template-derived text into one tooltip value.
func tooltip(lines ...string) string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = cleanText(l)
		if l == "" {
			continue
		}
		out = append(out, tooltipReplacer.Replace(l))
	}
	return strings.Join(out, `\n`)
}

// truncate shortens s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
