package sam

import "gopkg.in/yaml.v3"

// Intrinsics whose value only exists at deploy time.

// Fn::GetAZs: the region's availability zones, ${AWS::AZs}.
func evalGetAZs(r *resolver, _, _ *yaml.Node) string {
	return r.unknown("${AWS::AZs}")
}

// Fn::Cidr: address blocks computed by CloudFormation, ${Cidr}.
func evalCidr(r *resolver, _, _ *yaml.Node) string {
	return r.unknown("${Cidr}")
}

// Fn::ToJsonString: the argument rendered, not literal (the JSON layout is
// CloudFormation's).
func evalToJsonString(r *resolver, _, arg *yaml.Node) string {
	return r.unknown(r.eval(arg))
}
