package checks

import "gopkg.in/yaml.v3"

// DynamoDB rules (SLS-DDB-*): recovery.

func init() {
	Register("SLS-DDB-001", propCheck([]string{"AWS::DynamoDB::Table"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		n := get(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
		return !isTrue(n), n, "table %s has no point-in-time recovery: data a function corrupts or deletes cannot be restored"
	}))
}
