package sam

import "gopkg.in/yaml.v3"

// Fn::ImportValue: another stack's export, unknown here: ${ImportValue:Name},
// marked Import.
func evalImportValue(r *resolver, _, arg *yaml.Node) string {
	r.v.Import = true
	return r.unknown("${ImportValue:" + r.eval(arg) + "}")
}
