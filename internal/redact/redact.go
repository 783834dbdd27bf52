// Package redact keeps secret values found in a template out of every
// output. The rules stage collects the values (Model.Secrets, never
// serialised) and marks the evidence that holds one (Location.Sensitive);
// this package masks them at the source: in every string of the model, in
// the template text the workbench shows, in code files and in the excerpts
// reports cut. Renderers and API responses then cannot echo a secret even
// when they quote a line that a finding about something else points at.
package redact

import (
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// minLen is the shortest value treated as a secret: shorter ones would mask
// ordinary words.
const minLen = 4

// Mask hides a secret: a two-character hint and the length, so a reader
// can tell which value is meant, never enough to use it.
func Mask(v string) string {
	r := []rune(v)
	if len(r) <= minLen {
		return "****"
	}
	return string(r[:2]) + strings.Repeat("*", 6) + fmt.Sprintf(" (%d chars, masked)", len(r))
}

// LineMask replaces a whole value on a template line that holds a secret.
const LineMask = "****** (masked)"

// Redactor masks one model's secrets.
type Redactor struct {
	values []string     // longest first
	lines  map[int]bool // 1-based template lines holding a secret value
}

// New collects the secrets of m: the values the rules found, the raw values
// of masked environment variables, NoEcho parameter defaults, and the
// template lines that hold them.
func New(m *model.Model) *Redactor {
	r := &Redactor{lines: map[int]bool{}}
	if m == nil {
		return r
	}
	seen := map[string]bool{}
	add := func(v string) {
		if len([]rune(v)) >= minLen && !seen[v] {
			seen[v] = true
			r.values = append(r.values, v)
		}
	}
	for _, v := range m.Secrets {
		add(v)
	}
	for _, f := range m.Findings {
		for _, e := range f.Evidence {
			if e.Sensitive && InTemplate(m, e.File) {
				r.lines[e.Line] = true
			}
		}
	}
	for _, fn := range m.Functions {
		for _, e := range fn.Environment {
			if !e.Masked {
				continue
			}
			r.lines[e.Source.Line] = true
			add(e.Raw)
		}
	}
	for _, p := range m.NoEchoDefaults {
		r.lines[p.Line] = true
		add(p.Value)
	}
	delete(r.lines, 0)
	sort.SliceStable(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })
	return r
}

// InTemplate reports whether evidence in file points into m's template.
func InTemplate(m *model.Model, file string) bool {
	if file == "" {
		return true
	}
	file = filepath.Clean(file)
	return file == filepath.Clean(m.Template)
}

// Empty reports a model with no secret to hide.
func (r *Redactor) Empty() bool { return len(r.values) == 0 && len(r.lines) == 0 }

// Values are the secret values, longest first (for tests and callers that
// must check their own output).
func (r *Redactor) Values() []string { return append([]string(nil), r.values...) }

// Sensitive reports whether a template line holds a secret value.
func (r *Redactor) Sensitive(line int) bool { return r.lines[line] }

// String masks every secret value in s.
func (r *Redactor) String(s string) string {
	for _, v := range r.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask(v))
		}
	}
	return s
}

var keyValueRe = regexp.MustCompile(`^(\s*(?:-\s+)?[^\s:][^:]*:\s*)(\S.*)$`)

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }

// Lines masks a template's lines: the value of every sensitive line (and
// the block scalar under it) is replaced whole, and every secret value is
// masked wherever else it appears. The number of lines never changes, so
// line numbers stay right.
func (r *Redactor) Lines(lines []string) []string {
	out := make([]string, len(lines))
	maskBlock := -1 // indentation under which a masked block scalar continues
	for i, l := range lines {
		n := i + 1
		switch {
		case maskBlock >= 0 && (strings.TrimSpace(l) == "" || indentOf(l) > maskBlock):
			if strings.TrimSpace(l) != "" {
				l = l[:indentOf(l)] + LineMask
			}
		case r.lines[n]:
			maskBlock = -1
			if mm := keyValueRe.FindStringSubmatch(l); mm != nil {
				v := strings.TrimSpace(mm[2])
				if strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">") {
					maskBlock = indentOf(l)
					l = mm[1] + v[:1] + " " + LineMask
				} else {
					l = mm[1] + LineMask
				}
			} else if t := strings.TrimSpace(l); t != "" && !strings.HasSuffix(t, ":") {
				l = l[:indentOf(l)] + LineMask // a bare scalar; a key alone stays
			}
		default:
			maskBlock = -1
		}
		out[i] = r.String(l)
	}
	return out
}

// Text masks a whole template (or code file) text; see Lines.
func (r *Redactor) Text(text string) string {
	if r.Empty() {
		return text
	}
	nl := "\n"
	if strings.Contains(text, "\r\n") {
		nl = "\r\n"
	}
	return strings.Join(r.Lines(strings.Split(text, nl)), nl)
}

// Model masks the secret values in every string of m that reaches an
// output (JSON-encoded fields; the parsed template and resources are
// skipped), and marks evidence on a sensitive template line.
func (r *Redactor) Model(m *model.Model) {
	if m == nil || r.Empty() {
		return
	}
	for _, f := range m.Findings {
		for i := range f.Evidence {
			if InTemplate(m, f.Evidence[i].File) && r.lines[f.Evidence[i].Line] {
				f.Evidence[i].Sensitive = true
			}
		}
	}
	if len(r.values) == 0 {
		return
	}
	r.walk(reflect.ValueOf(m))
}

func (r *Redactor) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			r.walk(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Tag.Get("json") == "-" {
				continue
			}
			r.walk(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			r.walk(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String && v.Type().Key().Kind() == reflect.String {
			for _, k := range v.MapKeys() {
				if s := v.MapIndex(k).String(); r.String(s) != s {
					v.SetMapIndex(k, reflect.ValueOf(r.String(s)).Convert(v.Type().Elem()))
				}
			}
			return
		}
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Pointer || e.Kind() == reflect.Interface {
				r.walk(e)
			}
		}
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); r.String(s) != s {
				v.SetString(r.String(s))
			}
		}
	}
}
