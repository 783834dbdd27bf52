package report

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/redact"
)

// Small text helpers shared by the content builder and the renderers.

// sevOrder is the severities, most severe first.
var sevOrder = model.Severities

// sevLower is a severity as the report compares it: lower case.
func sevLower(s model.Severity) model.Severity { return model.Severity(strings.ToLower(string(s))) }

func sevTitle(sev model.Severity) string {
	s := string(sevLower(sev))
	if s == "" {
		return "Unknown"
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// oneLine folds whitespace (newlines, tabs) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func dashIfEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// listSome joins up to max items and says how many were left out.
func listSome(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}

// firstSentences keeps the leading sentences of s up to about n characters.
func firstSentences(s string, n int) string {
	s = oneLine(s)
	if len(s) <= n {
		return s
	}
	cut := 0
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '.' && s[i+1] == ' ' {
			if i+1 > n && cut > 0 {
				break
			}
			cut = i + 1
			if i+1 > n {
				break
			}
		}
	}
	if cut == 0 {
		return clip(s, n)
	}
	return s[:cut]
}

// paths: the report names files relative to the template's folder, so it
// reads the same wherever the analysis ran.
type paths struct {
	dir  string
	tmpl string
}

func newPaths(m *model.Model) paths {
	abs, err := filepath.Abs(m.Template)
	if err != nil {
		abs = m.Template
	}
	return paths{dir: filepath.Dir(abs), tmpl: abs}
}

func (p paths) rel(file string) string {
	if file == "" {
		return ""
	}
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(file)
	}
	if r, err := filepath.Rel(p.dir, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.Base(file)
}

func (p paths) isTemplate(file string) bool {
	if file == "" {
		return false
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(p.dir, file)
	}
	return filepath.Clean(file) == p.tmpl
}

func (p paths) loc(file string, line int) string {
	f := p.rel(file)
	if f == "" {
		return ""
	}
	if line > 0 {
		return f + ":" + strconv.Itoa(line)
	}
	return f
}

// snippets cuts template excerpts for evidence, with secrets masked: the
// rules stage masks values in messages and in the model, and the report must
// not print them back from the template's own lines (internal/redact masks
// the whole template once).
type snippets struct {
	lines   []string // the template's lines, secrets masked
	red     *redact.Redactor
	maxLine int
}

func newSnippets(m *model.Model) *snippets {
	s := &snippets{red: redact.New(m)}
	if m.TemplateText == "" {
		return s
	}
	data := strings.ReplaceAll(m.TemplateText, "\r\n", "\n")
	s.lines = s.red.Lines(strings.Split(data, "\n"))
	s.maxLine = len(s.lines)
	return s
}

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }

// at returns the lines from line on that belong to it (deeper indented),
// at most max lines, with secrets masked. ok is false when there is nothing.
func (s *snippets) at(line, max int) (string, bool) {
	if line < 1 || line > s.maxLine {
		return "", false
	}
	base := indentOf(s.lines[line-1])
	var out []string
	for i := line; i <= s.maxLine && len(out) < max; i++ {
		l := strings.TrimRight(s.lines[i-1], " \t")
		if i > line && strings.TrimSpace(l) != "" && indentOf(l) <= base {
			break
		}
		out = append(out, clip(l, 140))
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return "", false
	}
	// Drop the common indentation so snippets start at the left margin.
	common := -1
	for _, l := range out {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := indentOf(l); common < 0 || n < common {
			common = n
		}
	}
	for i, l := range out {
		if len(l) >= common && common > 0 {
			out[i] = l[common:]
		}
	}
	return strings.Join(out, "\n"), true
}

// scrub removes known secret values from text taken from the model.
func (s *snippets) scrub(t string) string { return s.red.String(t) }
