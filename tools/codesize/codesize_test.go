package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// body returns a function of exactly n lines (signature and brace included)
// whose cyclomatic complexity is 1+ifs.
func body(name string, n, ifs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(x int) {\n", name)
	for i := 0; i < ifs; i++ {
		b.WriteString("\tif x > 0 {\n\t}\n")
	}
	for i := 2 + 2*ifs; i < n; i++ {
		b.WriteString("\t_ = x\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func write(t *testing.T, root, rel, src string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fixture(t *testing.T) string {
	root := t.TempDir()
	write(t, root, "a/a.go", "package a\n\n"+body("long", 81, 0)+body("short", 80, 30)+body("complex", 70, 30)+
		"type T struct{}\n\nfunc (t *T) method(x int) bool { return x > 0 && x < 9 || x == 3 }\n")
	write(t, root, "a/a_test.go", "package a\n\n"+body("longTest", 900, 40)) // counted as a file only
	write(t, root, "b/big.go", "package b\n"+strings.Repeat("\n", 800))      // 801 lines
	write(t, root, "b/edge.go", "package b\n"+strings.Repeat("\n", 799))     // 800 lines: not over
	write(t, root, "b/testdata/x.go", "package x\n\n"+body("fixture", 200, 50))
	write(t, root, "frontend/y.go", "package y\n\n"+body("ui", 200, 0))
	write(t, root, ".git/z.go", "package z\n\n"+body("hidden", 200, 0))
	return root
}

func TestMeasure(t *testing.T) {
	res, err := Measure(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	names := func(fs []Func) (out []string) {
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s:%d %s %d/%d", f.File, f.Line, f.Name, f.Lines, f.Cyc))
		}
		return out
	}
	if got, want := names(res.Long()), []string{"a/a.go:3 long 81/1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Long() = %v, want %v", got, want)
	}
	if got, want := names(res.Complex()), []string{"a/a.go:84 short 80/31", "a/a.go:164 complex 70/31"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Complex() = %v, want %v", got, want)
	}
	if got, want := res.Big(), []File{{"a/a_test.go", 902}, {"b/big.go", 801}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Big() = %v, want %v", got, want)
	}
	var method *Func
	for i, f := range res.Funcs {
		if f.Name == "T.method" {
			method = &res.Funcs[i]
		}
	}
	if method == nil || method.Cyc != 3 || method.Lines != 1 {
		t.Errorf("T.method = %+v, want 1 line, cyclomatic 3 (one &&, one ||)", method)
	}
	if got, want := res.Figures(), (Ceiling{Long: 1, Complex: 2, Big: 2}); got != want {
		t.Errorf("Figures() = %+v, want %+v", got, want)
	}
	if len(res.Files) != 4 {
		t.Errorf("files measured = %v; testdata, frontend and hidden folders must be skipped", res.Files)
	}
}

func TestParseCeiling(t *testing.T) {
	full := "# comment\nfunctions-over-80-lines 10\n\nfunctions-over-cyclomatic-30 0\nfiles-over-800-lines 2\n"
	cases := []struct {
		name, src, err string
		want           Ceiling
	}{
		{"full", full, "", Ceiling{Long: 10, Complex: 0, Big: 2}},
		{"missing key", "functions-over-80-lines 10\n", "c.txt: functions-over-cyclomatic-30 missing", Ceiling{}},
		{"unknown key", full + "lines 3\n", `c.txt:6: unknown key "lines"`, Ceiling{}},
		{"twice", full + "files-over-800-lines 1\n", "c.txt:6: files-over-800-lines given twice", Ceiling{}},
		{"not a count", "functions-over-80-lines ten\n", `c.txt:1: functions-over-80-lines: "ten" is not a count`, Ceiling{}},
		{"negative", "functions-over-80-lines -1\n", `c.txt:1: functions-over-80-lines: "-1" is not a count`, Ceiling{}},
		{"shape", "functions-over-80-lines\n", `c.txt:1: want "key number", got "functions-over-80-lines"`, Ceiling{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseCeiling("c.txt", strings.NewReader(c.src))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("= %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	lines, over := Compare(Ceiling{Long: 3, Complex: 0, Big: 1}, Ceiling{Long: 5, Complex: 0, Big: 0})
	want := []string{
		"below functions over 80 lines: 3, ceiling 5 (lower functions-over-80-lines to 3)",
		"ok    functions over cyclomatic 30: 0, ceiling 0",
		"OVER  files over 800 lines: 1, ceiling 0",
	}
	if !over || !reflect.DeepEqual(lines, want) {
		t.Errorf("Compare = %q, %v; want %q, true", lines, over, want)
	}
	if _, over := Compare(Ceiling{Long: 3}, Ceiling{Long: 3}); over {
		t.Error("equal figures are not over the ceiling")
	}
}

func TestRunExitCodes(t *testing.T) {
	root := fixture(t)
	ceil := func(src string) string {
		p := filepath.Join(t.TempDir(), "ceiling.txt")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	low := ceil("functions-over-80-lines 0\nfunctions-over-cyclomatic-30 0\nfiles-over-800-lines 0\n")
	high := ceil("functions-over-80-lines 1\nfunctions-over-cyclomatic-30 2\nfiles-over-800-lines 2\n")
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"report", []string{root}, 0, "Summary: 1 functions over 80 lines"},
		{"over, report-only", []string{"-ceiling", low, root}, 0, "OVER  functions over 80 lines: 1, ceiling 0"},
		{"over, enforced", []string{"-ceiling", low, "-enforce", root}, 1, "OVER  files over 800 lines: 2, ceiling 0"},
		{"at the ceiling, enforced", []string{"-ceiling", high, "-enforce", root}, 0, "ok    files over 800 lines: 2, ceiling 2"},
		{"enforce without ceiling", []string{"-enforce", root}, 2, ""},
		{"no root", nil, 2, ""},
		{"missing root", []string{filepath.Join(root, "nope")}, 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(c.args, &out, &errb); code != c.code || !strings.Contains(out.String(), c.out) {
				t.Errorf("run(%v) = %d, stdout %q, stderr %q; want %d and %q", c.args, code, out.String(), errb.String(), c.code, c.out)
			}
			if c.code != 0 && strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
				t.Errorf("stderr is not short: %q", errb.String())
			}
		})
	}
}
