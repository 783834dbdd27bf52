package code

import (
	"slices"
	"strings"
)

// languageNames are the languages samthreat reads, in words, in the order a
// message lists them.
var languageNames = []struct{ id, name string }{
	{JavaScript, "JavaScript"}, {TypeScript, "TypeScript"}, {Python, "Python"},
	{Java, "Java"}, {Ruby, "Ruby"}, {CSharp, "C#"}, {Go, "Go"},
}

// NotReadByBuild lists, in words, the languages whose code this build of
// samthreat cannot read: the tree-sitter grammars are C, so a build without
// cgo (CGO_ENABLED=0, or no C compiler) reads only Go. Empty in a full build.
func NotReadByBuild() []string {
	var out []string
	for _, l := range languageNames {
		if _, ok := analyzers[l.id]; !ok {
			out = append(out, l.name)
		}
	}
	return out
}

// BuildLimit is a one-line warning about what this build cannot read, or ""
// when it reads every language samthreat supports.
func BuildLimit() string {
	langs := NotReadByBuild()
	if len(langs) == 0 {
		return ""
	}
	return "built without cgo (no C compiler, or CGO_ENABLED=0): " + joinWords(langs) +
		" code is not read, so c_f is unknown and no least-privilege advice is given; rebuild with a C compiler and CGO_ENABLED=1 for the full analysis"
}

func joinWords(w []string) string {
	w = slices.Clone(w)
	if len(w) < 2 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
