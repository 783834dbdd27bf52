package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/store"
)

// The bundled example lives in the workspace under stable keys, so it is the
// same project whatever folder it was extracted to.
const (
	exampleKeyPrefix = "example:"
	exampleMain      = "freshtracks/template.yaml"
	settingExample   = "example-imported" // value: the version that imported it
)

// ImportPath imports a template file, every template found in a folder, or
// a project file written by ExportProject.
func (w *Workbench) ImportPath(path string) (ImportResult, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return ImportResult{}, errors.New("no path given")
	}
	if strings.HasPrefix(path, "~"+string(filepath.Separator)) || path == "~" {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[1:])
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("%s: %w", path, err)
	}
	if w.cfg.Mode == "web" && len(w.cfg.Allow) > 0 && !w.allowed(abs) {
		return ImportResult{}, fmt.Errorf("%s: outside the folders this server may read (samthreat serve --allow)", path)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return ImportResult{}, fmt.Errorf("%s: %w", path, unwrapPathErr(err))
	}
	if !st.IsDir() {
		return w.importOneFile(abs)
	}
	return w.importFolder(path, abs)
}

// importOneFile imports a template file, or a project file written by
// ExportProject.
func (w *Workbench) importOneFile(abs string) (ImportResult, error) {
	res := ImportResult{Imported: []ImportedRevision{}, Errors: []ImportError{}}
	if isProjectFile(abs) {
		p, err := w.ImportProject(abs)
		if err != nil {
			return res, err
		}
		if p.Latest != nil {
			res.Imported = append(res.Imported, ImportedRevision{Revision: *p.Latest, Project: p, Created: true})
		}
		return res, nil
	}
	ir, err := w.importFile(abs)
	if err != nil {
		return res, err
	}
	res.Imported = append(res.Imported, ir)
	_ = w.store.TouchRecent(w.ctx, abs, "file")
	return res, nil
}

// importFolder imports every template found in a folder, until the user
// stops it (CancelImport): what was imported stays.
func (w *Workbench) importFolder(path, abs string) (ImportResult, error) {
	res := ImportResult{Imported: []ImportedRevision{}, Errors: []ImportError{}}
	found, err := FindTemplates(abs)
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, unwrapPathErr(err))
	}
	if len(found) == 0 {
		return res, fmt.Errorf("%s: no SAM or CloudFormation templates found", path)
	}
	ctx, stop := context.WithCancel(w.ctx)
	w.importMu.Lock()
	w.stopImport = stop
	w.importMu.Unlock()
	defer func() {
		w.importMu.Lock()
		w.stopImport = nil
		w.importMu.Unlock()
		stop()
	}()
	p := newProgress(w, "import", len(found))
	for i, f := range found {
		p.report(i, filepath.Base(f))
		if err := w.ctx.Err(); err != nil {
			return res, err // shutting down
		}
		if ctx.Err() != nil { // the user stopped it: keep what is imported
			res.Stopped, res.Remaining = true, len(found)-i
			break
		}
		ir, err := w.importFileCtx(ctx, f)
		if err != nil {
			if ctx.Err() != nil && w.ctx.Err() == nil { // stopped mid-template: it is not imported
				res.Stopped, res.Remaining = true, len(found)-i
				break
			}
			res.Errors = append(res.Errors, ImportError{Path: f, Error: err.Error()})
			continue
		}
		res.Imported = append(res.Imported, ir)
	}
	p.report(len(found), "")
	_ = w.store.TouchRecent(w.ctx, abs, "folder")
	return res, nil
}

// CancelImport stops the folder import that is running after the template it
// is on; the templates imported so far stay. False when none is running.
func (w *Workbench) CancelImport() bool {
	w.importMu.Lock()
	defer w.importMu.Unlock()
	if w.stopImport == nil {
		return false
	}
	w.stopImport()
	return true
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (w *Workbench) importFile(abs string) (ImportedRevision, error) {
	return w.importFileCtx(w.ctx, abs)
}

// importFileCtx imports one template file; cancelling ctx stops its analysis
// (CancelImport), and no read can block it (files are read through safefs).
func (w *Workbench) importFileCtx(ctx context.Context, abs string) (ImportedRevision, error) {
	data, err := readTemplate(abs, sam.MaxFileSize)
	if err != nil {
		return ImportedRevision{}, fmt.Errorf("%s: %w", abs, unwrapPathErr(err))
	}
	return w.importTemplateCtx(ctx, abs, projectName(abs), filepath.Base(abs), abs, abs, data)
}

// ImportText imports template text uploaded from the browser under a file
// name. The project is "upload:<name>": uploading the same name again adds a
// revision when the text changed.
func (w *Workbench) ImportText(name, text string) (ImportResult, error) {
	base := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(strings.TrimSpace(name), "\\", "/")))
	if base == "/" || base == "." || base == "" {
		base = "template.yaml"
	}
	if len(text) > sam.MaxFileSize {
		return ImportResult{}, fmt.Errorf("%s: larger than the %d-byte limit", base, sam.MaxFileSize)
	}
	res := ImportResult{Imported: []ImportedRevision{}, Errors: []ImportError{}}
	if looksLikeProjectFile([]byte(text)) {
		p, err := w.ImportProjectText(text)
		if err != nil {
			return res, err
		}
		if p.Latest != nil {
			res.Imported = append(res.Imported, ImportedRevision{Revision: *p.Latest, Project: p, Created: true})
		}
		return res, nil
	}
	if src := w.allowedSource(name); src != "" {
		// The upload names where it lives, in a folder the server may read:
		// analysed with its code, as an import of that file would be.
		ir, err := w.importTemplate(src, projectName(src), base, src, src, []byte(text))
		if err != nil {
			return res, err
		}
		res.Imported = append(res.Imported, ir)
		return res, nil
	}
	ir, err := w.importTemplate("upload:"+base, base, base, "", filepath.Join(uploadDir, base), []byte(text))
	if err != nil {
		return res, err
	}
	res.Imported = append(res.Imported, ir)
	return res, nil
}

// importTemplate stores data as a revision of the project key, analysing it
// first so a broken template is refused with file:line. Unchanged text is a
// no-op that only forgets the cached analysis (the code beside the template
// may have changed).
func (w *Workbench) importTemplate(key, name, fileName, sourcePath, analyseAs string, data []byte) (ImportedRevision, error) {
	return w.importTemplateCtx(w.ctx, key, name, fileName, sourcePath, analyseAs, data)
}

func (w *Workbench) importTemplateCtx(ctx context.Context, key, name, fileName, sourcePath, analyseAs string, data []byte) (ImportedRevision, error) {
	if p, ok, err := w.store.ProjectByKey(ctx, key); err != nil {
		return ImportedRevision{}, err
	} else if ok && p.LatestID != 0 {
		latest, err := w.store.Revision(ctx, p.LatestID)
		if err != nil {
			return ImportedRevision{}, err
		}
		if latest.SHA256 == store.Hash(data) {
			w.cache.drop(latest.ID)
			ap, err := w.project(p)
			if err != nil {
				return ImportedRevision{}, err
			}
			return ImportedRevision{Revision: revision(latest), Project: ap, Created: false}, nil
		}
	}
	m, err := w.analyse(ctx, analyseAs, data, filesFor(sourcePath))
	if err != nil {
		return ImportedRevision{}, err
	}
	rev, created, err := w.store.AddRevision(ctx, key, name, fileName, sourcePath, data, encodeFigures(m))
	if err != nil {
		return ImportedRevision{}, err
	}
	w.cache.put(rev.ID, m)
	ap, err := w.projectByID(rev.ProjectID)
	if err != nil {
		return ImportedRevision{}, err
	}
	if created {
		w.changed(rev.ProjectID)
	}
	return ImportedRevision{Revision: revision(rev), Project: ap, Created: created}, nil
}

// projectName names a project after its folder and file: "freshtracks/template.yaml".
func projectName(abs string) string {
	dir := filepath.Base(filepath.Dir(abs))
	if dir == "." || dir == string(filepath.Separator) || dir == "" {
		return filepath.Base(abs)
	}
	return dir + "/" + filepath.Base(abs)
}

// ensureExample imports the bundled example into a new workspace (and, when
// a newer version bundles a changed example, adds revisions to the example
// projects still in the workspace).
func (w *Workbench) ensureExample() error {
	w.exampleOnce.Do(func() { w.exampleErr = w.importExample() })
	return w.exampleErr
}

func (w *Workbench) importExample() error {
	ctx := w.ctx
	imported, done, err := w.store.Setting(ctx, settingExample)
	if err != nil {
		return err
	}
	if done && imported == w.cfg.Version {
		return nil
	}
	root, err := w.extractExample()
	if err != nil {
		return err
	}
	found, err := FindTemplates(root)
	if err != nil {
		return fmt.Errorf("the bundled example: %w", err)
	}
	for _, abs := range found {
		rel, err := filepath.Rel(root, abs)
		if err != nil {
			return err
		}
		key := exampleKeyPrefix + filepath.ToSlash(rel)
		if done {
			if _, ok, err := w.store.ProjectByKey(ctx, key); err != nil || !ok {
				continue // removed by the user: leave it removed
			}
		}
		data, err := readTemplate(abs, sam.MaxFileSize)
		if err != nil {
			return fmt.Errorf("the bundled example: %w", err)
		}
		name := "Fresh Tracks example: " + filepath.Base(abs)
		if _, err := w.importTemplate(key, name, filepath.Base(abs), abs, abs, data); err != nil {
			return fmt.Errorf("the bundled example: %w", err)
		}
	}
	return w.store.SetSetting(ctx, settingExample, w.cfg.Version)
}

// extractExample writes the bundled examples to the cache folder and returns
// the folder holding them (its templates sit in <root>/freshtracks/).
func (w *Workbench) extractExample() (string, error) {
	base := w.cfg.CacheDir
	if base == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			c = os.TempDir()
		}
		base = filepath.Join(c, "samthreat")
	}
	dir := filepath.Join(base, "example-"+sanitizeVersion(w.cfg.Version))
	tmpl, err := catalogs.ExtractExamples(dir)
	if err != nil {
		return "", fmt.Errorf("extracting the bundled example: %w", err)
	}
	// tmpl is <dir>/examples/freshtracks/template.yaml
	return filepath.Dir(filepath.Dir(tmpl)), nil
}

func sanitizeVersion(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' {
			return '_'
		}
		return r
	}, v)
}

// exampleSource re-extracts the example when the cache folder it was
// analysed from has been cleaned, so example revisions keep their code.
func (w *Workbench) exampleSource(r store.Revision) (string, bool) {
	if _, err := os.Stat(r.SourcePath); err == nil {
		return "", false
	}
	p, err := w.store.Project(w.ctx, r.ProjectID)
	if err != nil || !strings.HasPrefix(p.Key, exampleKeyPrefix) {
		return "", false
	}
	root, err := w.extractExample()
	if err != nil {
		return "", false
	}
	return filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(p.Key, exampleKeyPrefix))), true
}

// FindTemplates is analysis.FindTemplates without samthreat project files
// (JSON that mentions AWS:: types too).
func FindTemplates(dir string) ([]string, error) {
	found, err := analysis.FindTemplates(dir)
	out := found[:0]
	for _, p := range found {
		if !looksLikeProjectFile(analysis.FileHead(p)) {
			out = append(out, p)
		}
	}
	return out, err
}

func isProjectFile(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".json") && looksLikeProjectFile(analysis.FileHead(path))
}

// looksLikeProjectFile spots a samthreat project file by its format marker
// near the start.
func looksLikeProjectFile(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	t := bytes.TrimSpace(b)
	return len(t) > 0 && t[0] == '{' && bytes.Contains(t, []byte(`"`+store.ProjectFileFormat+`"`))
}

// progress sends throttled "progress" events.
type progress struct {
	w     *Workbench
	job   string
	total int
	last  time.Time
}

func newProgress(w *Workbench, job string, total int) *progress {
	return &progress{w: w, job: job, total: total}
}

func (p *progress) report(done int, item string) {
	now := time.Now()
	if done > 0 && done < p.total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.w.emit("progress", Progress{Job: p.job, Done: done, Total: p.total, Item: item})
}

// allowed reports whether path resolves inside one of the folders the
// server may read (Config.Allow).
func (w *Workbench) allowed(path string) bool {
	for _, a := range w.cfg.Allow {
		if fsys, err := safefs.New(a); err == nil && fsys.Contains(path) {
			return true
		}
	}
	return false
}

// allowedSource is name as a template path when it is an absolute path whose
// folder lies inside an allowed folder, else "" (an upload without a folder:
// its code is not read).
func (w *Workbench) allowedSource(name string) string {
	name = strings.TrimSpace(name)
	if len(w.cfg.Allow) == 0 || !filepath.IsAbs(name) {
		return ""
	}
	name = filepath.Clean(name)
	if !w.allowed(filepath.Dir(name)) {
		return ""
	}
	return name
}
