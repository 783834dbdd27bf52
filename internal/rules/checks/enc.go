package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Encryption-at-rest rules (SLS-ENC-*): queues, topics, buckets, tables,
// streams, log groups, keys and database clusters.

func init() {
	Register("SLS-ENC-008", checkClusterEncryption)
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
}

func checkClusterEncryption(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::DocDB::DBCluster", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Neptune::DBCluster") {
		p := props(r)
		if r.Type == "AWS::RDS::DBInstance" && get(p, "DBClusterIdentifier") != nil {
			continue // the cluster holds the setting
		}
		n := get(p, "StorageEncrypted")
		if isTrue(n) || value(c, n) == "true" {
			continue
		}
		if r.Type == "AWS::RDS::DBCluster" && strings.HasPrefix(strings.ToLower(value(c, get(p, "EngineMode"))), "serverless") {
			continue // Aurora Serverless v1 is always encrypted
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "storage",
			Message:  fmt.Sprintf("%s does not set StorageEncrypted: the database, its snapshots and replicas are stored unencrypted (the default for %s)", r.ID, r.Type),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}

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
