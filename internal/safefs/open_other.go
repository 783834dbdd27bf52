//go:build !unix

package safefs

import "os"

// openNonBlocking: on systems without FIFOs in the Unix sense, a plain open;
// the descriptor is still checked to be a regular file before reading.
func openNonBlocking(p string) (*os.File, error) {
	return os.Open(p)
}

func openNonBlockingFollow(p string) (*os.File, error) { return os.Open(p) }
