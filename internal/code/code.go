// Package code finds a Lambda function's code from its template properties,
// parses it with a real parser per language (go/ast for Go, tree-sitter for
// JavaScript/TypeScript, Python, Java, Ruby and C#) and measures what the blast
// stage needs: the cyclomatic complexity of the handler's module and every
// local module it imports (transitively, each counted once), the third-party
// packages the code imports, and the AWS SDK calls it makes with the resources
// those calls name.
package code

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/safefs"
)

// Languages.
const (
	JavaScript = "javascript"
	TypeScript = "typescript"
	Python     = "python"
	Go         = "go"
	Java       = "java"
	Ruby       = "ruby"
	CSharp     = "csharp"
)

// Limits that keep a hostile or huge code tree from exhausting the machine.
const (
	maxFileSize = 2 << 20 // bytes per source file
	maxModules  = 2000    // modules per function
	maxWalk     = 20000   // directory entries visited when searching for a file
)

// Request says where a function's code is, as the template declares it.
type Request struct {
	TemplateDir string // CodeUri and EntryPoints are relative to it
	Runtime     string // nodejs20.x, python3.12, go1.x, provided.al2, java21, ruby3.3, dotnet8 ...
	Handler     string // app.handler, pkg.mod.fn, com.ex.App::handle, Asm::Ns.Class::Method, bootstrap
	CodeURI     string // local folder or file, s3://..., empty
	InlineCode  string // InlineCode / Code.ZipFile source
	Inline      bool   // the function declares inline code (even if its text is an intrinsic)
	Image       bool   // PackageType Image
	// DockerContext and Dockerfile (Metadata of an image function) name the
	// folder the image is built from; Handler then carries
	// ImageConfig.Command's first item when the template sets it.
	DockerContext string
	Dockerfile    string
	BuildMethod   string   // Metadata.BuildMethod
	EntryPoints   []string // Metadata.BuildProperties.EntryPoints (esbuild)
	// FS confines every read to the project root (see internal/safefs); nil
	// confines nothing but keeps the other guarantees (regular files only,
	// non-blocking, size caps).
	FS *safefs.FS
}

// Result is what the code of one function says.
type Result struct {
	Language   string         `json:"language,omitempty"`
	Root       string         `json:"root,omitempty"`    // the code folder (CodeUri)
	Entries    []string       `json:"entries,omitempty"` // handler module(s)
	Files      []string       `json:"files,omitempty"`   // every module counted, handler first
	Modules    map[string]int `json:"modules,omitempty"` // complexity per module, keyed by its first file
	Complexity int            `json:"complexity"`
	Found      bool           `json:"found"`  // code located on disk (or inline)
	Parsed     bool           `json:"parsed"` // every module parsed without error
	Estimated  bool           `json:"estimated,omitempty"`
	NotRead    bool           `json:"notRead,omitempty"` // found, but this build cannot parse its language (no cgo)
	Note       string         `json:"note,omitempty"`
	Imports    []string       `json:"imports,omitempty"` // third-party packages the code imports, sorted
	Calls      []Call         `json:"calls,omitempty"`
	Hosts      []Host         `json:"hosts,omitempty"`   // outside endpoints the code names or calls
	Bundled    bool           `json:"bundled,omitempty"` // BuildMethod esbuild: only imported packages ship
}

// Call is one AWS SDK call found in the code.
type Call struct {
	Service string   `json:"service"` // SDK catalog id (dynamodb, dynamodb-document, s3 ...)
	Client  string   `json:"client"`  // the SDK client as written (DynamoDB.DocumentClient, boto3 s3 ...)
	Method  string   `json:"method"`  // API name, PascalCase
	Actions []string `json:"actions"` // IAM actions from the catalog
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Refs    []Ref    `json:"refs,omitempty"` // resources the request names
}

// Ref is a resource named in an SDK request.
type Ref struct {
	Param   string `json:"param"`             // request key (TableName, Bucket, topic ...)
	Env     string `json:"env,omitempty"`     // environment variable the value is read from
	Literal string `json:"literal,omitempty"` // literal value, * for the parts computed at run time
}

// module is one parsed source unit (a file; a package for Go).
type module struct {
	path       string
	files      []string
	complexity int
	local      []string // resolved local modules it imports
	packages   []string // third-party packages it imports
	calls      []Call
	hosts      []Host
	signed     []Call // SigV4-signed HTTP requests to AWS APIs (AppSync, API Gateway...)
	err        error
	types      map[string][]string // C#: the project's type index (cached as a pseudo-module)
}

// analyzer parses one language.
type analyzer interface {
	// parse reads one module; root is the code folder local imports may resolve into.
	parse(a *Analyzer, path string, src []byte, root string) *module
}

// analyzers registered per language (tree-sitter ones only in cgo builds).
var analyzers = map[string]analyzer{}

// Analyzer analyses functions, caching parsed modules so that functions
// sharing a code folder (a shared src/ with one handler each) parse each file
// once. Safe for concurrent use.
type Analyzer struct {
	*cache
	fs *safefs.FS // what this function's analysis may read (set per Analyze)
}

type cache struct {
	mu      sync.Mutex
	modules map[string]*module
	dirs    map[string][]string // cached directory listings for file searches
}

// New returns an Analyzer with an empty cache.
func New() *Analyzer {
	return &Analyzer{cache: &cache{modules: map[string]*module{}, dirs: map[string][]string{}}}
}

// Analyze locates, parses and measures one function's code. It never fails:
// code that cannot be found or parsed gives an estimated result (complexity
// 1 here; the blast stage replaces it with a non-flattering estimate) with a
// note saying why.
func (a *Analyzer) Analyze(ctx context.Context, req Request) *Result {
	a = &Analyzer{cache: a.cache, fs: req.FS} // the shared cache, this request's confinement
	loc := Locate(req)
	res := &Result{Language: loc.Language, Root: loc.Root, Entries: loc.Entries, Bundled: strings.EqualFold(req.BuildMethod, "esbuild")}
	if loc.Unavailable != "" {
		return estimated(res, loc.Unavailable)
	}
	res.Found = true
	defer func() { res.Note = joinNotes(loc.Note, res.Note) }()
	an, ok := analyzers[loc.Language]
	if !ok {
		res.Files = loc.Entries
		res.NotRead = true
		return estimated(res, fmt.Sprintf("code not read by this build: samthreat was compiled without cgo, which the tree-sitter %s parser needs", loc.Language))
	}
	if loc.Inline != "" {
		var m *module
		if loc.Language == Go {
			m = estimatedModule("inline", fmt.Errorf("inline Go code is not compiled by Lambda"))
		} else {
			m = an.parse(a, "inline", []byte(loc.Inline), "")
		}
		res.Files = []string{"inline"}
		return finish(res, []*module{m})
	}
	var mods []*module
	seen := map[string]bool{}
	queue := append([]string(nil), loc.Entries...)
	for len(queue) > 0 && len(mods) < maxModules {
		if ctx.Err() != nil {
			return estimated(res, "cancelled")
		}
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		m := a.module(an, p, loc.Root)
		mods = append(mods, m)
		res.Files = append(res.Files, m.files...)
		queue = append(queue, m.local...)
	}
	return finish(res, mods)
}

// module parses (or returns the cached parse of) one module.
func (a *Analyzer) module(an analyzer, path, root string) *module {
	key := a.fs.Root() + "\x00" + root + "\x00" + path
	a.mu.Lock()
	m, ok := a.modules[key]
	a.mu.Unlock()
	if ok {
		return m
	}
	if an == (goAnalyzer{}) {
		m = parseGoPackage(a, path)
		a.mu.Lock()
		a.modules[key] = m
		a.mu.Unlock()
		return m
	}
	src, err := a.read(path)
	if err != nil {
		m = &module{path: path, files: []string{path}, complexity: 1, err: err}
	} else {
		m = an.parse(a, path, src, root)
	}
	a.mu.Lock()
	a.modules[key] = m
	a.mu.Unlock()
	return m
}

func estimatedModule(path string, err error) *module {
	return &module{path: path, files: []string{path}, complexity: 1, err: err}
}

// read reads one source file through the analysis's FS.
func (a *Analyzer) read(path string) ([]byte, error) { return readSourceFS(a.fs, path) }

// readSourceFS reads a source file: confined to fsys's root, a regular file
// (never a FIFO or device), at most safefs.Cap(safefs.Code) bytes.
func readSourceFS(fsys *safefs.FS, path string) ([]byte, error) {
	return fsys.ReadFile(path, safefs.Code)
}

// readSource is readSourceFS with no confinement (regular files only,
// non-blocking, capped): prefer readSourceFS with the analysis's FS.
func readSource(path string) ([]byte, error) { return readSourceFS(nil, path) }

func finish(res *Result, mods []*module) *Result {
	res.Parsed = true
	pk := map[string]bool{}
	var errs []string
	res.Modules = map[string]int{}
	for _, m := range mods {
		res.Complexity += m.complexity
		res.Modules[m.files[0]] += m.complexity
		for _, p := range m.packages {
			pk[p] = true
		}
		res.Calls = append(res.Calls, m.calls...)
		res.Calls = append(res.Calls, m.signed...)
		res.Hosts = append(res.Hosts, m.hosts...)
		if m.err != nil {
			res.Parsed = false
			errs = append(errs, m.err.Error())
		}
	}
	res.Imports = slices.Sorted(maps.Keys(pk))
	if res.Complexity < 1 {
		res.Complexity = 1
	}
	if len(errs) > 0 {
		res.Note = "not every module parsed: " + strings.Join(errs, "; ")
		if len(mods) == len(errs) {
			res.Estimated = true
			res.Complexity = 1
		}
	}
	return res
}

func estimated(res *Result, why string) *Result {
	res.Complexity = 1
	res.Estimated = true
	res.Note = why
	return res
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// isFile reports whether p is a regular file inside fsys's root, or a path
// that leads outside it (which the read then refuses, saying so: "outside
// the project root: not read"). Existence is tested through safefs, so
// whether a file outside exists changes nothing (a nil fsys confines
// nothing).
func isFile(fsys *safefs.FS, p string) bool {
	st, err := fsys.Stat(p)
	return err == nil && st.Mode().IsRegular() || errors.Is(err, safefs.ErrOutside)
}

// isDir reports whether p is a folder inside fsys's root.
func isDir(fsys *safefs.FS, p string) bool { return fsys.IsDir(p) }

// within reports whether p lies inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
