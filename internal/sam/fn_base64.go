package sam

import "gopkg.in/yaml.v3"

// Fn::Base64: the text before encoding (what a reader of the model needs).
func evalBase64(r *resolver, _, arg *yaml.Node) string {
	return r.eval(arg)
}
