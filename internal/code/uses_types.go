package code

// Calls on imported modules, for rules that ask "does this code call
// yaml.load / requests.get / fetch?": read from the syntax tree, so a call in
// a comment or a string is not a call, and a method is only the module's when
// its receiver is bound to that module's import (ion.load is not js-yaml's
// load). Added for the precision rules of issue 11 (internal/rules/checks).

// ModuleCall is one call whose callee is reached from an import (or a
// well-known global such as fetch or eval).
type ModuleCall struct {
	// Qualified is the module as imported followed by the member path called:
	// "js-yaml.load", "requests.get", "xml.etree.ElementTree.fromstring",
	// "urllib3.PoolManager().request" (a call on what a module call
	// returned), "fetch" for a global.
	Qualified string `json:"qualified"`
	Module    string `json:"module,omitempty"` // the import spec ("" for a global)
	Line      int    `json:"line"`
	// Args are the keyword arguments (Python) and the keys of object-literal
	// arguments (JavaScript), with their values' source text.
	Args map[string]string `json:"args,omitempty"`
	// Positional is the number of positional arguments.
	Positional int `json:"positional"`
	// CFNResponse: the call answers CloudFormation for a custom resource (a
	// PUT to the event's pre-signed ResponseURL): the custom-resource
	// protocol, not a call to an outside endpoint.
	CFNResponse bool `json:"cfnResponse,omitempty"`
}

// Uses is what one source file imports and calls.
type Uses struct {
	Language string   `json:"language"`
	Imports  []string `json:"imports,omitempty"` // every import spec, in file order
	// ImportLine is the line of each spec's first import.
	ImportLine map[string]int `json:"-"`
	Calls      []ModuleCall   `json:"calls,omitempty"`
	// Names holds every identifier and property name used in code (not in
	// comments or strings), for "is a timeout configured anywhere" questions.
	Names map[string]bool `json:"-"`
}

func (u *Uses) addImport(spec string, line int) {
	if u.ImportLine == nil {
		u.ImportLine = map[string]int{}
	}
	if _, ok := u.ImportLine[spec]; !ok {
		u.Imports = append(u.Imports, spec)
		u.ImportLine[spec] = line
	}
}

// HasName reports whether the code uses a name (identifier or property).
func (u *Uses) HasName(name string) bool { return u != nil && u.Names[name] }
