// Package sam reads AWS SAM and CloudFormation templates (YAML or JSON) into a
// yaml.v3 node tree that keeps every line number and every short-form tag, and
// resolves intrinsic functions symbolically. The node tree is the source of
// truth: nothing a template says is dropped because a typed decoder does not
// know it.
package sam

import "gopkg.in/yaml.v3"

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

	byID map[string]*Resource
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
