package gvcache

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// entry lays out a compiled module as wazero v1.10 writes it.
func entry(code []byte, sum uint32) []byte {
	var b bytes.Buffer
	b.Write(magic)
	b.WriteByte(byte(len("v1.10.1")))
	b.WriteString("v1.10.1")
	b.Write(binary.LittleEndian.AppendUint32(nil, 2))
	b.Write(binary.LittleEndian.AppendUint64(nil, 0))
	b.Write(binary.LittleEndian.AppendUint64(nil, 4))
	b.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(code))))
	b.Write(code)
	b.Write(binary.LittleEndian.AppendUint32(nil, sum))
	b.WriteByte(0)
	return b.Bytes()
}

func TestCleanRemovesCorruptEntries(t *testing.T) {
	dir := t.TempDir()
	v := filepath.Join(dir, "wazero-v1.10.1-amd64-linux")
	if err := os.Mkdir(v, 0o700); err != nil {
		t.Fatal(err)
	}
	code := []byte("native code of Graphviz")
	files := map[string][]byte{
		"good":      entry(code, crc32.Checksum(code, crc)),
		"bad-sum":   entry(code, crc32.Checksum(code, crc)+1),
		"truncated": entry(code, crc32.Checksum(code, crc))[:20],
		"garbage":   []byte("not a module"),
		"x.tmp":     entry(code, crc32.Checksum(code, crc)),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(v, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	clean(dir)
	left, _ := os.ReadDir(v)
	if len(left) != 1 || left[0].Name() != "good" {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Fatalf("left %v, want only the valid entry", names)
	}
}

// TestCacheIsTheUsers: the process-wide setup ran before go-graphviz (which
// internal/diagram imports; its tests show the cache is used): the folder is
// the user's, private.
func TestCacheIsTheUsers(t *testing.T) {
	if Dir == "" {
		t.Skipf("cache off: %s", Why)
	}
	st, err := os.Stat(Dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v %v", Dir, st.Mode(), err)
	}
	base, _ := os.UserCacheDir()
	if filepath.Dir(filepath.Dir(Dir)) != base {
		t.Fatalf("cache %s is not under the user's cache folder %s", Dir, base)
	}
}
