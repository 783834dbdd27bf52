package blast

import (
	"github.com/samthreat/samthreat/internal/model"
)

// Summarize computes the application figures from the functions' Blast:
// attack surface a = sum(c_f) x |union of d_f|, monolith potential impact
// = a x |union of r_f|, split potential impact = sum(c_f x d_f x r_f).
// Unions, not sums: a package or resource shared by two functions is one
// package or resource of the application.
func Summarize(m *model.Model) {
	var sumC, split int64
	dep := map[string]bool{}
	res := map[string]bool{}
	m.Summary.CodeFound, m.Summary.CodeParsed, m.Summary.CodeNotRead = 0, 0, 0
	for _, f := range m.Functions {
		b := f.Blast
		if b == nil {
			continue
		}
		sumC += int64(b.Complexity)
		split += b.BlastRadius
		for _, d := range b.DependencyNames {
			dep[ecosystemOf(b.Language)+":"+d] = true
		}
		if len(b.DependencyNames) == 0 {
			dep["runtime:"+runtimeFamily(f.Runtime)] = true
		}
		for _, r := range b.ReachedResources {
			res[r] = true
		}
		if len(b.CodeFiles) > 0 {
			m.Summary.CodeFound++
			if b.CodeParsed {
				m.Summary.CodeParsed++
			}
			if b.CodeNotRead {
				m.Summary.CodeNotRead++
			}
		}
	}
	m.Summary.AttackSurface = sumC * int64(len(dep))
	m.Summary.MonolithImpact = m.Summary.AttackSurface * int64(len(res))
	m.Summary.SplitImpact = split
}

// ecosystemOf keeps npm's uuid and PyPI's uuid apart in the union.
func ecosystemOf(lang string) string {
	switch lang {
	case "javascript", "typescript":
		return "npm"
	case "python":
		return "pypi"
	case "go":
		return "go"
	case "java":
		return "maven"
	case "ruby":
		return "rubygems"
	case "csharp":
		return "nuget"
	}
	return lang
}

func runtimeFamily(rt string) string {
	if rt == "" {
		return "unknown"
	}
	return rt
}
