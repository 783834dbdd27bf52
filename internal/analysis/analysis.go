// Package analysis runs samthreat's pipeline: read the template, build the
// model, compute blast radius, evaluate the rules. The CLI, the desktop app and
// web mode all call it, so every front end sees the same result.
package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/risk"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/samthreat/samthreat/internal/sam"
)

// Options tune a run.
type Options struct {
	RulesDir string
	// Raise reports these hardening controls (rule ids) as threats.
	Raise []string
	// Root confines every file the template points at (code, manifests,
	// definitions): "" is the template's own folder. A monorepo whose
	// CodeUri is ../src gives its top folder.
	Root string
	// FS, when set, is used instead of Root (safefs.None() for a template
	// that arrived as text and has no folder).
	FS *safefs.FS
	// Progress, when set, is told about long work (done of total, current item).
	Progress func(done, total int, item string)
}

// Result is one analysis: the model every output is made from, and the
// parsed template it was built from (for tools that read the YAML itself;
// the model carries what outputs quote).
type Result struct {
	Model    *model.Model
	Template *sam.Template
}

// File analyses the template at path.
func File(ctx context.Context, path string, opts Options) (*model.Model, error) {
	r, err := Run(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	return r.Model, nil
}

// Run analyses the template at path and returns the template with the model.
func Run(ctx context.Context, path string, opts Options) (*Result, error) {
	fsys := opts.FS
	if fsys == nil {
		root := opts.Root
		if root == "" {
			root = filepath.Dir(path)
		}
		var err error
		if fsys, err = safefs.New(root); err != nil {
			if opts.Root != "" {
				return nil, fmt.Errorf("--root %s: %s", opts.Root, safefs.Reason(err))
			}
			return nil, &sam.Error{File: path, Msg: safefs.Reason(err)}
		}
	}
	t, err := sam.LoadFS(fsys, path)
	if err != nil {
		return nil, err
	}
	m, err := Template(ctx, t, opts)
	if err != nil {
		return nil, err
	}
	return &Result{Model: m, Template: t}, nil
}

// Bytes analyses template bytes; name is the file name used in evidence and
// the directory CodeUri paths are relative to.
func Bytes(ctx context.Context, name string, data []byte, opts Options) (*model.Model, error) {
	t, err := sam.Parse(name, data)
	if err != nil {
		return nil, err
	}
	switch {
	case opts.FS != nil:
		t.FS = opts.FS
	case opts.Root != "":
		if t.FS, err = safefs.New(opts.Root); err != nil {
			return nil, fmt.Errorf("root %s: %s", opts.Root, safefs.Reason(err))
		}
	}
	return Template(ctx, t, opts)
}

// Template analyses an already parsed template.
func Template(ctx context.Context, t *sam.Template, opts Options) (*model.Model, error) {
	if err := t.CheckIsTemplate(); err != nil {
		return nil, err
	}
	if t.FS == nil {
		t.FS = t.Files()
	}
	m, err := adapt.Build(t)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(t.Data)
	m.Checksum = hex.EncodeToString(sum[:])
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := blast.Compute(ctx, m, blast.Options{Progress: opts.Progress, Template: t}); err != nil {
		return nil, fmt.Errorf("%s: blast radius: %w", t.File, err)
	}
	if err := rules.Evaluate(ctx, m, rules.Options{RulesDir: opts.RulesDir, Raise: opts.Raise, Template: t}); err != nil {
		return nil, fmt.Errorf("%s: rules: %w", t.File, err)
	}
	noteCodeNotRead(m, t.File)
	risk.Rank(m)
	return m, nil
}

// noteCodeNotRead records, in the model every output is made from, that this
// build could not read some functions' code (compiled without cgo).
func noteCodeNotRead(m *model.Model, file string) {
	if m.Summary.CodeNotRead == 0 {
		return
	}
	var ids []string
	for _, f := range m.Functions {
		if f.Blast != nil && f.CodeNotRead {
			ids = append(ids, f.ID)
		}
	}
	m.Diagnostics = append(m.Diagnostics, model.Diagnostic{Level: "warning", Source: model.Source{File: file},
		Message: fmt.Sprintf(model.CodeNotRead+": samthreat was compiled without cgo (no C compiler, or CGO_ENABLED=0), "+
			"so the code of %d of %d functions (%s) was not parsed: their c_f is unknown (counted as 1, so blast radius and potential impact are lower bounds) "+
			"and no least-privilege comparison or advice was made for them", len(ids), len(m.Functions), strings.Join(ids, ", "))})
}
