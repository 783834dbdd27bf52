package sam

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/safefs"
	"gopkg.in/yaml.v3"
)

// Limits that keep hostile templates from exhausting memory or time. CloudFormation
// itself caps templates at 1 MB (S3-hosted), so these are generous.
const (
	MaxFileSize = 16 << 20 // bytes
	MaxDepth    = 200      // nesting of mappings/sequences
	// MaxNodes bounds the values of a document (counted cheaply on the raw
	// text before parsing, then exactly): real templates hold a few thousand.
	MaxNodes = 600_000
	// MaxAliasExpansion bounds the nodes reachable through YAML aliases, the
	// billion-laughs defence: aliases are followed virtually while counting.
	MaxAliasExpansion = 1_000_000
)

// Error is a template problem with its place, printed as file:line: message.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads and parses a template file; the files it points at (code,
// manifests, definitions) are confined to the template's folder.
func Load(path string) (*Template, error) {
	fsys, err := safefs.New(filepath.Dir(path))
	if err != nil {
		return nil, &Error{File: path, Msg: safefs.Reason(err)}
	}
	return LoadFS(fsys, path)
}

// LoadFS reads and parses a template file through fsys (which must contain
// it); the template keeps fsys for every file it points at.
func LoadFS(fsys *safefs.FS, path string) (*Template, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &Error{File: path, Msg: "is a directory, not a template"}
	}
	data, err := fsys.ReadFile(path, safefs.Template)
	if err != nil {
		if errors.Is(err, safefs.ErrOutside) {
			return nil, &Error{File: path, Msg: "template outside the project root (" + fsys.Root() + "): not read"}
		}
		return nil, &Error{File: path, Msg: safefs.Reason(err)}
	}
	t, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	t.FS = fsys
	return t, nil
}

func cleanOSError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses template bytes (YAML or JSON); file names the template in
// errors and anchors CodeUri. It never panics: any input yields a template or
// a *Error.
func Parse(file string, data []byte) (t *Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &Error{File: file, Msg: fmt.Sprintf("cannot read template: %v", r)}
		}
	}()
	if len(data) > MaxFileSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("template is %d bytes, over the %d byte limit", len(data), MaxFileSize)}
	}
	if err := checkEncoding(file, data); err != nil {
		return nil, err
	}
	if d, line := rawDepth(data); d > MaxDepth {
		return nil, &Error{File: file, Line: line, Msg: fmt.Sprintf("document nested deeper than %d levels", MaxDepth)}
	}
	if n, line := rawValues(data); n > MaxNodes {
		return nil, &Error{File: file, Line: line, Msg: fmt.Sprintf("document holds more than %d values (templates hold a few thousand)", MaxNodes)}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "empty template"}
		}
		return nil, yamlError(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty template"}
	}
	root := doc.Content[0]
	if err := checkShape(file, root); err != nil {
		return nil, err
	}
	if err := checkDuplicateKeys(file, root); err != nil {
		return nil, err
	}
	root = dealias(root, 0)
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Msg: "template is not a mapping (expected keys such as Resources)"}
	}
	t = &Template{File: file, Dir: filepath.Dir(file), Data: data, Root: root,
		Conditions: map[string]*yaml.Node{}, Globals: map[string]*yaml.Node{}, byID: map[string]*Resource{}}
	if err := t.read(); err != nil {
		return nil, err
	}
	return t, nil
}

func yamlError(file string, err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n  ")
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i > 0 {
			if line, err := strconv.Atoi(msg[5:i]); err == nil {
				return &Error{File: file, Line: line, Msg: "invalid YAML: " + msg[i+2:]}
			}
		}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// rawDepth measures bracket/indentation nesting cheaply before the YAML
// parser (which recurses) sees the document: flow brackets and block
// indentation levels. It over-approximates nothing a real template needs.
func rawDepth(data []byte) (max, line int) {
	depth := 0
	inQuote := byte(0)
	ln := 1
	for _, c := range data {
		if c == '\n' {
			ln++
		}
		switch {
		case inQuote != 0:
			if c == inQuote || c == '\n' {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			inQuote = c
		case c == '[' || c == '{':
			depth++
			if depth > max {
				max = depth
				if max == MaxDepth+1 {
					line = ln
				}
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	// block nesting: leading indentation, where each "- " sequence indicator
	// counts as the two columns it occupies (a run of dashes in a block
	// scalar is text, not nesting).
	ind := 0
	start := true
	ln = 1
	for i, c := range data {
		switch {
		case c == '\n':
			start, ind = true, 0
			ln++
		case !start:
		case c == ' ':
			ind++
		case c == '-' && (i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n'):
			ind++
		default:
			if ind/2 > max {
				max = ind / 2
				if max > MaxDepth && (line == 0 || ln < line) {
					line = ln
				}
			}
			start = false
		}
	}
	return max, line
}

// rawValues over-counts a document's values cheaply (one per line, one per
// comma) so that a huge flat document is refused before the parser builds
// its tree; line is where the count passed MaxNodes.
func rawValues(data []byte) (n, line int) {
	ln := 1
	for _, c := range data {
		if c == '\n' || c == ',' {
			n++
			if c == '\n' {
				ln++
			}
			if n == MaxNodes+1 {
				line = ln
			}
		}
	}
	return n, line
}

// checkEncoding refuses binary data and UTF-16 without a byte-order mark
// (yaml.v3 reads UTF-8 and BOM-marked UTF-16) with the line and offset of the
// first offending byte.
func checkEncoding(file string, data []byte) error {
	if len(data) >= 2 && (data[0] == 0xFE && data[1] == 0xFF || data[0] == 0xFF && data[1] == 0xFE) {
		return nil // UTF-16 with a byte-order mark: the parser decodes it
	}
	if len(data) >= 2 && (data[0] == 0 && data[1] != 0 || data[0] != 0 && data[1] == 0) {
		return &Error{File: file, Line: 1, Msg: "UTF-16 text without a byte-order mark (offset 0): save the template as UTF-8"}
	}
	line := 1
	for i, c := range data {
		if c == '\n' {
			line++
			continue
		}
		if c == 0 || c < 0x20 && c != '\t' && c != '\r' || c == 0x7f {
			return &Error{File: file, Line: line, Msg: fmt.Sprintf("binary data (byte 0x%02x at offset %d): not a YAML or JSON template", c, i)}
		}
	}
	return nil
}

// checkShape walks the tree following aliases virtually, refusing documents
// that are too deep or that expand to too many nodes.
func checkShape(file string, root *yaml.Node) error {
	count, viaAlias := 0, 0
	var walk func(n *yaml.Node, depth int, aliased bool) error
	walk = func(n *yaml.Node, depth int, aliased bool) error {
		if n == nil {
			return nil
		}
		if aliased {
			viaAlias++
			if viaAlias > MaxAliasExpansion {
				return &Error{File: file, Line: n.Line, Msg: fmt.Sprintf("YAML aliases expand to more than %d nodes (alias bomb)", MaxAliasExpansion)}
			}
		} else {
			count++
			if count > MaxNodes {
				return &Error{File: file, Line: n.Line, Msg: fmt.Sprintf("document holds more than %d values (templates hold a few thousand)", MaxNodes)}
			}
		}
		if depth > MaxDepth {
			return &Error{File: file, Line: n.Line, Msg: fmt.Sprintf("document nested deeper than %d levels", MaxDepth)}
		}
		if n.Kind == yaml.AliasNode {
			return walk(n.Alias, depth+1, true)
		}
		for _, c := range n.Content {
			if err := walk(c, depth+1, aliased); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, 0, false)
}

// checkDuplicateKeys refuses a mapping that names a key twice with different
// values, anywhere in the document, as cfn-lint does: parsers disagree on
// which value wins (SAM's tooling keeps the last, a node walk the first), so
// the answer would depend on the reader. A key repeated with the same value
// (a copied line) changes nothing and is let through. Resources are reported
// by read() in its own words.
func checkDuplicateKeys(file string, root *yaml.Node) error {
	resources := Get(root, "Resources")
	var walk func(n *yaml.Node, path string, depth int) error
	walk = func(n *yaml.Node, path string, depth int) error {
		if n == nil || n.Kind == yaml.AliasNode || depth > MaxDepth+2 {
			return nil
		}
		if n.Kind == yaml.MappingNode && n != resources {
			seen := make(map[string]int, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.Value == "<<" {
					continue
				}
				if first, dup := seen[k.Value]; dup && !sameNode(n.Content[first+1], n.Content[i+1], 0) {
					first := n.Content[first].Line
					where := k.Value
					if path != "" {
						where = path + "." + k.Value
					}
					return &Error{File: file, Line: k.Line, Msg: fmt.Sprintf("duplicate key %s (first at line %d) with a different value: tools disagree on which applies", where, first)}
				}
				if _, dup := seen[k.Value]; !dup {
					seen[k.Value] = i
				}
			}
		}
		for i, c := range n.Content {
			sub := path
			if n.Kind == yaml.MappingNode {
				if i%2 == 0 {
					continue // keys
				}
				k := n.Content[i-1].Value
				if path == "" {
					sub = k
				} else {
					sub = path + "." + k
				}
			} else if n.Kind == yaml.SequenceNode {
				sub = fmt.Sprintf("%s[%d]", path, i)
			}
			if err := walk(c, sub, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, "", 0)
}

// dealias replaces alias nodes by the nodes they name (shared, not copied), so
// the rest of samthreat never meets an alias. checkShape has bounded the result.
func dealias(n *yaml.Node, depth int) *yaml.Node {
	if n == nil || depth > MaxDepth+2 {
		return n
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return dealias(n.Alias, depth+1)
	}
	for i, c := range n.Content {
		if c != nil && c.Kind == yaml.AliasNode {
			n.Content[i] = dealias(c, depth+1)
		} else {
			dealias(c, depth+1)
		}
	}
	return n
}

func (t *Template) errAt(n *yaml.Node, format string, args ...any) *Error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: t.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// read lifts the top-level sections, one function per section.
func (t *Template) read() error {
	if d := Get(t.Root, "Description"); d != nil && d.Kind == yaml.ScalarNode {
		t.Description = strings.TrimSpace(d.Value)
	}
	t.Transforms = transforms(Get(t.Root, "Transform"))
	if err := t.readParameters(Get(t.Root, "Parameters")); err != nil {
		return err
	}
	if cs := Get(t.Root, "Conditions"); cs != nil && cs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(cs.Content); i += 2 {
			t.Conditions[cs.Content[i].Value] = cs.Content[i+1]
		}
	}
	t.Mappings = Get(t.Root, "Mappings")
	t.Outputs = Get(t.Root, "Outputs")
	if err := t.readGlobals(Get(t.Root, "Globals")); err != nil {
		return err
	}
	return t.readResources(Get(t.Root, "Resources"))
}

// transforms lists the Transform section's names: a name, a list of names
// or of {Name: ...} (AWS::Include), or one {Name: ...}.
func transforms(tr *yaml.Node) []string {
	if tr == nil {
		return nil
	}
	var out []string
	switch tr.Kind {
	case yaml.ScalarNode:
		out = []string{tr.Value}
	case yaml.SequenceNode:
		for _, c := range tr.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, c.Value)
			} else if name := Str(Get(c, "Name")); name != "" {
				out = append(out, name)
			}
		}
	case yaml.MappingNode:
		if name := Str(Get(tr, "Name")); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func (t *Template) readParameters(ps *yaml.Node) error {
	if ps == nil {
		return nil
	}
	if ps.Kind == yaml.ScalarNode && ps.Tag == "!!null" {
		// an empty "Parameters:" section: what the template says is still
		// readable, so it is read with a note instead of refused
		t.Notes = append(t.Notes, Note{Line: ps.Line, Msg: "the Parameters section is empty: read as no parameters"})
		return nil
	}
	if ps.Kind != yaml.MappingNode {
		return t.errAt(ps, "Parameters must be a mapping")
	}
	for i := 0; i+1 < len(ps.Content); i += 2 {
		k, v := ps.Content[i], ps.Content[i+1]
		p := &Parameter{Name: k.Value, Line: k.Line, Node: v}
		if v.Kind == yaml.MappingNode {
			p.Type = Str(Get(v, "Type"))
			p.Default = Get(v, "Default")
			p.NoEcho, _ = Bool(Get(v, "NoEcho"))
		}
		t.Parameters = append(t.Parameters, p)
	}
	return nil
}

func (t *Template) readGlobals(gs *yaml.Node) error {
	if gs == nil {
		return nil
	}
	if gs.Kind != yaml.MappingNode {
		return t.errAt(gs, "Globals must be a mapping of sections (Function, Api, HttpApi, WebSocketApi, SimpleTable, StateMachine, LayerVersion, CapacityProvider)")
	}
	for i := 0; i+1 < len(gs.Content); i += 2 {
		name := gs.Content[i].Value
		if !knownGlobals[name] {
			return t.errAt(gs.Content[i], "Globals: unsupported section %q (SAM supports Function, Api, HttpApi, WebSocketApi, SimpleTable, StateMachine, LayerVersion, CapacityProvider)", name)
		}
		if v := gs.Content[i+1]; v.Kind != yaml.MappingNode && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			return t.errAt(v, "Globals.%s must be a mapping", name)
		}
		t.Globals[name] = gs.Content[i+1]
	}
	return nil
}

func (t *Template) readResources(rs *yaml.Node) error {
	if rs == nil {
		return nil // a template without resources is empty, not broken
	}
	if rs.Kind != yaml.MappingNode {
		return t.errAt(rs, "Resources must be a mapping of logical ids to resources")
	}
	for i := 0; i+1 < len(rs.Content); i += 2 {
		r, err := t.readResource(rs.Content[i], rs.Content[i+1])
		if err != nil {
			return err
		}
		t.Resources = append(t.Resources, r)
		t.byID[r.ID] = r
	}
	return nil
}

// readResource reads one resource (k: v), refusing a duplicate logical id,
// a resource without a Type and Properties that are not a mapping.
func (t *Template) readResource(k, v *yaml.Node) (*Resource, error) {
	if k.Kind != yaml.ScalarNode {
		return nil, t.errAt(k, "resource logical id must be a string")
	}
	if _, dup := t.byID[k.Value]; dup {
		return nil, t.errAt(k, "resource %s is defined twice", k.Value)
	}
	if v.Kind != yaml.MappingNode {
		return nil, t.errAt(v, "resource %s must be a mapping with a Type", k.Value)
	}
	r := &Resource{ID: k.Value, Line: k.Line, Column: k.Column, Node: v}
	typ := Get(v, "Type")
	if typ == nil || typ.Kind != yaml.ScalarNode || typ.Value == "" {
		return nil, t.errAt(k, "resource %s has no Type", k.Value)
	}
	r.Type = typ.Value
	r.Condition = Str(Get(v, "Condition"))
	r.Metadata = Get(v, "Metadata")
	if d := Get(v, "DependsOn"); d != nil {
		for _, c := range Items(d) {
			if c.Kind == yaml.ScalarNode {
				r.DependsOn = append(r.DependsOn, c.Value)
			}
		}
	}
	props, err := t.properties(k, Get(v, "Properties"))
	if err != nil {
		return nil, err
	}
	r.Properties = t.applyGlobals(r.Type, props)
	if err := t.checkSAMShape(r); err != nil {
		return nil, err
	}
	return r, nil
}

// properties is a resource's Properties mapping; empty Properties or one
// given by an intrinsic (Fn::If, unknowable here) read as none.
func (t *Template) properties(k, props *yaml.Node) (*yaml.Node, error) {
	if props == nil || props.Kind == yaml.MappingNode {
		return props, nil
	}
	if props.Kind == yaml.ScalarNode && (props.Tag == "!!null" || props.Value == "") {
		return nil, nil
	}
	if _, _, isFn := Intrinsic(props); !isFn {
		return nil, t.errAt(props, "resource %s: Properties must be a mapping", k.Value)
	}
	return nil, nil
}

// Parameter returns the parameter with the name, or nil.
func (t *Template) Parameter(name string) *Parameter {
	if t == nil {
		return nil
	}
	for _, p := range t.Parameters {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// IsSAM reports whether the template uses the SAM transform.
func (t *Template) IsSAM() bool {
	for _, tr := range t.Transforms {
		if strings.HasPrefix(tr, "AWS::Serverless") {
			return true
		}
	}
	for _, r := range t.Resources {
		if strings.HasPrefix(r.Type, "AWS::Serverless::") {
			return true
		}
	}
	return false
}

var knownGlobals = map[string]bool{"Function": true, "Api": true, "HttpApi": true, "SimpleTable": true,
	"StateMachine": true, "LayerVersion": true, "CapacityProvider": true, "WebSocketApi": true}

// checkSAMShape refuses SAM resources whose structure the transform itself
// would reject and that samthreat could only model by guessing.
func (t *Template) checkSAMShape(r *Resource) error {
	if !strings.HasPrefix(r.Type, "AWS::Serverless::") {
		return nil
	}
	ev := Get(r.Properties, "Events")
	if ev == nil || IsIntrinsic(ev) {
		return nil
	}
	if ev.Kind != yaml.MappingNode {
		if ev.Kind == yaml.ScalarNode && ev.Tag == "!!null" {
			return nil
		}
		return t.errAt(ev, "%s: Events must be a mapping of event names to events", r.ID)
	}
	for i := 0; i+1 < len(ev.Content); i += 2 {
		name, e := ev.Content[i], ev.Content[i+1]
		if e.Kind != yaml.MappingNode {
			return t.errAt(e, "%s: event %s must be a mapping with a Type", r.ID, name.Value)
		}
		if Str(Get(e, "Type")) == "" {
			return t.errAt(name, "%s: event %s has no Type", r.ID, name.Value)
		}
	}
	return nil
}

// sameNode compares two value trees (kind, tag, scalar value, children).
func sameNode(a, b *yaml.Node, depth int) bool {
	if a == nil || b == nil || depth > MaxDepth+2 {
		return a == b
	}
	if a.Kind == yaml.AliasNode {
		a = a.Alias
	}
	if b.Kind == yaml.AliasNode {
		b = b.Alias
	}
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}
