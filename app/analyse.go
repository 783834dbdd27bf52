package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/risk"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/store"
)

// uploadDir is the (virtual) folder uploaded templates are analysed in: a
// browser upload carries no code, so CodeUri paths resolve to nothing.
const uploadDir = "upload"

// analysisName is the file name a revision is analysed under: where it was
// imported from (so its code is found beside it), else the upload name.
func (w *Workbench) analysisName(r store.Revision) string {
	if r.SourcePath != "" {
		if p, ok := w.exampleSource(r); ok {
			return p
		}
		return r.SourcePath
	}
	return filepath.Join(uploadDir, r.FileName)
}

// analyse runs the pipeline on template bytes.
// It reports "analysis" progress (throttled) while the code is read.
func (w *Workbench) analyse(ctx context.Context, name string, data []byte, fsys *safefs.FS) (*model.Model, error) {
	var p *progress
	m, err := analysis.Bytes(ctx, name, data, analysis.Options{FS: fsys, Progress: func(done, total int, item string) {
		if p == nil {
			p = newProgress(w, "analysis", total)
		}
		p.report(done, item)
	}})
	if p != nil {
		p.report(p.total, "")
	}
	return m, err
}

// revisionFiles is the FS a revision's code is read through: the folder it
// was imported from (nothing for an upload).
func (w *Workbench) revisionFiles(rev store.Revision) *safefs.FS {
	if rev.SourcePath == "" {
		return filesFor("")
	}
	return filesFor(w.analysisName(rev))
}

// model returns a revision's analysed model (cached; never modified: callers
// copy before changing it).
func (w *Workbench) model(revisionID int64) (*model.Model, store.Revision, error) {
	rev, err := w.store.Revision(w.ctx, revisionID)
	if err != nil {
		return nil, store.Revision{}, err
	}
	m, err := w.cache.get(revisionID, func() (*model.Model, error) {
		data, err := w.store.Content(w.ctx, revisionID)
		if err != nil {
			return nil, err
		}
		return w.analyse(w.ctx, w.analysisName(rev), data, w.revisionFiles(rev))
	})
	if err != nil {
		return nil, store.Revision{}, err
	}
	if rev.Figures == "" {
		// A revision from before figures were kept, or from a project file.
		if b, err := json.Marshal(blast.FigureSet(m)); err == nil {
			_ = w.store.SetFigures(w.ctx, revisionID, string(b))
		}
	}
	return m, rev, nil
}

// triaged returns a copy of m whose findings carry the project's triage.
func (w *Workbench) triaged(m *model.Model, projectID int64) (*model.Model, error) {
	ts, err := w.store.Triage(w.ctx, projectID)
	if err != nil {
		return nil, err
	}
	byFP := make(map[string]store.Triage, len(ts))
	for _, t := range ts {
		byFP[t.Fingerprint] = t
	}
	out := *m
	out.Findings = make([]*model.Finding, len(m.Findings))
	for i, f := range m.Findings {
		c := *f
		t, ok := byFP[f.Fingerprint]
		if !ok {
			t, ok = mergedTriage(ts, f.Fingerprint)
		}
		if !ok {
			t.Status = store.StatusOpen
		}
		c.Triage = &model.Triage{Status: t.Status, Justification: t.Justification, Owner: t.Owner, Due: t.Due, Ticket: t.Ticket, Severity: model.Severity(t.Severity)}
		out.Findings[i] = &c
	}
	// The risk ranking counts open findings only: rank again with the
	// reviewers' decisions, on copies (the cached model is shared).
	out.Functions = make([]*model.Function, len(m.Functions))
	for i, f := range m.Functions {
		c := *f
		out.Functions[i] = &c
	}
	risk.Rank(&out)
	return &out, nil
}

// mergedTriage carries triage over to a finding that now stands for several
// older ones: a rule that reported once per route, port or trigger
// (<rule>@<resource>#<key>) now reports once per resource (<rule>@<resource>).
// The reviewers' decision carries only when every older finding had the same
// status, so nothing is hidden that one of them still left open; the
// decision of the latest change speaks for it.
func mergedTriage(ts []store.Triage, fp string) (store.Triage, bool) {
	var found []store.Triage
	for _, t := range ts {
		if strings.HasPrefix(t.Fingerprint, fp+"#") {
			found = append(found, t)
		}
	}
	if len(found) == 0 {
		return store.Triage{}, false
	}
	latest := found[0]
	for _, t := range found[1:] {
		if t.Status != latest.Status {
			return store.Triage{}, false
		}
		if t.Updated.After(latest.Updated) {
			latest = t
		}
	}
	return latest, true
}

func decodeFigures(s string) *blast.Figures {
	if s == "" {
		return nil
	}
	figMemo.Lock()
	if f, ok := figMemo.m[s]; ok {
		figMemo.Unlock()
		c := f
		return &c
	}
	figMemo.Unlock()
	var f blast.Figures
	if json.Unmarshal([]byte(s), &f) != nil {
		return nil
	}
	figMemo.Lock()
	if figMemo.m == nil || len(figMemo.m) >= 4096 {
		figMemo.m = map[string]blast.Figures{}
	}
	figMemo.m[s] = f
	figMemo.Unlock()
	return &f
}

// figMemo keeps decoded figures by their JSON text: ListProjects decodes
// every project's latest figures on each call, and they rarely change.
var figMemo struct {
	sync.Mutex
	m map[string]blast.Figures
}

func encodeFigures(m *model.Model) string {
	b, err := json.Marshal(blast.FigureSet(m))
	if err != nil {
		return ""
	}
	return string(b)
}

// modelCache keeps the last few analysed revisions; concurrent requests for
// one revision share a single analysis.
type modelCache struct {
	mu      sync.Mutex
	max     int
	entries map[int64]*cacheEntry
	order   []int64 // least recently used first
}

type cacheEntry struct {
	once sync.Once
	m    *model.Model
	err  error
}

func newModelCache(max int) *modelCache {
	return &modelCache{max: max, entries: map[int64]*cacheEntry{}}
}

func (c *modelCache) get(id int64, load func() (*model.Model, error)) (*model.Model, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	if !ok {
		e = &cacheEntry{}
		c.entries[id] = e
	}
	c.touch(id)
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	e.once.Do(func() { e.m, e.err = load() })
	if e.err != nil {
		c.drop(id) // a failure (a cancelled context...) is not remembered
	}
	return e.m, e.err
}

// put stores a freshly analysed model (an import just computed it).
func (c *modelCache) put(id int64, m *model.Model) {
	e := &cacheEntry{m: m}
	e.once.Do(func() {})
	c.mu.Lock()
	c.entries[id] = e
	c.touch(id)
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
}

func (c *modelCache) touch(id int64) {
	for i, x := range c.order {
		if x == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, id)
}

func (c *modelCache) drop(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
	for i, x := range c.order {
		if x == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// readTemplate reads a template file with the loader's size limit: a
// regular file only (a FIFO is refused, never waited on).
func readTemplate(path string, max int64) ([]byte, error) {
	b, err := safefs.ReadFile(path, safefs.Template)
	if err != nil {
		return nil, errors.New(safefs.Reason(err))
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("larger than the %d-byte limit", max)
	}
	return b, nil
}

// filesFor is the FS an analysis reads the template's files through: the
// template's own folder for one imported from disk, nothing for text that
// arrived without a folder.
func filesFor(sourcePath string) *safefs.FS {
	if sourcePath == "" {
		return safefs.None()
	}
	fsys, err := safefs.New(filepath.Dir(sourcePath))
	if err != nil {
		return safefs.None()
	}
	return fsys
}
