package checks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// Data store checks: encryption at rest, public access, recovery.

func init() {
	Register("SLS-ENC-001", propCheck([]string{"AWS::SQS::Queue"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		if get(p, "KmsMasterKeyId") != nil {
			return false, nil, ""
		}
		if n := get(p, "SqsManagedSseEnabled"); isFalse(n) {
			return true, n, "queue %s is not encrypted at rest (SqsManagedSseEnabled false, no KmsMasterKeyId)"
		}
		return true, nil, "queue %s is encrypted only with an SQS-owned key, not a customer KMS key (KmsMasterKeyId): key use is neither controlled nor logged"
	}))
	Register("SLS-ENC-002", propCheck([]string{"AWS::SNS::Topic"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		return get(p, "KmsMasterKeyId") == nil, nil, "topic %s stores messages unencrypted at rest (no KmsMasterKeyId)"
	}))
	Register("SLS-ENC-003", propCheck([]string{"AWS::S3::Bucket"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		sse := get(p, "BucketEncryption", "ServerSideEncryptionConfiguration")
		if sse == nil {
			return true, nil, "bucket %s declares no default encryption (BucketEncryption): S3 encrypts every new object with its own key (SSE-S3) by default since January 2023; a KMS key would add a second permission and an audit trail"
		}
		return false, nil, ""
	}))
	Register("SLS-ENC-004", propCheck([]string{"AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable", "AWS::DynamoDB::GlobalTable"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		s := get(p, "SSESpecification")
		if get(s, "KMSMasterKeyId") != nil || get(p, "Replicas") != nil && tableReplicaKeys(p) {
			return false, nil, ""
		}
		if isTrue(get(s, "SSEEnabled")) {
			return true, s, "table %s is encrypted with the AWS-managed key aws/dynamodb (SSEEnabled without KMSMasterKeyId), not a customer-managed key: its key policy and grants are AWS's, not yours"
		}
		return true, s, "table %s is encrypted with an AWS-owned key, not a customer-managed KMS key (SSESpecification with KMSMasterKeyId)"
	}))
	Register("SLS-ENC-005", propCheck([]string{"AWS::Kinesis::Stream"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		return get(p, "StreamEncryption") == nil, nil, "stream %s is not encrypted at rest (no StreamEncryption)"
	}))
	Register("SLS-ENC-006", propCheck([]string{"AWS::Logs::LogGroup"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		return get(p, "KmsKeyId") == nil, nil, "log group %s is not encrypted with a customer KMS key (KmsKeyId)"
	}))
	Register("SLS-ENC-007", propCheck([]string{"AWS::KMS::Key"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		if strings.EqualFold(str(get(p, "KeySpec")), "") || strings.EqualFold(str(get(p, "KeySpec")), "SYMMETRIC_DEFAULT") {
			n := get(p, "EnableKeyRotation")
			return !isTrue(n), n, "KMS key %s does not rotate its key material (EnableKeyRotation)"
		}
		return false, nil, ""
	}))
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
	Register("SLS-DDB-001", propCheck([]string{"AWS::DynamoDB::Table"}, func(p *yaml.Node) (bool, *yaml.Node, string) {
		n := get(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
		return !isTrue(n), n, "table %s has no point-in-time recovery: data a function corrupts or deletes cannot be restored"
	}))
	Register("SLS-SQS-001", checkVisibilityTimeout)
}

// propCheck builds a check over every resource of the types: test returns
// whether it fires, the node to point at (nil: the resource) and a message
// with one %s for the logical id.
func propCheck(types []string, test func(p *yaml.Node) (bool, *yaml.Node, string)) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, r := range resources(c.Template, types...) {
			fire, n, msg := test(props(r))
			if !fire {
				continue
			}
			hits = append(hits, Hit{Resource: r.ID, Key: r.Type, Message: fmt.Sprintf(msg, r.ID), Evidence: at(c.Model, n, r.Line)})
		}
		return hits, nil
	}
}

// checkVisibilityTimeout: a queue that feeds a function must stay invisible at
// least as long as the function may run, or messages are processed twice (cfn-lint E3505).
func checkVisibilityTimeout(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		timeout := f.Timeout
		if timeout == 0 {
			if t, ok := intOf(get(fnProps(c.Template, f), "Timeout")); ok {
				timeout = t
			} else {
				timeout = 3
			}
		}
		for _, qid := range sqsSources(c, f) {
			q := c.Template.Resource(qid)
			if q == nil || q.Type != "AWS::SQS::Queue" {
				continue
			}
			vt := 30
			vn := get(props(q), "VisibilityTimeout")
			if v, ok := intOf(vn); ok {
				vt = v
			} else if vn != nil {
				continue // computed: cannot compare
			}
			if vt < timeout {
				hits = append(hits, Hit{Resource: qid, Key: f.ID,
					Message:  fmt.Sprintf("queue %s hides a message for %ds but %s may run for %ds: a slow invocation's message is delivered again while it runs", qid, vt, f.ID, timeout),
					Evidence: append(at(c.Model, vn, q.Line), model.Location{File: tmplFile(c.Model), Line: fnLine(f)})})
			}
		}
	}
	return hits, nil
}

// sqsSources lists the queues that trigger f (SAM SQS events and event source mappings).
func sqsSources(c *Context, f *model.Function) []string {
	if c.Template == nil {
		return nil
	}
	seen := map[string]bool{}
	pairs(get(fnProps(c.Template, f), "Events"), func(_ string, _ *yaml.Node, ev *yaml.Node) {
		if str(get(ev, "Type")) == "SQS" {
			if q := refTarget(get(ev, "Properties", "Queue")); q != "" {
				seen[q] = true
			}
		}
	})
	for _, r := range resources(c.Template, "AWS::Lambda::EventSourceMapping") {
		if refTarget(get(props(r), "FunctionName")) == f.ID {
			if q := refTarget(get(props(r), "EventSourceArn")); q != "" {
				seen[q] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

var _ *sam.Resource

// tableReplicaKeys reports a global table whose every replica names a KMS key.
func tableReplicaKeys(p *yaml.Node) bool {
	reps := items(get(p, "Replicas"))
	for _, r := range reps {
		if get(r, "SSESpecification", "KMSMasterKeyId") == nil {
			return false
		}
	}
	return len(reps) > 0
}
