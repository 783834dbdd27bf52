package code

// unquote strips the quotes of a string literal's text. It lives in an
// untagged file because hosts.go needs it in builds without cgo too.
func unquote(s string) string {
	if len(s) >= 2 {
		switch s[0] {
		case '"', '\'', '`':
			if s[len(s)-1] == s[0] {
				return s[1 : len(s)-1]
			}
		}
	}
	return s
}
