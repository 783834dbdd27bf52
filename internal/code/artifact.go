package code

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/safefs"
)

// sourcesOf finds the sources a function is built from when its CodeUri
// names a build artifact or a folder that is not there:
//
//   - an archive (app.zip, app.jar): a folder with the archive's name beside
//     it, else the archive's own folder (a zip next to its source);
//   - Java and .NET: walking up from the artifact (target/app.zip,
//     build/distributions/app.zip, build/libs/app.jar,
//     bin/Release/net8.0/publish) to the project folder that holds the
//     build manifest (pom.xml, build.gradle, *.csproj), no higher than the
//     template's folder;
//   - other languages: the missing folder's parent (CodeUri src/handlers/
//     when the handlers sit in src/).
//
// A candidate is taken only when the handler the template names is found in
// it, and the location says where the code was found.
func sourcesOf(req Request, root, lang string) (Location, bool) {
	var cands []string
	add := func(d string) {
		if req.FS.Confined() && !req.FS.Contains(d) {
			return // never look for sources outside the project root
		}
		if isDir(req.FS, d) && !skipDir(filepath.Base(d)) || isDir(req.FS, d) && d == req.TemplateDir {
			for _, c := range cands {
				if c == d {
					return
				}
			}
			cands = append(cands, d)
		}
	}
	ext := strings.ToLower(filepath.Ext(root))
	isArchive := ext == ".zip" || ext == ".jar" || ext == ".war"
	if isArchive {
		add(strings.TrimSuffix(root, filepath.Ext(root)))
	}
	switch lang {
	case Java, CSharp:
		top := req.TemplateDir
		if top == "" || !within(root, top) {
			top = filepath.Dir(root)
		}
		for d := filepath.Dir(root); within(d, top); d = filepath.Dir(d) {
			if hasBuildManifest(req.FS, d, lang) {
				add(d)
			}
			if d == top || filepath.Dir(d) == d {
				break
			}
		}
	default:
		add(filepath.Dir(root))
	}
	for _, c := range cands {
		loc := locateIn(req, c, lang)
		if loc.Unavailable != "" {
			continue
		}
		what := "is not there"
		if isArchive {
			what = "is a build artifact"
		} else if isDir(req.FS, root) || isFile(req.FS, root) {
			what = "is build output"
		}
		loc.Note = "CodeUri " + displayPath(req.TemplateDir, root) + " " + what + ": sources read from " + displayPath(req.TemplateDir, c)
		return loc, true
	}
	return Location{}, false
}

// hasBuildManifest reports whether dir is a Java or .NET project folder.
func hasBuildManifest(fsys *safefs.FS, dir, lang string) bool {
	if lang == Java {
		for _, m := range []string{"pom.xml", "build.gradle", "build.gradle.kts"} {
			if isFile(fsys, filepath.Join(dir, m)) {
				return true
			}
		}
		return false
	}
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".csproj", ".fsproj", ".vbproj":
			return true
		}
	}
	return false
}

// foldCase resolves p (below base) when its folders differ from the disk's
// only in case (CodeUri: HelloWorld/ for a folder helloworld/, written on a
// case-insensitive file system). Each component must match exactly one
// entry; "" when p cannot be resolved that way.
func foldCase(fsys *safefs.FS, base, p string) string {
	if base == "" || !within(p, base) {
		return ""
	}
	rel, err := filepath.Rel(base, p)
	if err != nil || rel == "." {
		return ""
	}
	cur := base
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		next := filepath.Join(cur, part)
		if _, err := fsys.Stat(next); err == nil {
			cur = next
			continue
		}
		ents, err := fsys.ReadDir(cur)
		if err != nil {
			return ""
		}
		match := ""
		for _, e := range ents {
			if strings.EqualFold(e.Name(), part) {
				if match != "" {
					return "" // ambiguous
				}
				match = e.Name()
			}
		}
		if match == "" {
			return ""
		}
		cur = filepath.Join(cur, match)
	}
	return cur
}

// locateImage finds a container-image function's code in the folder its
// image is built from (Metadata.DockerContext and Dockerfile): the runtime
// from the Dockerfile's base image, the handler from ImageConfig.Command or
// the Dockerfile's CMD, the code in the context or a folder the Dockerfile
// copies into the image.
func locateImage(req Request) Location {
	lang := LanguageOf(req.Runtime)
	if req.DockerContext == "" {
		return Location{Language: lang, Unavailable: "container image: the handler code is inside the image (no Metadata.DockerContext names the folder it is built from)"}
	}
	if strings.Contains(req.DockerContext, "${") {
		return Location{Language: lang, Unavailable: "container image: DockerContext " + req.DockerContext + " is computed at deploy time"}
	}
	ctx := req.DockerContext
	if !filepath.IsAbs(ctx) {
		ctx = filepath.Join(req.TemplateDir, filepath.FromSlash(ctx))
	}
	ctx = filepath.Clean(ctx)
	if _, err := req.FS.Stat(ctx); errors.Is(err, safefs.ErrOutside) || errors.Is(err, safefs.ErrNoFiles) {
		return Location{Language: lang, Unavailable: "container image: DockerContext " + req.DockerContext + ": " + safefs.Reason(err)}
	}
	if !isDir(req.FS, ctx) {
		if f := foldCase(req.FS, req.TemplateDir, ctx); f != "" && isDir(req.FS, f) {
			ctx = f
		} else {
			return Location{Language: lang, Unavailable: "container image: DockerContext " + displayPath(req.TemplateDir, ctx) + " not found"}
		}
	}
	df := req.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	runtime, cmd, copies := readDockerfile(req.FS, filepath.Join(ctx, filepath.FromSlash(df)))
	r := req
	r.Image = false
	if r.Runtime == "" {
		r.Runtime = runtime
	}
	if r.Handler == "" {
		r.Handler = cmd
	}
	lang = LanguageOf(r.Runtime)
	cands := []string{ctx}
	for _, c := range copies {
		if p := filepath.Join(ctx, filepath.FromSlash(c)); within(p, ctx) && isDir(req.FS, p) && p != ctx {
			cands = append(cands, p)
		}
	}
	for _, c := range cands {
		loc := locateIn(r, c, lang)
		if loc.Unavailable == "" {
			loc.Note = "container image: code read from its DockerContext " + displayPath(req.TemplateDir, c)
			return loc
		}
	}
	return Location{Language: lang, Root: ctx, Unavailable: "container image: handler " + r.Handler + " not found in its DockerContext " + displayPath(req.TemplateDir, ctx)}
}

// readDockerfile reads what locating the code needs from a Dockerfile: the
// Lambda runtime its base images imply (the last stage whose image names a
// language: public.ecr.aws/lambda/python:3.12, node:20, golang:1.22...), the
// CMD (the handler for Lambda base images) and the sources of COPY/ADD.
func readDockerfile(fsys *safefs.FS, path string) (runtime, cmd string, copies []string) {
	src, err := readSourceFS(fsys, path)
	if err != nil {
		return "", "", nil
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			img := f[1]
			if strings.HasPrefix(img, "--") && len(f) > 2 {
				img = f[2]
			}
			if rt := runtimeOfImage(img); rt != "" {
				runtime = rt
			}
		case "CMD":
			rest := strings.TrimSpace(line[len(f[0]):])
			var arr []string
			if json.Unmarshal([]byte(rest), &arr) == nil {
				if len(arr) > 0 {
					cmd = arr[0]
				}
			} else {
				cmd = f[1]
			}
		case "COPY", "ADD":
			args := f[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			if len(args) >= 2 {
				for _, a := range args[:len(args)-1] {
					copies = append(copies, strings.TrimPrefix(a, "./"))
				}
			}
		}
	}
	return runtime, cmd, copies
}

// runtimeOfImage maps a base image to a Lambda runtime name LanguageOf
// understands ("" for images that say nothing: provided, alpine...).
func runtimeOfImage(img string) string {
	name, tag, _ := strings.Cut(img[strings.LastIndex(img, "/")+1:], ":")
	name = strings.ToLower(strings.TrimPrefix(name, "aws-lambda-"))
	switch {
	case name == "python":
		return "python" + tag
	case name == "nodejs" || name == "node":
		return "nodejs" + tag
	case name == "java" || name == "openjdk" || name == "amazoncorretto" || name == "maven" || name == "gradle":
		return "java"
	case name == "golang" || name == "go":
		return "go1.x"
	case name == "ruby":
		return "ruby" + tag
	case name == "dotnet" || name == "sdk" && strings.Contains(img, "dotnet") || name == "aspnet":
		return "dotnet"
	}
	return ""
}
