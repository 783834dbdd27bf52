// Package uniq is the one way samthreat drops repeats from a list: the first
// of each value stays, in order.
package uniq

// Keep returns in without repeated values, first occurrences in order. A
// list of fewer than two values is returned as it is; otherwise the result
// is a new slice (in is not changed).
func Keep[T comparable](in []T) []T {
	if len(in) < 2 {
		return in
	}
	seen := make(map[T]bool, len(in))
	out := make([]T, 0, len(in))
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
