//go:build unix

package safefs

import (
	"os"
	"syscall"
)

// openNonBlocking opens for reading without blocking on a FIFO with no
// writer and without following a symbolic link in the last component (the
// path was resolved just before).
func openNonBlocking(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
}

// openNonBlockingFollow is openNonBlocking for a path the user named, which
// may be a symbolic link.
func openNonBlockingFollow(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
}
