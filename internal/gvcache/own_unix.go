//go:build unix

package gvcache

import (
	"os"
	"syscall"
)

// ownPrivate reports whether d is a folder of this user that nobody else
// can write (made 0700 when it is the user's).
func ownPrivate(d string) bool {
	st, err := os.Lstat(d)
	if err != nil || !st.IsDir() {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok || int(sys.Uid) != os.Getuid() {
		return false
	}
	if st.Mode().Perm() != 0o700 {
		return os.Chmod(d, 0o700) == nil
	}
	return true
}
