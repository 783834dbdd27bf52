package sam

import "gopkg.in/yaml.v3"

// Fn::GetAtt: a resource's attribute, kept as ${LogicalId.Attr}.
func evalGetAtt(r *resolver, n, _ *yaml.Node) string {
	id, attr, ok := GetAttArgs(n)
	if !ok {
		return r.unknown("${GetAtt}")
	}
	return r.getAtt(id, attr)
}

func (r *resolver) getAtt(id, attr string) string {
	if r.t.Resource(id) != nil {
		r.v.Refs = append(r.v.Refs, RefTarget{ID: id, Attr: attr})
	}
	if attr == "" {
		return r.unknown("${" + id + "}")
	}
	return r.unknown("${" + id + "." + attr + "}")
}
