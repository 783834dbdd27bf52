package output

import (
	"bytes"
	"context"
	"mime"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestRegistry keeps the table usable by every front end: names, aliases
// and extensions unique within a kind, a writer, a content type that parses,
// and a label and a description for the Export view.
func TestRegistry(t *testing.T) {
	names := map[string]bool{}
	exts := map[string]bool{}
	for _, f := range All() {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if names[n] {
				t.Errorf("%s: name %q used twice", f.Name, n)
			}
			names[n] = true
			if n != strings.ToLower(n) {
				t.Errorf("%s: name %q is not lower case (Lookup lowers what it is given)", f.Name, n)
			}
		}
		key := string(f.Kind) + f.Ext
		if exts[key] {
			t.Errorf("%s: extension %s used twice in kind %s", f.Name, f.Ext, f.Kind)
		}
		exts[key] = true
		if !strings.HasPrefix(f.Ext, ".") {
			t.Errorf("%s: extension %q needs its dot", f.Name, f.Ext)
		}
		if _, _, err := mime.ParseMediaType(f.ContentType); err != nil {
			t.Errorf("%s: content type %q: %v", f.Name, f.ContentType, err)
		}
		if f.Write == nil || f.Label == "" || f.Description == "" {
			t.Errorf("%s: needs a writer, a label and a description", f.Name)
		}
		switch f.Kind {
		case KindModel, KindReport, KindDiagram:
		default:
			t.Errorf("%s: unknown kind %q", f.Name, f.Kind)
		}
	}
}

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{"pdf": "pdf", " Markdown ": "md", "JSON": "json", "gv": "dot"} {
		f, ok := Lookup(in)
		if !ok || f.Name != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", in, f.Name, ok, want)
		}
	}
	if _, ok := Lookup("docx"); ok {
		t.Error("Lookup(docx) found a format")
	}
	if f, ok := ByExt(KindDiagram, ".GV"); !ok || f.Name != "dot" {
		t.Errorf("ByExt(diagram, .GV) = %q, %v", f.Name, ok)
	}
	if _, ok := ByExt(KindDiagram, "pdf"); ok {
		t.Error("ByExt(diagram, pdf) found a diagram format")
	}
	if got := strings.Join(Names(KindModel), ","); got != "json,sarif,text" {
		t.Errorf("Names(model) = %s", got)
	}
}

// TestJSONBatch: one model is an object, a batch a list (an empty batch
// an empty list, not null).
func TestJSONBatch(t *testing.T) {
	f, _ := Lookup("json")
	m := &model.Model{Template: "t.yaml"}
	for _, c := range []struct {
		ms    []*model.Model
		batch bool
		want  string
	}{
		{[]*model.Model{m}, false, "{"},
		{[]*model.Model{m}, true, "["},
		{nil, true, "[]"},
		{nil, false, ""},
	} {
		var b bytes.Buffer
		if err := f.Render(context.Background(), &b, c.ms, Options{Batch: c.batch}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), c.want) {
			t.Errorf("batch %v, %d models: %q, want it to start with %q", c.batch, len(c.ms), b.String(), c.want)
		}
	}
}

// TestReportNeedsOneModel: a report of a batch is an error, not a report
// of the first template.
func TestReportNeedsOneModel(t *testing.T) {
	for _, f := range append(Of(KindReport), Of(KindDiagram)...) {
		if err := f.Render(context.Background(), &bytes.Buffer{}, nil, Options{}); err == nil {
			t.Errorf("%s of no model: no error", f.Name)
		}
	}
}
