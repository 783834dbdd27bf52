package checks

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/samthreat/samthreat/internal/model"
)

// Transfer Family rules (SLS-TRF-*): servers that still accept old ciphers.

func init() {
	Register("SLS-TRF-001", checkTransferPolicy)
}

// transferPolicyYear reads the year of a Transfer Family security policy
// name (TransferSecurityPolicy-2020-06, ...-FIPS-2020-06, ...-Restricted-2018-11).
var transferPolicyYear = regexp.MustCompile(`-(20\d\d)-\d\d$`)

// transferCurrentFrom: policies from this year on drop the SHA-1 key
// exchanges and MACs and the CBC ciphers the 2018 and 2020 policies keep.
const transferCurrentFrom = 2022

// checkTransferPolicy: an AWS::Transfer::Server whose security policy is
// older than 2022, or none (CloudFormation then attaches
// TransferSecurityPolicy-2018-11, unlike the console).
func checkTransferPolicy(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Transfer::Server") {
		p := props(r)
		n := get(p, "SecurityPolicyName")
		name := value(c, n)
		how := "security policy " + name
		if n == nil {
			name, how = "TransferSecurityPolicy-2018-11", "no SecurityPolicyName, so CloudFormation attaches TransferSecurityPolicy-2018-11"
		}
		m := transferPolicyYear.FindStringSubmatch(name)
		if m == nil {
			continue // a parameter without default, or a policy this rule does not know
		}
		if year, _ := strconv.Atoi(m[1]); year >= transferCurrentFrom {
			continue
		}
		where := "its endpoint"
		sev := model.Severity("")
		switch value(c, get(p, "EndpointType")) {
		case "", "PUBLIC":
			where = "its public endpoint"
		case "VPC_ENDPOINT", "VPC":
			if get(p, "EndpointDetails", "AddressAllocationIds") == nil {
				where, sev = "its VPC endpoint", model.SeverityLow
			}
		}
		hits = append(hits, Hit{Resource: r.ID, Severity: sev,
			Message:  fmt.Sprintf("Transfer Family server %s has %s: %s still negotiates the older ciphers, SHA-1 key exchanges and MACs it allows; TransferSecurityPolicy-2024-01 (or a later one) does not", r.ID, how, where),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}
