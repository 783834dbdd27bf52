//go:build unix

package hostile

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
)

// Bounds every input must stay within.
const (
	deadline = 30 * time.Second // a hang shows as a timeout, not a stuck test
	maxRSSMB = 400              // peak resident memory of one run
)

var bin string // the samthreat binary built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "samthreat-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "samthreat")
	build := exec.Command("go", "build", "-o", bin, "github.com/samthreat/samthreat")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building samthreat:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result of one run of the binary.
type result struct {
	code           int
	stdout, stderr string
	rssMB          int64
	took           time.Duration
}

func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(os.TempDir(), "samthreat-hostile-cache"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("samthreat %s: no answer within %v (hang)", strings.Join(args, " "), deadline)
	}
	if cmd.ProcessState == nil {
		t.Fatalf("samthreat did not run: %v", err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rssMB = int64(ru.Maxrss) >> 10 // KiB on Linux
		if runtime.GOOS == "darwin" {
			r.rssMB = int64(ru.Maxrss) >> 20 // bytes
		}
	}
	return r
}

// app is a project folder with a template, code and an outside folder
// beside it holding what must never be read.
type app struct {
	root, outside string
}

const marker = "OUTSIDE_SECRET_7f3a"

func newApp(t *testing.T) app {
	t.Helper()
	base := t.TempDir()
	a := app{root: filepath.Join(base, "project"), outside: filepath.Join(base, "outside")}
	for _, d := range []string{a.root, a.outside, filepath.Join(a.root, "src")} {
		must(t, os.MkdirAll(d, 0o755))
	}
	// Outside the root: a file whose content must never appear, a FIFO that
	// would hang whoever opened it, and a template-looking file.
	write(t, filepath.Join(a.outside, "secret.py"), "import boto3\n"+marker+" = boto3.client('kinesisvideo').delete_stream(StreamARN='"+marker+"')\n")
	write(t, filepath.Join(a.outside, "requirements.txt"), marker+"-package==1.0\n")
	must(t, syscall.Mkfifo(filepath.Join(a.outside, "fifo.py"), 0o644))
	return a
}

func (a app) path(p string) string { return filepath.Join(a.root, p) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(s), 0o644))
}

func fn(codeURI, handler string) string {
	return fmt.Sprintf("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: %s\n      CodeUri: %s\n", handler, codeURI)
}

const handlerPy = "import boto3\nimport helper\nimport lib\ndef handler(event, context):\n    return boto3.client('s3').list_buckets()\n"

func utf16le(s string, bom bool) string {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return string(b)
}

func TestHostileInputs(t *testing.T) {
	type tc struct {
		name  string
		setup func(t *testing.T, a app) []string // arguments after the command
		cmd   string                             // analyze (default), graph
		code  int
		want  string // in the one stderr line (exit 2) or stdout (exit 0)
	}
	tpl := func(src string) func(t *testing.T, a app) []string {
		return func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), src)
			return []string{"--format", "json", a.path("template.yaml")}
		}
	}
	withCode := func(prep func(t *testing.T, a app)) func(t *testing.T, a app) []string {
		return func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("src", "app.handler"))
			write(t, a.path("src/app.py"), handlerPy)
			prep(t, a)
			return []string{"--format", "json", a.path("template.yaml")}
		}
	}
	var bomb strings.Builder
	bomb.WriteString("Resources: {}\na: &a [x,x,x,x,x,x,x,x,x]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&bomb, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	flat := "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Metadata:\n      L:\n" + strings.Repeat("        - 1\n", (15<<20)/12)
	cases := []tc{
		{name: "alias bomb", setup: tpl(bomb.String()), code: 2, want: "alias bomb"},
		{name: "deep flow nesting", setup: tpl("Resources:\n  A: " + strings.Repeat("[", 100000)), code: 2, want: "template.yaml:2: document nested deeper"},
		{name: "deep block nesting", setup: tpl("Resources:\n" + strings.Repeat(" ", 2000) + "x: 1\n"), code: 2, want: "template.yaml:2: document nested deeper"},
		{name: "huge file", setup: tpl("Resources: {}\n" + strings.Repeat("#", 17<<20)), code: 2, want: "over the 16777216-byte limit"},
		{name: "15 MB alias-free is not a bomb", setup: tpl(flat), code: 2, want: "values (templates hold a few thousand)"},
		{name: "template is a FIFO", setup: func(t *testing.T, a app) []string {
			must(t, syscall.Mkfifo(a.path("template.yaml"), 0o644))
			return []string{a.path("template.yaml")}
		}, code: 2, want: "named pipe"},
		{name: "template is /dev/zero", setup: func(t *testing.T, a app) []string {
			must(t, os.Symlink("/dev/zero", a.path("template.yaml")))
			return []string{a.path("template.yaml")}
		}, code: 2, want: "template.yaml"},
		{name: "scanned folder with a FIFO and /dev/zero yaml", setup: func(t *testing.T, a app) []string {
			write(t, a.path("t/template.yaml"), fn("s3://b/k.zip", "app.handler"))
			must(t, syscall.Mkfifo(a.path("t/pipe.yaml"), 0o644))
			must(t, os.Symlink("/dev/zero", a.path("t/zero.yaml")))
			must(t, os.Symlink(filepath.Join(a.outside, "fifo.py"), a.path("t/outside.yaml")))
			return []string{"--format", "json", a.path("t")}
		}, code: 0, want: `"Fn"`},
		{name: "code file is /dev/zero", setup: withCode(func(t *testing.T, a app) {
			must(t, os.Remove(a.path("src/app.py")))
			must(t, os.Symlink("/dev/zero", a.path("src/app.py")))
		}), code: 0, want: `"Fn"`},
		{name: "code file is a FIFO", setup: withCode(func(t *testing.T, a app) {
			must(t, syscall.Mkfifo(a.path("src/helper.py"), 0o644))
		}), code: 0, want: `"Fn"`},
		{name: "imported module links to a FIFO outside", setup: withCode(func(t *testing.T, a app) {
			must(t, os.Symlink(filepath.Join(a.outside, "fifo.py"), a.path("src/helper.py")))
		}), code: 0, want: `"Fn"`},
		{name: "imported module links to a file outside", setup: withCode(func(t *testing.T, a app) {
			must(t, os.Symlink(filepath.Join(a.outside, "secret.py"), a.path("src/lib.py")))
		}), code: 0, want: "outside the project root: not read"},
		{name: "requirements.txt is /dev/zero", setup: withCode(func(t *testing.T, a app) {
			must(t, os.Symlink("/dev/zero", a.path("src/requirements.txt")))
		}), code: 0, want: `"Fn"`},
		{name: "requirements.txt is a FIFO", setup: withCode(func(t *testing.T, a app) {
			must(t, syscall.Mkfifo(a.path("src/requirements.txt"), 0o644))
		}), code: 0, want: `"Fn"`},
		{name: "requirements.txt links outside", setup: withCode(func(t *testing.T, a app) {
			must(t, os.Symlink(filepath.Join(a.outside, "requirements.txt"), a.path("src/requirements.txt")))
		}), code: 0, want: `"Fn"`},
		{name: "package.json is /dev/zero", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), strings.Replace(fn("src", "app.handler"), "python3.12", "nodejs20.x", 1))
			write(t, a.path("src/app.js"), "exports.handler = async () => 1;\n")
			must(t, os.Symlink("/dev/zero", a.path("src/package.json")))
			must(t, syscall.Mkfifo(a.path("src/package-lock.json"), 0o644))
			return []string{"--format", "json", a.path("template.yaml")}
		}, code: 0, want: `"Fn"`},
		{name: "CodeUri /dev/zero", setup: tpl(fn("/dev/zero", "app.handler")), code: 0, want: "code outside the project root: not read"},
		{name: "CodeUri /etc", setup: tpl(fn("/etc", "passwd.handler")), code: 0, want: "code outside the project root: not read"},
		{name: "CodeUri /", setup: tpl(fn("/", "app.handler")), code: 0, want: "code outside the project root: not read"},
		{name: "CodeUri ../outside", setup: tpl(fn("../outside", "secret.handler")), code: 0, want: "code outside the project root: not read"},
		{name: "CodeUri ../../..", setup: tpl(fn("../../..", "app.handler")), code: 0, want: "code outside the project root: not read"},
		{name: "code folder links outside", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("linked", "secret.handler"))
			must(t, os.Symlink(a.outside, a.path("linked")))
			return []string{"--format", "json", a.path("template.yaml")}
		}, code: 0, want: "code outside the project root: not read"},
		{name: "symlink loop", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("loop1", "app.handler"))
			must(t, os.Symlink("loop2", a.path("loop1")))
			must(t, os.Symlink("loop1", a.path("loop2")))
			return []string{"--format", "json", a.path("template.yaml")}
		}, code: 0, want: `"Fn"`},
		{name: "--root lets a monorepo read ../src", setup: func(t *testing.T, a app) []string {
			write(t, a.path("infra/template.yaml"), fn("../src", "app.handler"))
			write(t, a.path("src/app.py"), handlerPy)
			return []string{"--format", "json", "--root", a.root, a.path("infra/template.yaml")}
		}, code: 0, want: "s3:ListAllMyBuckets"},
		{name: "duplicate keys", setup: tpl("Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies: []\n      Handler: a.b\n      Policies: [{Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}]\n"), code: 2, want: "template.yaml:7: duplicate key Resources.F.Properties.Policies (first at line 5)"},
		{name: "UTF-16 without BOM", setup: tpl(utf16le("Resources: {}\n", false)), code: 2, want: "template.yaml:1: UTF-16"},
		{name: "UTF-16 with BOM", setup: tpl(utf16le("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n", true)), code: 0, want: `"T"`},
		{name: "binary", setup: tpl("\x7fELF\x02\x01\x01\x00\x00\x00\x00"), code: 2, want: "template.yaml:1: binary data"},
		{name: "YAML that is not a template", setup: tpl("foo: bar\n"), code: 2, want: "template.yaml:1: not a CloudFormation/SAM template"},
		{name: "JSON that is not a template", setup: func(t *testing.T, a app) []string {
			write(t, a.path("package.json"), `{"a": 1}`)
			return []string{a.path("package.json")}
		}, code: 2, want: "package.json:1: not a CloudFormation/SAM template"},
		{name: "--rules missing folder", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("src", "app.handler"))
			return []string{"--rules", a.path("no-such-rules"), a.path("template.yaml")}
		}, code: 2, want: "--rules " + "%ROOT%/no-such-rules: no such file or directory"},
		{name: "--rules with a broken rule", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("src", "app.handler"))
			write(t, a.path("rules/r.yaml"), "id: X-1\nfoo: 1\nbar: 2\nbaz: 3\n")
			return []string{"--rules", a.path("rules"), a.path("template.yaml")}
		}, code: 2, want: "r.yaml:2: field foo not found"},
		{name: "--rules file is a FIFO", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("src", "app.handler"))
			must(t, os.MkdirAll(a.path("rules"), 0o755))
			must(t, syscall.Mkfifo(a.path("rules/r.yaml"), 0o644))
			return []string{"--rules", a.path("rules"), a.path("template.yaml")}
		}, code: 2, want: "named pipe"},
		{name: "--rules file is /dev/zero", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("src", "app.handler"))
			must(t, os.MkdirAll(a.path("rules"), 0o755))
			must(t, os.Symlink("/dev/zero", a.path("rules/r.yaml")))
			return []string{"--rules", a.path("rules"), a.path("template.yaml")}
		}, code: 2, want: "r.yaml"},
		{name: "graph with /dev/zero code", cmd: "graph", setup: func(t *testing.T, a app) []string {
			write(t, a.path("template.yaml"), fn("/dev/zero", "app.handler"))
			return []string{"--format", "dot", a.path("template.yaml")}
		}, code: 0, want: "digraph"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t)
			args := c.setup(t, a)
			cmd := c.cmd
			if cmd == "" {
				cmd = "analyze"
			}
			r := run(t, a.root, append([]string{cmd}, args...)...)
			want := strings.ReplaceAll(c.want, "%ROOT%", a.root)
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			t.Logf("exit %d in %v, peak RSS %d MB; stderr: %s", r.code, r.took.Round(time.Millisecond), r.rssMB, strings.TrimSpace(r.stderr))
			switch {
			case r.code != c.code:
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, c.code, r.stderr)
			case strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine "):
				t.Fatalf("panicked:\n%s", r.stderr)
			case r.rssMB > maxRSSMB:
				t.Fatalf("peak RSS %d MB, over %d MB", r.rssMB, maxRSSMB)
			case strings.Contains(r.stdout+r.stderr, marker):
				t.Fatalf("a file outside the project root was read: %q appears in the output", marker)
			}
			if c.code == 2 {
				if len(lines) != 1 || !strings.HasPrefix(lines[0], "samthreat: ") {
					t.Fatalf("want one stderr line, got %d:\n%s", len(lines), r.stderr)
				}
				if !strings.Contains(lines[0], want) {
					t.Fatalf("stderr %q does not say %q", lines[0], want)
				}
				return
			}
			if !strings.Contains(r.stdout, want) {
				t.Fatalf("output does not contain %q:\n%.2000s", want, r.stdout)
			}
		})
	}
}
