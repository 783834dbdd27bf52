package code

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/safefs"
)

// Location is where a function's code was found.
type Location struct {
	Language    string
	Root        string   // code folder (absolute)
	Entries     []string // handler module files (a package folder for Go)
	Inline      string   // inline source
	Unavailable string   // why the code cannot be read, when it cannot
	Note        string   // where the code was found when CodeUri does not name it plainly
}

// LanguageOf maps a Lambda runtime to a language ("" for provided runtimes
// and unknown ones).
func LanguageOf(runtime string) string {
	r := strings.ToLower(runtime)
	switch {
	case strings.HasPrefix(r, "nodejs"):
		return JavaScript
	case strings.HasPrefix(r, "python"):
		return Python
	case strings.HasPrefix(r, "go"):
		return Go
	case strings.HasPrefix(r, "java"):
		return Java
	case strings.HasPrefix(r, "ruby"):
		return Ruby
	case strings.HasPrefix(r, "dotnet"):
		return CSharp
	}
	return ""
}

// Locate finds the code a request points at, honouring inline code, S3 and
// image packages, esbuild entry points and the handler naming rules of each
// runtime.
func Locate(req Request) Location {
	lang := LanguageOf(req.Runtime)
	if req.Image {
		return locateImage(req)
	}
	if req.Inline || req.InlineCode != "" {
		if req.InlineCode == "" {
			return Location{Language: lang, Unavailable: "inline code given by an expression samthreat cannot evaluate"}
		}
		if lang == "" {
			return Location{Unavailable: "inline code for runtime " + req.Runtime + " is not parsed"}
		}
		return Location{Language: lang, Inline: req.InlineCode}
	}
	uri := strings.TrimSpace(req.CodeURI)
	switch {
	case strings.HasPrefix(uri, "s3://"):
		return Location{Language: lang, Unavailable: "code is in S3 (" + uri + ")"}
	case strings.Contains(uri, "${"):
		return Location{Language: lang, Unavailable: "CodeUri " + uri + " is computed at deploy time"}
	case uri == "" && req.TemplateDir == "":
		return Location{Language: lang, Unavailable: "no CodeUri"}
	}
	if !req.FS.Readable() {
		return Location{Language: lang, Unavailable: "code not read: the template was imported as text, without its folder"}
	}
	root := uri
	if !filepath.IsAbs(root) {
		root = filepath.Join(req.TemplateDir, filepath.FromSlash(uri))
	}
	root = filepath.Clean(root)
	st, err := req.FS.Stat(root)
	if errors.Is(err, safefs.ErrOutside) {
		return Location{Language: lang, Unavailable: "code outside the project root: not read (CodeUri " + uri + "; see --root)"}
	}
	if err != nil {
		if folded := foldCase(req.FS, req.TemplateDir, root); folded != "" {
			root = folded
			st, err = req.FS.Stat(root)
		}
	}
	if err == nil && !st.IsDir() && !st.Mode().IsRegular() {
		return Location{Language: lang, Unavailable: "CodeUri " + uri + " is not a regular file or folder: not read"}
	}
	archive := false
	if err == nil && !st.IsDir() {
		ext := strings.ToLower(filepath.Ext(root))
		archive = ext == ".zip" || ext == ".jar" || ext == ".war"
		if !archive {
			if lang == "" {
				lang = languageOfFile(root)
			}
			return Location{Language: lang, Root: filepath.Dir(root), Entries: []string{root}}
		}
	}
	if err != nil || archive {
		// A build artifact (target/app.zip, build/distributions/*.zip,
		// bin/Release/... publish folders) or a folder that is not there:
		// the sources it is built from, if they are beside it.
		if loc, ok := sourcesOf(req, root, lang); ok {
			return loc
		}
		if archive {
			return Location{Language: lang, Root: root, Unavailable: "code is a packaged archive (" + filepath.Base(root) + ") and its sources are not beside it"}
		}
		return Location{Language: lang, Root: root, Unavailable: "code folder " + displayPath(req.TemplateDir, root) + " not found"}
	}
	return locateIn(req, root, lang)
}

// locateIn finds the handler's entry in the code folder root.
func locateIn(req Request, root, lang string) Location {
	if strings.EqualFold(req.BuildMethod, "esbuild") && len(req.EntryPoints) > 0 {
		var entries []string
		for _, e := range req.EntryPoints {
			p := filepath.Join(root, filepath.FromSlash(e))
			if isFile(req.FS, p) {
				entries = append(entries, p)
			}
		}
		if len(entries) == 0 {
			return Location{Language: JavaScript, Root: root, Unavailable: "esbuild entry points " + strings.Join(req.EntryPoints, ", ") + " not found in " + displayPath(req.TemplateDir, root)}
		}
		l := languageOfFile(entries[0])
		return Location{Language: l, Root: root, Entries: entries}
	}
	if lang == "" {
		lang = guessLanguage(root, req)
	}
	if lang == "" {
		return Location{Root: root, Unavailable: "runtime " + req.Runtime + " with no recognisable handler code in " + displayPath(req.TemplateDir, root)}
	}
	var entry string
	switch lang {
	case JavaScript:
		entry = nodeHandler(req.FS, root, req.Handler)
		if entry != "" {
			lang = languageOfFile(entry)
		}
	case Python:
		entry = pythonHandler(req.FS, root, req.Handler)
	case Ruby:
		entry = rubyHandler(req.FS, root, req.Handler)
	case Java:
		entry = javaHandler(req.FS, root, req.Handler)
	case CSharp:
		entry = csharpHandler(req, root, req.Handler)
	case Go:
		entry = goHandler(root, req.Handler)
	}
	if entry == "" {
		return Location{Language: lang, Root: root, Unavailable: "handler " + req.Handler + " not found in " + displayPath(req.TemplateDir, root)}
	}
	return Location{Language: lang, Root: root, Entries: []string{entry}}
}

func displayPath(base, p string) string {
	if base != "" {
		if rel, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return p
}

func languageOfFile(p string) string {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".js", ".mjs", ".cjs", ".jsx":
		return JavaScript
	case ".ts", ".mts", ".cts", ".tsx":
		return TypeScript
	case ".py":
		return Python
	case ".go":
		return Go
	case ".java":
		return Java
	case ".rb":
		return Ruby
	case ".cs":
		return CSharp
	}
	return ""
}

// guessLanguage looks at the code folder of a provided.* (custom runtime)
// function: Go when it holds .go files (BuildMethod go1.x or a makefile
// building a bootstrap), else the handler file's extension.
func guessLanguage(root string, req Request) string {
	if strings.EqualFold(req.BuildMethod, "go1.x") || hasExt(root, ".go") {
		return Go
	}
	if strings.EqualFold(req.BuildMethod, "esbuild") {
		return JavaScript
	}
	if req.Handler != "" {
		if e := nodeHandler(req.FS, root, req.Handler); e != "" {
			return JavaScript
		}
		if e := pythonHandler(req.FS, root, req.Handler); e != "" {
			return Python
		}
	}
	return ""
}

func hasExt(dir, ext string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ext) {
			return true
		}
	}
	return false
}

var nodeExts = []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"}

// nodeHandler: "dir/file.handler" -> root/dir/file.{js,mjs,cjs,ts}. A
// TypeScript source is accepted for a .js handler (esbuild or tsc compile it),
// also under src/ when the handler names the build output.
func nodeHandler(fsys *safefs.FS, root, handler string) string {
	base := handler
	if i := strings.LastIndex(base, "."); i > 0 {
		base = base[:i]
	}
	if base == "" {
		return ""
	}
	candidates := []string{base}
	for _, prefix := range []string{"dist/", "build/", "lib/", "out/"} {
		if strings.HasPrefix(base, prefix) {
			candidates = append(candidates, "src/"+strings.TrimPrefix(base, prefix))
		}
	}
	for _, c := range candidates {
		for _, ext := range nodeExts {
			p := filepath.Join(root, filepath.FromSlash(c)+ext)
			if isFile(fsys, p) {
				return p
			}
		}
	}
	return ""
}

// pythonHandler: "pkg/mod.fn" or "pkg.mod.fn" -> root/pkg/mod.py.
func pythonHandler(fsys *safefs.FS, root, handler string) string {
	i := strings.LastIndex(handler, ".")
	if i <= 0 {
		return ""
	}
	mod := handler[:i]
	for _, c := range []string{mod, strings.ReplaceAll(mod, ".", "/")} {
		p := filepath.Join(root, filepath.FromSlash(c)+".py")
		if isFile(fsys, p) {
			return p
		}
	}
	return ""
}

// rubyHandler: "file.method" or "dir/file.Module::Class.method" -> root/dir/file.rb.
func rubyHandler(fsys *safefs.FS, root, handler string) string {
	i := strings.Index(handler, ".")
	if i <= 0 {
		return ""
	}
	p := filepath.Join(root, filepath.FromSlash(handler[:i])+".rb")
	if isFile(fsys, p) {
		return p
	}
	return ""
}

// javaHandler: "com.ex.App::handleRequest" or "com.ex.App" -> the App.java
// source under root (src/main/java, src/, or anywhere below).
func javaHandler(fsys *safefs.FS, root, handler string) string {
	class := handler
	if i := strings.Index(class, "::"); i >= 0 {
		class = class[:i]
	}
	if class == "" {
		return ""
	}
	if i := strings.Index(class, "$"); i >= 0 {
		class = class[:i] // inner class: its outer file
	}
	rel := filepath.FromSlash(strings.ReplaceAll(class, ".", "/") + ".java")
	for _, dir := range []string{"src/main/java", "src", "."} {
		if p := filepath.Join(root, dir, rel); isFile(fsys, p) {
			return p
		}
	}
	return findFile(root, func(p string) bool { return strings.HasSuffix(p, string(filepath.Separator)+rel) })
}

// csharpHandler: "Assembly::Namespace.Class::Method" -> the .cs file below
// root declaring that class.
func csharpHandler(req Request, root, handler string) string {
	parts := strings.Split(handler, "::")
	if len(parts) < 2 {
		return ""
	}
	typ := parts[1]
	if i := strings.LastIndex(typ, "."); i >= 0 {
		typ = typ[i+1:]
	}
	if typ == "" {
		return ""
	}
	if p := filepath.Join(root, typ+".cs"); isFile(req.FS, p) {
		return p
	}
	if p := findFile(root, func(p string) bool { return filepath.Base(p) == typ+".cs" }); p != "" {
		return p
	}
	return findFile(root, func(p string) bool {
		if !strings.HasSuffix(p, ".cs") {
			return false
		}
		src, err := readSourceFS(req.FS, p)
		return err == nil && declaresCSharpType(src, typ)
	})
}

// goHandler: the main package in the code folder, or in a sub-folder named
// after the handler (cmd/<handler>).
func goHandler(root, handler string) string {
	if hasExt(root, ".go") {
		return root
	}
	for _, d := range []string{handler, filepath.Join("cmd", handler)} {
		if p := filepath.Join(root, d); handler != "" && hasExt(p, ".go") {
			return p
		}
	}
	return ""
}

// findFile walks root (skipping dependency and build folders) for the first
// file matching ok.
func findFile(root string, ok func(string) bool) string {
	var found string
	n := 0
	if root == filepath.Dir(root) {
		return "" // never walk the filesystem's root
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		n++
		if err != nil || n > maxWalk {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if ok(p) {
			found = p
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// skipDir names folders that hold dependencies or build output, not the
// function's own code.
func skipDir(name string) bool {
	switch name {
	case "node_modules", ".aws-sam", ".git", "vendor", "target", "build", "bin", "obj", "dist", "__pycache__", ".venv", "venv", ".gradle", "cdk.out":
		return true
	}
	return strings.HasPrefix(name, ".")
}

// declaresCSharpType reports whether a C# source declares a class, record or
// struct named typ (a token check to find the handler's file; the file is then
// parsed properly).
func declaresCSharpType(src []byte, typ string) bool {
	fields := strings.FieldsFunc(string(src), func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	for i := 0; i+1 < len(fields); i++ {
		switch fields[i] {
		case "class", "record", "struct":
			if fields[i+1] == typ {
				return true
			}
		}
	}
	return false
}
