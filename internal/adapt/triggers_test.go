package adapt

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestTriggerCatalog checks that events take their type, source, detail,
// invocation and outside-input mark from catalogs/triggers.yaml, for SAM
// events and plain event source mappings alike.
func TestTriggerCatalog(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "triggers.yaml"))
	tests := []struct {
		fn, name, typ, source, detail string
		async, external               bool
	}{
		{"Handler", "FromQueue", "SQS", "Queue", "", false, true},
		{"Handler", "FromTopic", "SNS", "Topic", "", true, true},
		{"Handler", "FromBucket", "S3", "Bucket", "s3:ObjectCreated:*,s3:ObjectRemoved:*", true, true},
		{"Handler", "FromTable", "DynamoDB", "Table", "LATEST", false, false},
		{"Handler", "FromPool", "Cognito", "Pool", "", false, false},
		{"Handler", "Nightly", "Schedule", "Handler Nightly", "rate(1 day)", true, false},
		{"Handler", "FromKafka", "SelfManagedKafka", "kafka:broker1.example.net:9092", "", false, true},
		{"Plain", "StreamMapping", "Kinesis", "Stream", "", false, true},
		{"Plain", "KafkaMapping", "SelfManagedKafka", "kafka:broker1.example.net:9092", "", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fn(m, tc.fn)
			for _, ev := range f.Events {
				if ev.Name != tc.name {
					continue
				}
				if ev.Type != tc.typ || ev.Source != tc.source || ev.Detail != tc.detail || ev.Async != tc.async || ev.ExternalInput != tc.external {
					t.Errorf("got %+v", ev)
				}
				return
			}
			t.Errorf("no event %s on %s: %+v", tc.name, tc.fn, f.Events)
		})
	}
	// SelfManagedKafka is one third party, named by both functions.
	n := 0
	for _, tp := range m.ThirdParties {
		if tp.ID == "kafka:broker1.example.net:9092" {
			n++
			if !slices.Equal(tp.Functions, []string{"Handler", "Plain"}) || tp.Kind != "kafka" {
				t.Errorf("kafka third party: %+v", tp)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d kafka third parties", n)
	}
	// the poller policies SAM adds come from the catalog's pollerPolicy
	var managed []string
	for _, p := range fn(m, "Handler").Policies {
		managed = append(managed, p.Name)
	}
	for _, want := range []string{"AWSLambdaSQSQueueExecutionRole", "AWSLambdaDynamoDBExecutionRole"} {
		if !slices.Contains(managed, want) {
			t.Errorf("missing poller policy %s in %v", want, managed)
		}
	}
}
