// Package sam reads AWS SAM and CloudFormation templates (YAML or JSON) into a
// yaml.v3 node tree that keeps every line number and every short-form tag, and
// resolves intrinsic functions symbolically. The node tree is the source of
// truth: nothing a template says is dropped because a typed decoder does not
// know it.
package sam

import (
	"github.com/samthreat/samthreat/internal/safefs"
	"gopkg.in/yaml.v3"
)

// Template is one parsed template.
type Template struct {
	File        string     // path as given by the user
	Dir         string     // directory the template lives in (CodeUri is relative to it)
	Data        []byte     // the bytes read
	Root        *yaml.Node // the document's top-level mapping
	Description string
	Transforms  []string
	Parameters  []*Parameter
	Conditions  map[string]*yaml.Node
	Mappings    *yaml.Node
	Globals     map[string]*yaml.Node // Function, Api, HttpApi, SimpleTable, StateMachine
	Resources   []*Resource           // in file order
	Outputs     *yaml.Node
	// FS reads every file the template points at (code, manifests,
	// definitions), confined to the project root. Nil for a template parsed
	// from bytes without a folder: callers treat nil as "read nothing".
	FS *safefs.FS
	// Notes are things the loader accepted but that deserve a word (an
	// empty section...): the model reports them as diagnostics.
	Notes []Note

	byID map[string]*Resource
}

// Note is something the loader accepted with a remark.
type Note struct {
	Line int
	Msg  string
}

// Parameter is one template parameter.
type Parameter struct {
	Name    string
	Type    string
	Default *yaml.Node
	NoEcho  bool
	Line    int
	Node    *yaml.Node
}

// Resource is one entry under Resources.
type Resource struct {
	ID         string
	Type       string
	Line       int
	Column     int
	Node       *yaml.Node // the whole resource mapping
	Properties *yaml.Node // Properties with Globals applied for SAM types; an empty mapping when absent, never nil
	Condition  string
	Metadata   *yaml.Node
	DependsOn  []string
}

// Resource returns the resource with the logical id, or nil.
func (t *Template) Resource(id string) *Resource {
	if t == nil || t.byID == nil {
		return nil
	}
	return t.byID[id]
}

// Files is the FS the template's files are read through: FS when set, else
// one confined to the template's folder (nothing when that folder does not
// exist). Nil-safe.
func (t *Template) Files() *safefs.FS {
	if t == nil {
		return safefs.None()
	}
	if t.FS != nil {
		return t.FS
	}
	fsys, err := safefs.New(t.Dir)
	if err != nil {
		return safefs.None()
	}
	return fsys
}

// CheckIsTemplate refuses a document that is YAML or JSON but not a
// CloudFormation or SAM template (no Resources, AWSTemplateFormatVersion or
// Transform), so a wrong path fails instead of passing as an empty
// application.
func (t *Template) CheckIsTemplate() error {
	for _, k := range []string{"Resources", "AWSTemplateFormatVersion", "Transform"} {
		if Get(t.Root, k) != nil {
			return nil
		}
	}
	line := 1
	if t.Root != nil && t.Root.Line > 0 {
		line = t.Root.Line
	}
	return &Error{File: t.File, Line: line, Msg: "not a CloudFormation/SAM template (no Resources, AWSTemplateFormatVersion or Transform)"}
}
