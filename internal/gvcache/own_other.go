//go:build !unix

package gvcache

import "os"

// ownPrivate: the user's cache folder on these systems is per user.
func ownPrivate(d string) bool {
	st, err := os.Stat(d)
	return err == nil && st.IsDir()
}
