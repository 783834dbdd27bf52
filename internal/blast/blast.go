// Package blast computes each function's blast radius (c_f x d_f x r_f), the
// application's attack surface, monolith and split potential impact, and
// least-privilege suggestions from the SDK calls the code makes. The
// definitions are in docs/blast-radius.md.
package blast

import (
	"context"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/deps"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/sam"
)

// Options tune the blast stage.
type Options struct {
	Progress func(done, total int, item string)
	// Analyzer caches parsed code between calls (the workbench re-analyses
	// templates that share code); nil uses a fresh one.
	Analyzer *code.Analyzer
	// Template is the parsed template the model was built from: its files
	// are read through its FS, and inline code and image metadata come from
	// its resources (nil: no code is read).
	Template *sam.Template
}

// Compute fills every function's Blast and the model's Summary figures.
func Compute(ctx context.Context, m *model.Model, opts Options) error {
	if m == nil {
		return nil
	}
	an := opts.Analyzer
	if an == nil {
		an = code.New()
	}
	t := opts.Template
	dir := templateDir(m, t)
	lp := newPolicyTemplates()
	idx := newResourceIndex(m)
	total := len(m.Functions)
	var done int
	var mu sync.Mutex
	jobs := make(chan *model.Function)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	if workers > total {
		workers = total
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				computeFunction(ctx, m, t, f, dir, an, lp, idx)
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, total, f.ID)
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range m.Functions {
		if ctx.Err() != nil {
			break
		}
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	estimateUnknown(m)
	codeThirdParties(m)
	Summarize(m)
	return nil
}

// filesOf is the FS the model's files are read through: the template's
// (confined to the project root), nil for a model built without a template.
func filesOf(t *sam.Template) *safefs.FS {
	if t == nil {
		return nil
	}
	return t.Files()
}

func templateDir(m *model.Model, t *sam.Template) string {
	if t != nil && t.Dir != "" {
		return t.Dir
	}
	if m.Template != "" {
		return filepath.Dir(m.Template)
	}
	return "."
}

// request builds the code request from the function's template properties.
func request(t *sam.Template, f *model.Function, dir string) code.Request {
	res := t.Resource(f.ID)
	req := code.Request{FS: filesOf(t), TemplateDir: dir, Runtime: f.Runtime, Handler: f.Handler, CodeURI: f.CodeURI,
		Inline: f.InlineCode, Image: strings.EqualFold(f.PackageType, "Image"), BuildMethod: f.BuildMethod, EntryPoints: f.EntryPoints}
	if res != nil && f.InlineCode {
		p := res.Properties
		if n := sam.Get(p, "InlineCode"); n != nil {
			req.InlineCode = sam.Str(n)
		} else if n := sam.Get(p, "Code", "ZipFile"); n != nil {
			req.InlineCode = sam.Str(n)
		}
	}
	if req.Image {
		req.CodeURI = ""
		if res != nil {
			req.DockerContext = sam.Str(sam.Get(res.Metadata, "DockerContext"))
			req.Dockerfile = sam.Str(sam.Get(res.Metadata, "Dockerfile"))
			if cmd := sam.Items(sam.Get(res.Properties, "ImageConfig", "Command")); len(cmd) > 0 && req.Handler == "" {
				req.Handler = sam.Str(cmd[0])
			}
		}
	}
	return req
}

func computeFunction(ctx context.Context, m *model.Model, t *sam.Template, f *model.Function, dir string, an *code.Analyzer, lp *policyTemplates, idx *resourceIndex) {
	b := &model.Blast{Used: []string{}, Unused: []string{}, SuggestedPolicies: []model.SuggestedPolicy{}}
	f.Blast = b
	res := an.Analyze(ctx, request(t, f, dir))
	b.Language = res.Language
	b.Complexity = res.Complexity
	b.ComplexityEstimated = res.Estimated
	b.CodeNote = res.Note
	b.CodeParsed = res.Found && res.Parsed && !res.Estimated
	b.CodeNotRead = res.NotRead
	for _, p := range res.Files {
		b.CodeFiles = append(b.CodeFiles, rel(dir, p))
	}
	if len(res.Modules) > 0 {
		b.ModuleComplexity = map[string]int{}
		for p, c := range res.Modules {
			b.ModuleComplexity[rel(dir, p)] = c
		}
	}
	dependencies(m, t, f, b, res, dir)
	resources(f, b, idx)
	b.BlastRadius = int64(b.Complexity) * int64(b.Dependencies) * int64(b.ResourceCount)
	b.BlastScore = Score(b.BlastRadius)
	endpoints(f, b, res, dir)
	calls := sdkCalls(m, f, b, res, dir)
	leastPrivilege(m, f, b, res, calls, lp)
}

// rel renders a code path relative to the template's folder, with slashes.
func rel(dir, p string) string {
	if p == "inline" {
		return p
	}
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// Score maps a blast radius to 0-100 on a log scale: 100 at 100,000
// (complexity 50, 40 packages, 50 resources) and above.
func Score(br int64) int {
	if br <= 0 {
		return 0
	}
	s := int(math.Round(100 * math.Log10(1+float64(br)) / 5))
	if s > 100 {
		s = 100
	}
	return s
}

// dependencies: the governing manifest's packages (only the imported ones
// when bundled), plus one per layer; at least 1, the runtime.
func dependencies(m *model.Model, t *sam.Template, f *model.Function, b *model.Blast, res *code.Result, dir string) {
	from := res.Root
	if len(res.Entries) > 0 {
		from = res.Entries[0]
		if !isDir(from) {
			from = filepath.Dir(from)
		}
	}
	var names []string
	if from != "" && res.Language != "" {
		set, err := deps.Find(deps.Options{Language: res.Language, From: from, Stop: dir, Bundled: res.Bundled, Imports: res.Imports, FS: filesOf(t)})
		switch {
		case err != nil:
			b.CodeNote = joinNote(b.CodeNote, "dependencies: "+err.Error())
		case set != nil:
			b.Manifest = rel(dir, set.Manifest)
			names = set.Names()
			b.ImportedDeps = deps.Imported(set, res.Imports)
			if set.Note != "" && !set.Transitive {
				b.CodeNote = joinNote(b.CodeNote, set.Note)
			}
		}
	}
	for _, l := range f.Layers {
		names = append(names, "layer:"+layerName(l))
	}
	b.DependencyNames = names
	b.Dependencies = len(names)
	if b.Dependencies < 1 {
		b.Dependencies = 1 // the runtime itself
	}
}

func layerName(l string) string {
	l = strings.TrimSpace(l)
	if strings.HasPrefix(l, "arn:") {
		parts := strings.Split(l, ":")
		if len(parts) >= 7 {
			return strings.Join(parts[6:], ":")
		}
	}
	return strings.Trim(l, "${}")
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}

// resources: the distinct resources the grants reach. A wildcard resource
// reaches every template resource of the action's service plus the
// service's external resource. The platform baseline (writing the function's
// own logs, X-Ray traces, VPC network interfaces) is not counted: every
// function needs it for the Lambda service itself, so it measures nothing
// about the function, and counting it would make turning on tracing look
// like a loss.
func resources(f *model.Function, b *model.Blast, idx *resourceIndex) {
	rt, _ := catalogs.SDK()
	// Grants on one resource, and grants on "*" grouped by service: a
	// wildcard reaches every template resource of its service (the index's
	// list) plus the service's external resource. Services own disjoint sets
	// of resources, so the wildcard lists are walked once each, with no map
	// per resource (a stream poller on "*" reaches hundreds of tables).
	explicit := map[string]uint8{}
	anyBySvc := map[string]uint8{}
	wide := wideServices(f)
	for _, g := range f.Grants {
		if rt != nil && rt.Runtime.Baseline(g.Action) {
			continue
		}
		if svc := actionService(g.Action); (g.Target == "external:"+svc || strings.HasPrefix(g.Target, "external:"+svc+":")) && wide[svc] {
			// arn:aws:s3:::*, arn:...:table/*: every resource of the
			// service, like "*": every one of the template plus the outside ones.
			anyBySvc[svc] |= levelBit[g.Access]
			continue
		}
		if g.Target != "*" && g.Target != "" {
			explicit[g.Target] |= levelBit[g.Access]
			continue
		}
		anyBySvc[actionService(g.Action)] |= levelBit[g.Access]
	}
	var levels [5]int
	reached := make([]string, 0, len(explicit))
	seen := map[string]bool{}
	add := func(id string, lv uint8) {
		if old, ok := explicit[id]; ok {
			lv |= old
			seen[id] = true
		}
		reached = append(reached, id)
		for i := range levels {
			if lv&(1<<i) != 0 {
				levels[i]++
			}
		}
	}
	wild := anyBySvc["*"] // actions of every service ("*", "*:Get*")
	for svc, ids := range idx.bySvc {
		if lv := anyBySvc[svc] | wild; lv != 0 {
			for _, id := range ids {
				add(id, lv)
			}
		}
	}
	for svc, lv := range anyBySvc {
		add("external:"+svc, lv)
	}
	for id := range explicit {
		if !seen[id] {
			add(id, 0) // add merges the explicit levels
		}
	}
	slices.Sort(reached)
	b.ReachedResources = reached
	b.ResourcesByAccess = map[string]int{}
	for name, bit := range levelBit {
		if n := levels[bits.TrailingZeros8(bit)]; n > 0 {
			b.ResourcesByAccess[name] = n
		}
	}
	// At least 1, like d_f's runtime: a compromised function always holds
	// its own execution environment (its logs, its environment variables, its
	// network access), even when its role reaches nothing else.
	b.ResourceCount = max(1, len(b.ReachedResources))
	if len(b.ResourcesByAccess) == 0 {
		b.ResourcesByAccess = nil
	}
}

var levelBit = map[string]uint8{
	model.AccessRead: 1, model.AccessWrite: 2, model.AccessList: 4,
	model.AccessTagging: 8, model.AccessPermissions: 16,
}

// resourceIndex lists the template's own resources by IAM service prefix,
// built once per model: every function's wildcard grants look it up.
type resourceIndex struct {
	bySvc map[string][]string
	all   []string
}

func newResourceIndex(m *model.Model) *resourceIndex {
	idx := &resourceIndex{bySvc: map[string][]string{}}
	for _, r := range m.Resources {
		if r.External {
			continue
		}
		svc := strings.ToLower(r.Service)
		idx.bySvc[svc] = append(idx.bySvc[svc], r.ID)
		idx.all = append(idx.all, r.ID)
	}
	return idx
}

func actionService(a string) string {
	svc, _, ok := strings.Cut(a, ":")
	if !ok || svc == "" {
		return "*"
	}
	return strings.ToLower(svc)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// wideServices lists the services for which one of the function's Allow
// statements names every resource (of the service, or of one of its
// resource types): arn:aws:s3:::*, arn:${AWS::Partition}:dynamodb:*:*:table/*,
// arn:aws:sqs:*:*:*. Such a grant reaches every resource of that service in
// the template plus the outside ones, exactly like Resource "*".
func wideServices(f *model.Function) map[string]bool {
	out := map[string]bool{}
	for _, st := range f.Statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		for _, r := range st.Resources {
			if svc, ok := serviceWide(r); ok {
				out[svc] = true
			}
		}
	}
	return out
}

// serviceWide reports whether an ARN names every resource of its service
// or of one resource type. Pseudo parameters (${AWS::Region}...) are
// wildcards; a reference to a template resource or parameter is not.
func serviceWide(arn string) (svc string, ok bool) {
	for _, p := range []string{"${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}", "${AWS::URLSuffix}"} {
		arn = strings.ReplaceAll(arn, p, "*")
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] == "" || strings.Contains(parts[2], "*") {
		return "", false
	}
	res := parts[5]
	if i := strings.IndexAny(res, "/:"); i > 0 && !strings.ContainsAny(res[:i], "*${}") {
		res = res[i+1:] // a resource type: table/*, function:*
	}
	return strings.ToLower(parts[2]), res == "*" || res == "*/*"
}
