package sam

import "gopkg.in/yaml.v3"

// Suppression is one entry of a resource's
// Metadata: {samthreat: {suppress: [{id: RULE, reason: "..."}]}}.
type Suppression struct {
	ID     string
	Reason string
	Node   *yaml.Node // the entry, for its line
}

// Suppressions reads what the template owner accepted on a resource: the
// entries of Metadata.samthreat.suppress, each {id, reason} or a bare rule
// id. The one reader of that block (the model builder and the rules read it
// through here).
func Suppressions(meta *yaml.Node) []Suppression {
	var out []Suppression
	for _, s := range Items(Get(meta, "samthreat", "suppress")) {
		id := Str(Get(s, "id"))
		if id == "" {
			id = Str(s)
		}
		if id == "" {
			continue
		}
		out = append(out, Suppression{ID: id, Reason: Str(Get(s, "reason")), Node: s})
	}
	return out
}
