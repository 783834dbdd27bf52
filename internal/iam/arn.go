package iam

import "strings"

// SplitARN splits arn:partition:service:region:account:resource on the
// colons outside ${...} placeholders (arn:aws:lambda:${AWS::Region}:1234...
// keeps its account in the fifth field), into exactly 6 parts, or nil when
// s is not such an ARN. The adapters and the rules read ARNs through it.
func SplitARN(s string) []string {
	if !strings.HasPrefix(s, "arn:") {
		return nil
	}
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s) && len(parts) < 5; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	if len(parts) < 6 {
		return nil
	}
	return parts
}
