package blast

import (
	"github.com/samthreat/samthreat/internal/model"
)

// Summarize computes the application figures from the functions' Blast.
// The monolith is the one computed merge of every function (what Merge and
// the workbench's "against its monolith" compute too): attack surface
// a = c x |union of d_f|, where c is the complexity of the union of the
// functions' code (each module once), and monolith potential impact
// = a x max(1, |union of r_f|); split potential impact = sum(c_f x d_f x r_f).
// Unions, not sums: a module, package or resource shared by two functions
// is one module, package or resource of the application.
func Summarize(m *model.Model) {
	var split int64
	var withBlast []*model.Function
	dep := map[string]bool{}
	res := map[string]bool{}
	m.Summary.CodeFound, m.Summary.CodeParsed, m.Summary.CodeNotRead, m.Summary.ComplexityEstimated = 0, 0, 0, 0
	for _, f := range m.Functions {
		b := f.Blast
		if b == nil {
			continue
		}
		withBlast = append(withBlast, f)
		if b.ComplexityEstimated {
			m.Summary.ComplexityEstimated++
		}
		split += b.BlastRadius
		for _, k := range depKeys(f) {
			dep[k] = true
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
	if len(withBlast) == 0 {
		m.Summary.AttackSurface, m.Summary.MonolithImpact, m.Summary.SplitImpact = 0, 0, 0
		return
	}
	code, _ := CodeComplexity(withBlast)
	m.Summary.AttackSurface = code * int64(len(dep))
	m.Summary.MonolithImpact = m.Summary.AttackSurface * int64(max(1, len(res)))
	m.Summary.SplitImpact = split
}

// depKeys are a function's dependencies as the application's union counts
// them: packages by ecosystem, and the runtime itself for a function that
// ships none.
func depKeys(f *model.Function) []string {
	b := f.Blast
	if len(b.DependencyNames) == 0 {
		return []string{"runtime:" + runtimeFamily(f.Runtime)}
	}
	out := make([]string, 0, len(b.DependencyNames))
	for _, d := range b.DependencyNames {
		out = append(out, ecosystemOf(b.Language)+":"+d)
	}
	return out
}

// CodeComplexity is the complexity of the union of the functions' code:
// each module once (two functions sharing a library module count it once),
// plus the figure of each function whose modules were not measured (an
// estimate, reported as such), at least 1.
func CodeComplexity(fns []*model.Function) (c int64, estimated bool) {
	seen := map[string]bool{}
	for _, f := range fns {
		b := f.Blast
		if b == nil {
			continue
		}
		if len(b.ModuleComplexity) == 0 {
			c += int64(b.Complexity)
			estimated = estimated || b.ComplexityEstimated || len(b.CodeFiles) == 0
			continue
		}
		for file, n := range b.ModuleComplexity {
			if !seen[file] {
				seen[file] = true
				c += int64(n)
			}
		}
	}
	return max(1, c), estimated
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
