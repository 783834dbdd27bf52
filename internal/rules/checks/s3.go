package checks

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// S3 rules (SLS-S3-*): public access, ACLs, versioning, access logs.

func init() {
	Register("SLS-S3-001", propCheck([]string{"AWS::S3::Bucket"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		pab := get(p, "PublicAccessBlockConfiguration")
		var off []string
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if !isTrue(get(pab, k)) {
				off = append(off, k)
			}
		}
		if pab == nil {
			return true, nil, "bucket %s declares no public access block (PublicAccessBlockConfiguration): new buckets block public access by default since April 2023, but the template does not pin it"
		}
		if len(off) > 0 {
			return true, pab, "bucket %s leaves public access partly open: " + strings.Join(off, ", ") + " not true"
		}
		return false, nil, ""
	}))
	Register("SLS-S3-002", propCheck([]string{"AWS::S3::Bucket"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		acl := get(p, "AccessControl")
		switch str(acl) {
		case "PublicRead", "PublicReadWrite", "AuthenticatedRead":
			return true, acl, "bucket %s has the canned ACL " + str(acl) + ": its objects are readable outside the account"
		}
		return false, nil, ""
	}))
	Register("SLS-S3-003", propCheck([]string{"AWS::S3::Bucket"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		v := get(p, "VersioningConfiguration", "Status")
		return !strings.EqualFold(str(v), "Enabled"), v, "bucket %s keeps no versions (VersioningConfiguration): an overwrite or delete by a compromised function is final"
	}))
	Register("SLS-S3-004", propCheck([]string{"AWS::S3::Bucket"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		return get(p, "LoggingConfiguration") == nil, nil, "bucket %s has no server access logging (LoggingConfiguration)"
	}))
}
