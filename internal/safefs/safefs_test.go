//go:build unix

package safefs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFile: every way a hostile folder can point a read somewhere else
// or make it hang is refused with the right reason, quickly.
func TestReadFile(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "app")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "ok.py"), "print(1)\n")
	write(filepath.Join(outside, "secret.txt"), "SECRET\n")
	write(filepath.Join(root, "big.py"), strings.Repeat("#", int(Cap(Code))+1))
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "escape.py")))
	must(os.Symlink("/dev/zero", filepath.Join(root, "zero.py")))
	must(os.Symlink("loop2", filepath.Join(root, "loop1")))
	must(os.Symlink("loop1", filepath.Join(root, "loop2")))
	must(os.Symlink("sub", filepath.Join(root, "inside-link")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo.py"), 0o644))
	must(syscall.Mkfifo(filepath.Join(outside, "fifo.py"), 0o644))

	fsys, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		want error // nil: read
	}{
		{"ok.py", nil},
		{"inside-link/../ok.py", nil},
		{"escape.py", ErrOutside},
		{"../outside/secret.txt", ErrOutside},
		{filepath.Join(outside, "secret.txt"), ErrOutside},
		{"/etc/passwd", ErrOutside},
		{"zero.py", ErrOutside},
		{"/dev/zero", ErrOutside},
		{"fifo.py", ErrNotRegular},
		{"../outside/fifo.py", ErrOutside},
		{"sub", ErrNotRegular},
		{"big.py", ErrTooLarge},
		{"loop1", nil}, // an error, whatever the system calls it
		{"missing.py", os.ErrNotExist},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p := c.path
			if !filepath.IsAbs(p) {
				p = filepath.Join(root, p)
			}
			start := time.Now()
			data, err := fsys.ReadFile(p, Code)
			if time.Since(start) > 2*time.Second {
				t.Fatalf("took %v", time.Since(start))
			}
			switch {
			case c.path == "loop1":
				if err == nil {
					t.Fatal("a symlink loop was read")
				}
			case c.want == nil:
				if err != nil || len(data) == 0 {
					t.Fatalf("want a read, got %v", err)
				}
			case !errors.Is(err, c.want):
				t.Fatalf("want %v, got %v", c.want, err)
			}
			if strings.Contains(string(data), "SECRET") {
				t.Fatal("read a file outside the root")
			}
		})
	}
	// the unconfined reader still refuses devices and FIFOs
	if _, err := ReadFile("/dev/zero", Template); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadFile(filepath.Join(outside, "fifo.py"), Template); !errors.Is(err, ErrNotRegular) {
		t.Errorf("fifo: %v", err)
	}
	// None reads nothing; walking / is refused
	if _, err := None().ReadFile(filepath.Join(root, "ok.py"), Code); !errors.Is(err, ErrNoFiles) {
		t.Errorf("None: %v", err)
	}
	slash, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	if err := slash.WalkDir("/", func(string, os.DirEntry, error) error { return nil }); err == nil {
		t.Error("walking / was allowed")
	}
}

func TestBudget(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "a.py")
	if err := os.WriteFile(p, make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	fsys.WithBudget(2500)
	for i := 0; i < 2; i++ {
		if _, err := fsys.ReadFile(p, Code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := fsys.ReadFile(p, Code); !errors.Is(err, ErrBudget) {
		t.Fatalf("third read: want the budget refusal, got %v", err)
	}
}

// TestRootThroughSymlink: a root reached through a symlinked folder (macOS's
// /var -> /private/var, a linked checkout) keeps a missing file inside it
// "not found", never "outside the root"; a missing file really outside is
// still outside.
func TestRootThroughSymlink(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	if err := os.MkdirAll(filepath.Join(real, "app", "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	f, err := New(filepath.Join(link, "app"))
	if err != nil {
		t.Fatal(err)
	}
	// a dangling link inside the root to a missing file outside
	if err := os.Symlink(filepath.Join(base, "nowhere", "secret.py"), filepath.Join(real, "app", "out.py")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path    string
		outside bool
	}{
		{filepath.Join(link, "app", "src", "index.zip"), false},
		{filepath.Join(link, "app", "missing", "deeper", "x.py"), false},
		{filepath.Join(real, "app", "src", "index.zip"), false},
		{filepath.Join(link, "other", "x.py"), true},
		{filepath.Join(base, "nowhere", "x.py"), true},
		{filepath.Join(link, "app", "out.py"), true},
	} {
		_, err := f.Resolve(c.path)
		if err == nil {
			t.Errorf("%s: resolved, want an error", c.path)
			continue
		}
		if got := errors.Is(err, ErrOutside); got != c.outside {
			t.Errorf("%s: outside=%v (%v), want %v", c.path, got, err, c.outside)
		}
		if !c.outside && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: %v, want not found", c.path, err)
		}
	}
}
