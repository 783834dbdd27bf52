package iam

import "strings"

// ServicePrincipal renders a trust policy's service principal as the model
// shows it: a domain written with ${AWS::URLSuffix} reads amazonaws.com, the
// suffix of every partition but China's (amazonaws.com.cn), which names the
// same service. Other placeholders stay as the model keeps them everywhere
// (states.${AWS::Region}.${AWS::URLSuffix} -> states.${AWS::Region}.amazonaws.com,
// as another template writes the same trust). Anything that is not a
// service principal (an ARN, an account, "*") is returned as is.
func ServicePrincipal(s string) string {
	name, ok := strings.CutSuffix(s, ".${AWS::URLSuffix}")
	// a service name: dot-separated words, the region possibly a placeholder
	if !ok || name == "" || strings.ContainsAny(strings.ReplaceAll(name, "${AWS::Region}", "region"), ":/*${}") {
		return s
	}
	return name + ".amazonaws.com"
}
