// Package safefs is the one way samthreat reads a file that a template points
// at: the template itself, function code, dependency manifests and lock
// files, rule files. A template is written by someone else, so every read is
//
//   - confined: the path is resolved (symlinks included) and must lie inside
//     the application's root (the template's folder, or the --root the user
//     gave); anything outside is not opened;
//   - non-blocking: files are opened with O_NONBLOCK and checked on the
//     opened descriptor to be regular files, so a FIFO, a device (/dev/zero)
//     or a folder is refused instead of hanging or streaming forever;
//   - bounded: a size cap per kind of file and a total byte budget per
//     analysis.
//
// An FS is cheap and safe for concurrent use; a nil *FS confines nothing but
// keeps the other guarantees.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Kind is what a file is for; each kind has its own size cap.
type Kind int

// Kinds of files samthreat reads.
const (
	Template Kind = iota
	Code
	Manifest
	Lock
	Rule
	Other
)

// Size caps per kind. CloudFormation caps templates at 1 MB; lock files of
// large Node applications reach a few MB.
var caps = [...]int64{
	Template: 16 << 20,
	Code:     2 << 20,
	Manifest: 2 << 20,
	Lock:     16 << 20,
	Rule:     1 << 20,
	Other:    4 << 20,
}

// Cap is the size cap of a kind of file.
func Cap(k Kind) int64 {
	if int(k) < 0 || int(k) >= len(caps) {
		return caps[Other]
	}
	return caps[k]
}

func (k Kind) String() string {
	switch k {
	case Template:
		return "template"
	case Code:
		return "code file"
	case Manifest:
		return "dependency manifest"
	case Lock:
		return "lock file"
	case Rule:
		return "rule file"
	}
	return "file"
}

// DefaultBudget is the total number of bytes one analysis may read.
const DefaultBudget = 256 << 20

// Reasons a file is not read. Errors returned by FS wrap one of them.
var (
	ErrOutside    = errors.New("outside the project root: not read")
	ErrNotRegular = errors.New("not a regular file (a FIFO, device or folder): not read")
	ErrTooLarge   = errors.New("too large")
	ErrBudget     = errors.New("over the analysis's read budget: not read")
	ErrNoFiles    = errors.New("no folder to read from (the template was imported as text): not read")
)

// Error is a refused or failed read: the path as given and why.
type Error struct {
	Path string
	Err  error
	Msg  string // optional detail replacing Err's text
}

func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Path + ": " + e.Msg
	}
	return e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Reason is the error's text without the path (for notes that name the file
// themselves).
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Msg != "" {
			return e.Msg
		}
		return e.Err.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FS reads files confined to a root with a byte budget.
type FS struct {
	root   string // absolute, symlinks resolved; "" with none: nothing is read
	none   bool
	budget int64
	used   atomic.Int64
}

// New confines reads to root (a folder; symlinks resolved), with the default
// budget.
func New(root string) (*FS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, &Error{Path: root, Err: err}
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, &Error{Path: root, Err: err, Msg: Reason(err)}
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, &Error{Path: root, Err: err, Msg: Reason(err)}
	}
	if !st.IsDir() {
		return nil, &Error{Path: root, Err: ErrNotRegular, Msg: "not a folder"}
	}
	return &FS{root: real, budget: DefaultBudget}, nil
}

// None is an FS that reads nothing: a template imported as text has no
// folder, so the code it names is not read.
func None() *FS { return &FS{none: true} }

// WithBudget sets the total bytes the FS may read (for tests and callers that
// know better).
func (f *FS) WithBudget(n int64) *FS {
	if f != nil {
		f.budget = n
	}
	return f
}

// Root is the confining folder ("" for a nil or None FS).
func (f *FS) Root() string {
	if f == nil {
		return ""
	}
	return f.root
}

// Confined reports whether the FS confines reads to a root (or reads nothing).
func (f *FS) Confined() bool { return f != nil && (f.none || f.root != "") }

// Readable reports whether the FS can read anything at all.
func (f *FS) Readable() bool { return f == nil || !f.none }

// Used is the number of bytes read so far.
func (f *FS) Used() int64 {
	if f == nil {
		return 0
	}
	return f.used.Load()
}

// Resolve returns the real path of p (absolute, symlinks resolved) when it
// lies inside the root. A path that does not exist gives an error wrapping
// fs.ErrNotExist; one outside the root gives ErrOutside.
func (f *FS) Resolve(p string) (string, error) {
	if f != nil && f.none {
		return "", &Error{Path: p, Err: ErrNoFiles}
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", &Error{Path: p, Err: err}
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		// A missing path inside the root is "not found"; one outside the
		// root is refused before anything else is said about it. It is
		// judged where it would really be, symlinks resolved as the root
		// is (a template reached through a symlinked folder, such as
		// macOS's /var, keeps its missing files inside the root; a dangling
		// link to a missing file outside is outside, as if it existed).
		if f != nil && f.root != "" && !within(realOfMissing(abs, 0), f.root) {
			return "", &Error{Path: p, Err: ErrOutside}
		}
		return "", &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	if f != nil && f.root != "" && !within(real, f.root) {
		return "", &Error{Path: p, Err: ErrOutside}
	}
	return real, nil
}

// realOfMissing resolves abs as far as it exists: the deepest existing
// entry with its symlinks resolved (a dangling symlink followed to where it
// points, so a link to a missing file outside is outside too), the rest
// joined. depth bounds link chains.
func realOfMissing(abs string, depth int) string {
	dir, rest := abs, ""
	for {
		if fi, err := os.Lstat(dir); err == nil {
			if fi.Mode()&fs.ModeSymlink != 0 && depth < 40 {
				if target, err := os.Readlink(dir); err == nil {
					if !filepath.IsAbs(target) {
						target = filepath.Join(filepath.Dir(dir), target)
					}
					return realOfMissing(filepath.Join(target, rest), depth+1)
				}
			}
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				return filepath.Join(real, rest)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// Contains reports whether p exists and resolves inside the root.
func (f *FS) Contains(p string) bool {
	_, err := f.Resolve(p)
	return err == nil
}

// Stat is os.Stat of the resolved path, confined.
func (f *FS) Stat(p string) (fs.FileInfo, error) {
	real, err := f.Resolve(p)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	return st, nil
}

// IsFile reports whether p is a regular file inside the root.
func (f *FS) IsFile(p string) bool {
	st, err := f.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// IsDir reports whether p is a folder inside the root.
func (f *FS) IsDir(p string) bool {
	st, err := f.Stat(p)
	return err == nil && st.IsDir()
}

// ReadDir lists a folder inside the root.
func (f *FS) ReadDir(p string) ([]fs.DirEntry, error) {
	real, err := f.Resolve(p)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return ents, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	return ents, nil
}

// WalkDir walks the folder p, which must resolve inside the root and not be
// the filesystem's root. Like filepath.WalkDir it never follows symbolic
// links to folders; paths given to fn are under p as given. Files reached
// through a symbolic link are still confined when read (ReadFile).
func (f *FS) WalkDir(p string, fn fs.WalkDirFunc) error {
	real, err := f.Resolve(p)
	if err != nil {
		return err
	}
	if real == filepath.Dir(real) {
		return &Error{Path: p, Err: ErrOutside, Msg: "refusing to walk the filesystem's root"}
	}
	return filepath.WalkDir(p, fn)
}

// ReadFile reads the regular file p, confined to the root, without blocking
// on FIFOs or devices, within the cap of its kind and the FS's budget.
func (f *FS) ReadFile(p string, k Kind) ([]byte, error) {
	real, err := f.Resolve(p)
	if err != nil {
		return nil, err
	}
	fh, err := openNonBlocking(real)
	if err != nil {
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "is a folder"
		case st.Mode()&fs.ModeNamedPipe != 0:
			what = "is a named pipe (FIFO)"
		case st.Mode()&fs.ModeDevice != 0:
			what = "is a device"
		case st.Mode()&fs.ModeSocket != 0:
			what = "is a socket"
		}
		return nil, &Error{Path: p, Err: ErrNotRegular, Msg: what + ", not a regular file: not read"}
	}
	max := Cap(k)
	if st.Size() > max {
		return nil, &Error{Path: p, Err: ErrTooLarge, Msg: fmt.Sprintf("%s is %d bytes, over the %d-byte limit", k, st.Size(), max)}
	}
	if f != nil && f.budget > 0 {
		if f.used.Add(st.Size()) > f.budget {
			return nil, &Error{Path: p, Err: ErrBudget, Msg: fmt.Sprintf("over the %d-byte read budget of one analysis: not read", f.budget)}
		}
	}
	data, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err != nil {
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	if int64(len(data)) > max { // grew while being read
		return nil, &Error{Path: p, Err: ErrTooLarge, Msg: fmt.Sprintf("%s is over the %d-byte limit", k, max)}
	}
	return data, nil
}

// ReadFile reads p with no confinement but every other guarantee (regular
// file, non-blocking, cap of its kind): for files the user names directly.
func ReadFile(p string, k Kind) ([]byte, error) {
	var f *FS
	return f.ReadFile(p, k)
}

// Within reports whether p lies inside dir (both clean absolute paths).
func Within(p, dir string) bool { return within(p, dir) }

func within(p, dir string) bool {
	if dir == "" {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// OpenFile opens p for reading without blocking and returns it only when it
// is a regular file (no confinement: for files the user names directly,
// such as a project file to import).
func OpenFile(p string) (*os.File, error) {
	fh, err := openNonBlockingFollow(p)
	if err != nil {
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, &Error{Path: p, Err: err, Msg: Reason(err)}
	}
	if !st.Mode().IsRegular() {
		fh.Close()
		return nil, &Error{Path: p, Err: ErrNotRegular}
	}
	return fh, nil
}
