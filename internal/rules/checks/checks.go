// Package checks holds the logic of samthreat's rules, one file per rule or
// family, each registered under the rule id its catalog entry
// (catalogs/rules/<ID>.yaml) carries. Checks read the model, never raw YAML
// text: where the model does not lift a property they read the resource's
// property node, which already has Globals applied.
package checks

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// Hit is one place where a check found the risk it looks for. The engine turns
// hits into findings with the words of the rule's catalog entry.
type Hit struct {
	// Resource is the logical id at fault (function, API, resource).
	Resource string
	// Key distinguishes two hits of one rule on one resource (an action, a
	// route, a variable name); it goes into the fingerprint, so it must not
	// depend on line numbers or on values that change with unrelated edits.
	Key string
	// Message names the action, route, variable or package concerned. It must
	// never contain a secret value: use Mask.
	Message  string
	Evidence []model.Location
	// Secrets are values that must never appear in the output; the engine
	// masks any that slipped into the message or a snippet.
	Secrets []string
	// MaskEnv says Key names an environment variable of the function
	// Resource whose value is a secret: the engine masks the value in the
	// model (EnvVar.Masked) so no output shows it.
	MaskEnv bool
	// Severity overrides the rule's severity for this hit when the context
	// makes the risk smaller or larger (a route of a PRIVATE API); empty: the
	// rule's own.
	Severity model.Severity
}

// Advisory is one known vulnerability affecting a dependency (S9).
type Advisory struct {
	ID      string
	Summary string
	Fixed   string // first fixed version, when known
}

// Dependency is one package a function ships, with the version its manifest
// or lock file declares.
type Dependency struct {
	Ecosystem string // npm | PyPI
	Name      string
	Version   string // the lowest version the declaration admits
	Declared  string // as written (^1.2.3, ==2.0)
	File      string
	Line      int
}

// Context is what a check gets: the model, the rule's parameters (user rules
// reuse built-in checks with parameters) and the run's services.
type Context struct {
	Ctx   context.Context
	Model *model.Model
	// Template is the parsed template the model was built from, for checks
	// that read a property the model does not lift (nil for a model built
	// by hand).
	Template *sam.Template
	Params   map[string]any
	// Now is the date deprecation checks compare against (tests pin it).
	Now time.Time
	// Vulns looks a dependency up in the configured advisory source (nil: no
	// source configured, the S9 OSV rule stays silent).
	Vulns func(d Dependency) ([]Advisory, error)
	// Shared is the evaluation's cache (nil: none).
	Shared *Shared
}

// Check finds hits of one rule in a model. It must not panic on any model and
// must return its hits in a deterministic order.
type Check func(c *Context) ([]Hit, error)

var (
	mu       sync.RWMutex
	registry = map[string]Check{}
)

// Register adds a check under a rule id; ids are registered once, at init.
func Register(id string, fn Check) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[id]; dup {
		panic(fmt.Sprintf("checks: %s registered twice", id)) // programming error, caught by every test run
	}
	registry[id] = fn
}

// Lookup returns the check registered under id.
func Lookup(id string) (Check, bool) {
	mu.RLock()
	defer mu.RUnlock()
	fn, ok := registry[id]
	return fn, ok
}

// IDs lists the registered rule ids, sorted.
func IDs() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for id := range registry {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
