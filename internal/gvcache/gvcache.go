// Package gvcache puts go-graphviz's compiled WebAssembly cache in the
// user's own cache folder, before go-graphviz starts.
//
// go-graphviz v0.2.10 compiles Graphviz's WebAssembly with wazero in a
// package init and caches the native code in os.TempDir()/go-graphviz: a
// folder shared by every user of the machine (created by one user, it makes
// another's run panic with "permission denied"), holding native code that
// only a CRC protects (a corrupted file panics with "checksum mismatch").
// Its init reads $TMPDIR, so this package, which initialises before it (Go
// initialises packages in import-path order once their imports are ready:
// "github.com/samthreat/..." comes before wazero, which go-graphviz needs),
// points $TMPDIR at os.UserCacheDir()/samthreat for that moment: the cache
// becomes <user cache>/samthreat/go-graphviz, mode 0700, owned by the user.
// Cache files that do not pass wazero's own checks are deleted first, so a
// corrupted cache is recompiled instead of crashing. Restore (called by
// internal/diagram's init, after go-graphviz's) gives $TMPDIR back.
//
// SAMTHREAT_GRAPHVIZ_CACHE=off turns the cache off (each run then compiles
// Graphviz again, about 0.7 s); so does a cache folder that is not the
// user's own.
package gvcache

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"strings"
)

var (
	oldTMPDIR, hadTMPDIR = "", false
	changed              bool
	// Dir is the cache folder in use ("" when the cache is off).
	Dir string
	// Why says why the cache is off ("" when it is on).
	Why string
)

func init() { setup() }

func setup() {
	oldTMPDIR, hadTMPDIR = os.LookupEnv("TMPDIR")
	parent, why := cacheParent()
	if parent == "" {
		Why = why
		parent = os.DevNull // go-graphviz cannot create <DevNull>/go-graphviz: no cache
	} else {
		Dir = parent + string(os.PathSeparator) + "go-graphviz"
		clean(Dir)
	}
	if os.Setenv("TMPDIR", parent) == nil {
		changed = true
	}
}

// Restore gives $TMPDIR its value from before go-graphviz's init.
func Restore() {
	if !changed {
		return
	}
	changed = false
	if hadTMPDIR {
		_ = os.Setenv("TMPDIR", oldTMPDIR)
	} else {
		_ = os.Unsetenv("TMPDIR")
	}
}

// cacheParent is <user cache>/samthreat, created 0700 with go-graphviz
// inside it 0700, when both are the user's own; "" and why otherwise.
func cacheParent() (string, string) {
	if v := strings.ToLower(os.Getenv("SAMTHREAT_GRAPHVIZ_CACHE")); v == "off" || v == "0" || v == "false" {
		return "", "turned off by SAMTHREAT_GRAPHVIZ_CACHE"
	}
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		return "", "no user cache folder"
	}
	parent := base + string(os.PathSeparator) + "samthreat"
	dir := parent + string(os.PathSeparator) + "go-graphviz"
	for _, d := range []string{parent, dir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", "cannot create " + d + ": " + err.Error()
		}
		if !ownPrivate(d) {
			return "", d + " is not a private folder of this user"
		}
	}
	return parent, ""
}

// clean deletes the compiled modules under dir that wazero would refuse
// (bad header, short, checksum mismatch): wazero fails, and go-graphviz
// panics in its init, on such a file; without it the module is compiled
// again and the file rewritten.
func clean(dir string) {
	subs, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, s := range subs {
		if !s.IsDir() || !strings.HasPrefix(s.Name(), "wazero-") {
			continue
		}
		vdir := dir + string(os.PathSeparator) + s.Name()
		files, err := os.ReadDir(vdir)
		if err != nil {
			continue
		}
		for _, f := range files {
			p := vdir + string(os.PathSeparator) + f.Name()
			if !f.Type().IsRegular() || strings.HasSuffix(f.Name(), ".tmp") || !Valid(p) {
				_ = os.RemoveAll(p)
			}
		}
	}
}

var (
	magic = []byte("WAZEVO")
	crc   = crc32.MakeTable(crc32.Castagnoli)
)

// maxEntry bounds what Valid reads (Graphviz compiles to about 20 MB).
const maxEntry = 512 << 20

// Valid reports whether a compiled-module file has wazero's layout (magic,
// version, function offsets, code) and its code matches its checksum. A file
// from another wazero version is valid (wazero treats it as stale and
// recompiles).
func Valid(p string) bool {
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxEntry {
		return false
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxEntry))
	if err != nil {
		return false
	}
	if !bytes.HasPrefix(data, magic) || len(data) < len(magic)+1 {
		return false
	}
	i := len(magic)
	vlen := int(data[i])
	i++
	if len(data) < i+vlen+4 {
		return false
	}
	i += vlen
	n := uint64(binary.LittleEndian.Uint32(data[i:]))
	i += 4
	if uint64(len(data)-i) < n*8+8 {
		return false
	}
	i += int(n * 8)
	codeLen := binary.LittleEndian.Uint64(data[i:])
	i += 8
	if codeLen > uint64(len(data)-i) || uint64(len(data)-i)-codeLen < 5 {
		return codeLen == 0 && len(data)-i >= 1
	}
	code := data[i : i+int(codeLen)]
	i += int(codeLen)
	return crc32.Checksum(code, crc) == binary.LittleEndian.Uint32(data[i:])
}
