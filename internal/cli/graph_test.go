package cli_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wellFormedSVG parses an SVG strictly and returns its element ids.
func wellFormedSVG(t *testing.T, svg []byte) map[string]bool {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	ids := map[string]bool{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					ids[a.Value] = true
				}
			}
		}
	}
	return ids
}

func oneLine(t *testing.T, r result) {
	t.Helper()
	if strings.Count(strings.TrimRight(r.stderr, "\n"), "\n") != 0 || !strings.HasPrefix(r.stderr, "samthreat: ") {
		t.Fatalf("stderr is not one line: %q", r.stderr)
	}
}

func TestGraphBundledExample(t *testing.T) {
	r := run(t, "graph")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ids := wellFormedSVG(t, []byte(r.stdout))
	for _, id := range []string{"n-getActivity", "n-FreshTracksDatabaseTable", "n-FreshTracksS3Bucket", "b-internet", "b-account", "b-third_2Dparty"} {
		if !ids[id] {
			t.Errorf("SVG has no element with id %s", id)
		}
	}
}

func TestGraphFormats(t *testing.T) {
	tpl := shared(t, "fixtures", "freshtracks", "template.yaml")
	dir := t.TempDir()

	r := run(t, "graph", tpl, "--format", "dot")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "digraph samthreat {") {
		t.Fatalf("dot: exit %d, %q", r.code, r.stderr)
	}
	again := run(t, "graph", tpl, "--format", "dot")
	if again.stdout != r.stdout {
		t.Fatal("two runs gave different DOT")
	}

	// -o FILE picks the format from the extension.
	out := filepath.Join(dir, "ft.png")
	if r := run(t, "graph", tpl, "-o", out, "--dpi", "48"); r.code != 0 || r.stdout != "" {
		t.Fatalf("png: exit %d, stdout %d bytes, %q", r.code, len(r.stdout), r.stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("%s is not a PNG: %v", out, err)
	}

	svg := filepath.Join(dir, "focus.svg")
	if r := run(t, "graph", tpl, "-o", svg, "--focus", "publishToIoT"); r.code != 0 {
		t.Fatalf("focus: exit %d, %q", r.code, r.stderr)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	ids := wellFormedSVG(t, data)
	if !ids["n-publishToIoT"] || ids["n-getActivity"] {
		t.Error("focus view should draw publishToIoT and not getActivity")
	}

	r = run(t, "graph", tpl, "--format", "dot", "--collapse", "trigger")
	if r.code != 0 || !strings.Contains(r.stdout, "grouped by trigger") {
		t.Fatalf("collapse: exit %d, %q", r.code, r.stderr)
	}
}

func TestGraphErrors(t *testing.T) {
	tpl := shared(t, "fixtures", "freshtracks", "template.yaml")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("Resources: [\n  broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown focus", []string{"graph", tpl, "--focus", "getActivty"}, []string{`"getActivty"`, "did you mean getActivity"}},
		{"unknown format", []string{"graph", tpl, "--format", "gif"}, []string{`"gif"`}},
		{"unknown collapse", []string{"graph", tpl, "--collapse", "folders"}, []string{`"folders"`}},
		{"bad dpi", []string{"graph", tpl, "--format", "png", "--dpi", "-3", "-o", filepath.Join(t.TempDir(), "x.png")}, []string{"DPI"}},
		{"missing template", []string{"graph", "/nonexistent/template.yaml"}, []string{"/nonexistent/template.yaml"}},
		{"broken template", []string{"graph", bad}, []string{"bad.yaml"}},
		{"directory", []string{"graph", t.TempDir()}, []string{"directory"}},
		{"two templates", []string{"graph", tpl, tpl}, []string{"one TEMPLATE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			oneLine(t, r)
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not mention %s", r.stderr, w)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty on error: %d bytes", len(r.stdout))
			}
		})
	}
}
