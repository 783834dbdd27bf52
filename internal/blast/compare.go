package blast

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Figures are one template's application figures.
type Figures struct {
	Template       string `json:"template"`
	Functions      int    `json:"functions"`
	Complexity     int64  `json:"complexity"`     // sum of c_f
	CodeComplexity int64  `json:"codeComplexity"` // complexity of the union of the code (each module once): the monolith's c
	Dependencies   int    `json:"dependencies"`   // |union of d_f|
	Resources      int    `json:"resources"`      // |union of r_f|
	AttackSurface  int64  `json:"attackSurface"`
	MonolithImpact int64  `json:"monolithImpact"`
	SplitImpact    int64  `json:"splitImpact"`
	CodeFound      int    `json:"codeFound"`
	CodeParsed     int    `json:"codeParsed"`
	Findings       int    `json:"findings"`

	CodeNotRead int `json:"codeNotRead,omitempty"` // functions whose code this build cannot parse (no cgo)
}

// FigureSet computes a model's figures (its Blast must be computed).
func FigureSet(m *model.Model) Figures {
	f := Figures{Template: m.Template, Functions: len(m.Functions), AttackSurface: m.Summary.AttackSurface,
		MonolithImpact: m.Summary.MonolithImpact, SplitImpact: m.Summary.SplitImpact,
		CodeFound: m.Summary.CodeFound, CodeParsed: m.Summary.CodeParsed, CodeNotRead: m.Summary.CodeNotRead}
	deps, res := unions(m)
	f.Dependencies, f.Resources = len(deps), len(res)
	var fns []*model.Function
	for _, fn := range m.Functions {
		if fn.Blast != nil {
			f.Complexity += int64(fn.Complexity)
			fns = append(fns, fn)
		}
	}
	if len(fns) > 0 {
		f.CodeComplexity, _ = CodeComplexity(fns)
	}
	for _, x := range m.Findings {
		if !x.Suppressed {
			f.Findings++
		}
	}
	return f
}

func unions(m *model.Model) (deps, res map[string]bool) {
	deps, res = map[string]bool{}, map[string]bool{}
	for _, f := range m.Functions {
		b := f.Blast
		if b == nil {
			continue
		}
		for _, k := range depKeys(f) {
			deps[k] = true
		}
		for _, r := range b.ReachedResources {
			res[r] = true
		}
	}
	return deps, res
}

// FunctionFigures are one function's figures on one side of a comparison.
type FunctionFigures struct {
	Complexity   int   `json:"complexity"`
	Dependencies int   `json:"dependencies"`
	Resources    int   `json:"resources"`
	BlastRadius  int64 `json:"blastRadius"`
	CodeNotRead  bool  `json:"codeNotRead,omitempty"` // c_f unknown: this build cannot parse the code (no cgo)
}

// FunctionDelta compares one function (by logical id) between two templates.
type FunctionDelta struct {
	ID    string           `json:"id"`
	Base  *FunctionFigures `json:"base,omitempty"`  // nil: only in OTHER
	Other *FunctionFigures `json:"other,omitempty"` // nil: only in BASE
	Delta int64            `json:"blastRadiusDelta"`
}

// Comparison is BASE against OTHER.
type Comparison struct {
	Base      Figures         `json:"base"`
	Other     Figures         `json:"other"`
	Ratio     *float64        `json:"ratio"` // OTHER split impact / BASE split impact; null when BASE's is 0
	Functions []FunctionDelta `json:"functions"`
	// Findings added in OTHER and removed from BASE, by fingerprint.
	FindingsAdded   []*model.Finding `json:"findingsAdded"`
	FindingsRemoved []*model.Finding `json:"findingsRemoved"`
	Merged          []string         `json:"merged,omitempty"` // functions merged in OTHER (what-if)
	// BaseKind and OtherKind say what each side is: "template" (a template
	// as written, a monolith template included), "merge" (a what-if
	// merge of some functions, computed) or "monolith" (every function
	// merged, computed: the figure the application's "as a monolith"
	// impact gives). Notes explain, in one line each, where a computed and
	// a written figure legitimately differ.
	BaseKind  string   `json:"baseKind,omitempty"`
	OtherKind string   `json:"otherKind,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Comparison sides.
const (
	SideTemplate = "template"
	SideMerge    = "merge"
	SideMonolith = "monolith"
)

// MonolithNote says what the monolith figure is, for every output that
// shows it beside a template's own figures.
const MonolithNote = "monolith impact is computed: every function merged into one (its code counted once per module, " +
	"the union of the dependencies and of the resources reached), the same figure in the functions header, the report and compare; " +
	"a template written as a monolith is measured as written, with its own code, so its figures differ"

// Label names a side of a comparison for people.
func (c *Comparison) Label(kind string) string {
	switch kind {
	case SideMerge:
		return "computed what-if merge"
	case SideMonolith:
		return "computed monolith of the application"
	}
	return "template as written"
}

// Compare puts two analysed models side by side.
func Compare(base, other *model.Model) *Comparison {
	c := &Comparison{Base: FigureSet(base), Other: FigureSet(other), Functions: []FunctionDelta{},
		FindingsAdded: []*model.Finding{}, FindingsRemoved: []*model.Finding{}}
	if c.Base.SplitImpact != 0 {
		r := float64(c.Other.SplitImpact) / float64(c.Base.SplitImpact)
		c.Ratio = &r
	}
	byID := map[string]*FunctionDelta{}
	var ids []string
	side := func(m *model.Model, set func(d *FunctionDelta, f *FunctionFigures)) {
		for _, f := range m.Functions {
			if f.Blast == nil {
				continue
			}
			d, ok := byID[f.ID]
			if !ok {
				d = &FunctionDelta{ID: f.ID}
				byID[f.ID] = d
				ids = append(ids, f.ID)
			}
			set(d, &FunctionFigures{Complexity: f.Complexity, Dependencies: f.Dependencies, Resources: f.ResourceCount, BlastRadius: f.BlastRadius, CodeNotRead: f.CodeNotRead})
		}
	}
	side(base, func(d *FunctionDelta, f *FunctionFigures) { d.Base = f })
	side(other, func(d *FunctionDelta, f *FunctionFigures) { d.Other = f })
	sort.Strings(ids)
	for _, id := range ids {
		d := byID[id]
		if d.Other != nil {
			d.Delta += d.Other.BlastRadius
		}
		if d.Base != nil {
			d.Delta -= d.Base.BlastRadius
		}
		c.Functions = append(c.Functions, *d)
	}
	inBase, inOther := fingerprints(base), fingerprints(other)
	for _, f := range other.Findings {
		if !inBase[f.Fingerprint] {
			c.FindingsAdded = append(c.FindingsAdded, f)
		}
	}
	for _, f := range base.Findings {
		if !inOther[f.Fingerprint] {
			c.FindingsRemoved = append(c.FindingsRemoved, f)
		}
	}
	return c
}

func fingerprints(m *model.Model) map[string]bool {
	out := map[string]bool{}
	for _, f := range m.Findings {
		out[f.Fingerprint] = true
	}
	return out
}

// Merge returns a copy of m in which the named functions are one function
// (what-if): the union of their code (each module counted once),
// dependencies, permissions and resources, with the summary recomputed.
// The merged function takes the first id joined with "+" and the other
// functions' triggers. m itself is not changed.
func Merge(m *model.Model, ids []string) (*model.Model, error) {
	if len(ids) < 2 {
		return nil, fmt.Errorf("merge needs at least two functions, got %d", len(ids))
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.TrimSpace(id)] = true
	}
	var parts []*model.Function
	for _, f := range m.Functions {
		if want[f.ID] {
			parts = append(parts, f)
		}
	}
	if len(parts) != len(want) {
		var missing []string
		for id := range want {
			found := false
			for _, f := range parts {
				found = found || f.ID == id
			}
			if !found {
				missing = append(missing, id)
			}
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("merge: no function %s in %s", strings.Join(missing, ", "), m.Template)
	}
	for _, f := range parts {
		if f.Blast == nil {
			return nil, fmt.Errorf("merge: %s has no blast figures (compute them first)", f.ID)
		}
	}
	out := *m
	out.Summary = m.Summary
	merged := mergeFunctions(parts)
	out.Functions = nil
	placed := false
	for _, f := range m.Functions {
		if !want[f.ID] {
			out.Functions = append(out.Functions, f)
			continue
		}
		if !placed {
			out.Functions = append(out.Functions, merged)
			placed = true
		}
	}
	out.Summary.Functions = len(out.Functions)
	Summarize(&out)
	return &out, nil
}

func mergeFunctions(parts []*model.Function) *model.Function {
	var names []string
	for _, f := range parts {
		names = append(names, f.ID)
	}
	m := newMerger(parts[0], MergedName(names))
	for _, p := range parts {
		m.add(p)
	}
	m.finish()
	m.b.CodeNote = "what-if: " + listNames(names, 6) + " merged into one function"
	return m.f
}

// merger gathers what the functions of a what-if merge hold into one
// function (a copy of the first), counting each file, dependency, resource
// and action once.
type merger struct {
	f                                              *model.Function
	b                                              *model.Blast
	files, deps, depKeys, res, used, unused, grant map[string]bool
	access                                         map[string]map[string]bool // resource -> access levels granted
}

func newMerger(first *model.Function, id string) *merger {
	f := *first
	f.ID = id
	f.Blast = &model.Blast{ModuleComplexity: map[string]int{}, ResourcesByAccess: map[string]int{}, Used: []string{}, Unused: []string{}, SuggestedPolicies: []model.SuggestedPolicy{}}
	f.Events, f.Grants, f.Granted, f.Environment = nil, nil, nil, nil
	return &merger{f: &f, b: f.Blast, files: map[string]bool{}, deps: map[string]bool{}, res: map[string]bool{},
		used: map[string]bool{}, unused: map[string]bool{}, grant: map[string]bool{},
		depKeys: map[string]bool{}, // as Summarize counts them, so the monolith is one figure
		access:  map[string]map[string]bool{}}
}

func (m *merger) add(p *model.Function) {
	pb, b := p.Blast, m.b
	m.f.Events = append(m.f.Events, p.Events...)
	m.f.Environment = append(m.f.Environment, p.Environment...)
	m.f.Grants = append(m.f.Grants, p.Grants...)
	for _, g := range p.Granted {
		m.grant[g] = true
	}
	m.addCode(pb)
	for _, d := range pb.DependencyNames {
		m.deps[d] = true
	}
	for _, k := range depKeys(p) {
		m.depKeys[k] = true
	}
	for _, r := range pb.ReachedResources {
		m.res[r] = true
	}
	for _, g := range p.Grants {
		if m.access[g.Target] == nil {
			m.access[g.Target] = map[string]bool{}
		}
		m.access[g.Target][g.Access] = true
	}
	for _, a := range pb.Used {
		m.used[a] = true
	}
	for _, a := range pb.Unused {
		m.unused[a] = true
	}
	b.SDKCalls = append(b.SDKCalls, pb.SDKCalls...)
	b.SuggestedPolicies = append(b.SuggestedPolicies, pb.SuggestedPolicies...)
	b.CodeParsed = pb.CodeParsed || b.CodeParsed
	b.CodeNotRead = pb.CodeNotRead || b.CodeNotRead
}

// addCode adds a function's code: each module's complexity once, or the
// function's estimate when its code was not seen.
func (m *merger) addCode(pb *model.Blast) {
	b := m.b
	b.Language = pb.Language
	if len(pb.ModuleComplexity) == 0 {
		b.Complexity += pb.Complexity // code not seen: its estimate
		b.ComplexityEstimated = true
	}
	for file, c := range pb.ModuleComplexity {
		if !m.files[file] {
			m.files[file] = true
			b.ModuleComplexity[file] = c
			b.Complexity += c
		}
	}
	for _, file := range pb.CodeFiles {
		if !contains(b.CodeFiles, file) {
			b.CodeFiles = append(b.CodeFiles, file)
		}
	}
}

// finish turns the gathered sets into the merged function's figures.
func (m *merger) finish() {
	b := m.b
	b.DependencyNames = slices.Sorted(maps.Keys(m.deps))
	b.Dependencies = max(1, len(m.depKeys))
	b.ReachedResources = slices.Sorted(maps.Keys(m.res))
	// At least 1, as for every function (blast.go): the merged function
	// still holds its own execution environment. Without the floor a merge
	// of functions that reach nothing would be 0 and look like a gain.
	b.ResourceCount = max(1, len(b.ReachedResources))
	for _, r := range b.ReachedResources {
		for l := range m.access[r] {
			if l != "" {
				b.ResourcesByAccess[l]++
			}
		}
	}
	if len(b.ResourcesByAccess) == 0 {
		b.ResourcesByAccess = nil
	}
	m.f.Granted = slices.Sorted(maps.Keys(m.grant))
	b.Used = slices.Sorted(maps.Keys(m.used))
	for a := range m.unused {
		if !m.used[a] {
			b.Unused = append(b.Unused, a)
		}
	}
	sort.Strings(b.Unused)
	if b.Complexity < 1 {
		b.Complexity = 1
	}
	b.BlastRadius = int64(b.Complexity) * int64(b.Dependencies) * int64(b.ResourceCount)
	b.BlastScore = Score(b.BlastRadius)
}

// MergedName names a merged function: the ids joined with "+", or for more
// than three the first two and how many in all (a merge of 1000 functions
// must not carry 1000 names into every headline).
func MergedName(ids []string) string {
	if len(ids) <= 3 {
		return strings.Join(ids, "+")
	}
	return fmt.Sprintf("%s+%s+… (%d functions)", ids[0], ids[1], len(ids))
}

func listNames(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}

// Monolith returns a copy of m with every function that has blast figures
// merged into one named "monolith (N functions)": the application's
// monolith, whose impact is m.Summary.MonolithImpact.
func Monolith(m *model.Model) (*model.Model, []string, error) {
	var ids []string
	for _, f := range m.Functions {
		if f.Blast != nil {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) < 2 {
		return nil, ids, fmt.Errorf("%d function(s) with blast figures: the application is already a monolith", len(ids))
	}
	mono, err := Merge(m, ids)
	if err != nil {
		return nil, ids, err
	}
	for _, f := range mono.Functions {
		if f.ID == MergedName(ids) {
			f.ID = fmt.Sprintf("monolith (%d functions)", len(ids))
		}
	}
	return mono, ids, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
