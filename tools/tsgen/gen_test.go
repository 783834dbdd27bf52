package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	A int `json:"a"`
}

type sample struct {
	Name     string            `json:"name"`
	Opt      string            `json:"opt,omitempty"`
	List     []string          `json:"list"`
	OptList  []inner           `json:"optList,omitempty"`
	Labels   map[string]int    `json:"labels"`
	Ptr      *inner            `json:"ptr"`
	When     time.Time         `json:"when"`
	Hidden   string            `json:"-"`
	Raw      []byte            `json:"raw"`
	Nested   struct{ B bool }  `json:"nested"`
	Params   map[string]string `json:"params,omitempty"`
	internal int
}

type withEmbedded struct {
	*inner
	ID string `json:"id"`
}

// TestGenerate checks what each Go construct becomes: omitempty optional,
// nil-able without omitempty "| null", json:"-" left out, embedded
// pointers as Partial.
func TestGenerate(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(root)
	g.named(reflect.TypeFor[sample]())
	g.named(reflect.TypeFor[withEmbedded]())
	got := g.decls["sample"] + g.decls["withEmbedded"]
	for _, want := range []string{
		"  name: string;\n",
		"  opt?: string;\n",
		"  list: string[] | null;\n",
		"  optList?: inner[];\n",
		"  labels: Record<string, number> | null;\n",
		"  ptr: inner | null;\n",
		"  when: string;\n",
		"  raw: string;\n",
		"  nested: {\n    B: boolean;\n  };\n",
		"  params?: Record<string, string>;\n",
		"export interface withEmbedded extends Partial<inner> {\n  id: string;\n}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, absent := range []string{"Hidden", "hidden", "internal"} {
		if strings.Contains(got, absent) {
			t.Errorf("%s should be left out:\n%s", absent, got)
		}
	}
}

// TestCommittedFileIsCurrent is make types-check as a test.
func TestCommittedFileIsCurrent(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(filepath.Join(root, target))
	if err != nil {
		t.Fatal(err)
	}
	if got := generate(root); string(got) != string(old) {
		t.Fatalf("%s is out of date: run make types", target)
	}
}
