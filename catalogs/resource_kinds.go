package catalogs

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed resource_kinds.yaml
var resourceKindsYAML []byte

// ResourceKind says what a resource type is in the threat model.
type ResourceKind struct {
	Kind    string `yaml:"kind"`
	Service string `yaml:"service"`
	// Node is false for wiring-only types (permissions, mappings, policies).
	Node *bool `yaml:"node,omitempty"`
}

// IsNode reports whether resources of the type are data-flow nodes.
func (k ResourceKind) IsNode() bool { return k.Node == nil || *k.Node }

// Validate checks one entry.
func (k ResourceKind) Validate(typ string) error {
	if k.Kind == "" || k.Service == "" {
		return fmt.Errorf("%s: kind and service are required", typ)
	}
	return nil
}

var (
	kindsOnce sync.Once
	kinds     map[string]ResourceKind
	kindsErr  error
)

func loadKinds() {
	var doc struct {
		Types map[string]ResourceKind `yaml:"types"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(resourceKindsYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		kindsErr = fmt.Errorf("resource_kinds.yaml: %w", err)
		return
	}
	for typ, k := range doc.Types {
		if err := k.Validate(typ); err != nil {
			kindsErr = fmt.Errorf("resource_kinds.yaml: %w", err)
			return
		}
	}
	kinds = doc.Types
}

// ResourceKinds returns the whole catalog (validated on first use).
func ResourceKinds() (map[string]ResourceKind, error) {
	kindsOnce.Do(loadKinds)
	return kinds, kindsErr
}

// KindOf returns the catalog entry for a resource type; unknown types are
// kind "other", a node, with the service taken from the type name
// (AWS::Foo::Bar -> foo).
func KindOf(typ string) ResourceKind {
	kindsOnce.Do(loadKinds)
	if k, ok := kinds[typ]; ok {
		return k
	}
	parts := strings.Split(typ, "::")
	svc := "other"
	if len(parts) >= 2 {
		svc = strings.ToLower(parts[1])
	}
	return ResourceKind{Kind: "other", Service: svc}
}
