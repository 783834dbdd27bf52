package catalogs

import (
	"strings"
	"testing"
)

func TestResourceKindsValid(t *testing.T) {
	k, err := ResourceKinds()
	if err != nil {
		t.Fatal(err)
	}
	if k["AWS::S3::Bucket"].Kind != "bucket" || KindOf("AWS::DynamoDB::Table").Service != "dynamodb" {
		t.Fatalf("catalog lost basic entries: %+v", k["AWS::S3::Bucket"])
	}
	if KindOf("AWS::Foo::Bar").Service != "foo" || !KindOf("AWS::Foo::Bar").IsNode() {
		t.Fatal("unknown types fall back to kind other with the type's service")
	}
	if KindOf("AWS::Lambda::Permission").IsNode() {
		t.Fatal("wiring types are not nodes")
	}
}

func TestTriggersValid(t *testing.T) {
	all, err := Triggers()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 20 {
		t.Fatalf("only %d triggers", len(all))
	}
	tests := []struct {
		typ           string
		async, extern bool
		label         string
	}{
		{"SQS", false, true, "SQS"},
		{"S3", true, true, "S3 event"},
		{"DynamoDB", false, false, "DynamoDB stream"},
		{"Schedule", true, false, "Schedule"},
		{"Permission:cloudfront", false, false, "Permission:cloudfront"},
		{"NoSuchTrigger", false, false, "NoSuchTrigger"},
	}
	for _, tc := range tests {
		tr, _ := TriggerOf(tc.typ)
		if tr.Async() != tc.async || tr.ExternalInput != tc.extern || tr.Label != tc.label {
			t.Errorf("%s: got async %v external %v label %q", tc.typ, tr.Async(), tr.ExternalInput, tr.Label)
		}
	}
	for svc, want := range map[string]string{"sqs": "SQS", "kafka": "MSK", "rds": "DocumentDB", "s3": "EventSourceMapping"} {
		if got := MappingTrigger(svc); got != want {
			t.Errorf("mapping %s: %s, want %s", svc, got, want)
		}
	}
}

func TestTriggerValidateRejects(t *testing.T) {
	bad := []Trigger{
		{Type: "X", Invocation: "sync", CFN: "c", Adapter: "wired"},                            // no label
		{Type: "X", Label: "x", Invocation: "later", CFN: "c", Adapter: "wired"},               // invocation
		{Type: "X", Label: "x", Invocation: "sync", CFN: "c", Adapter: "source"},               // no source property
		{Type: "X", Label: "x", Invocation: "sync", CFN: "c", Adapter: "magic"},                // adapter
		{Type: "X", Label: "x", Invocation: "sync", CFN: "c", Adapter: "wired", Mapping: true}, // mapping needs poll
		{Type: "X", Label: "x", Invocation: "sync", CFN: "c", Adapter: "entry"},                // entry kind
	}
	for i, tr := range bad {
		if err := tr.Validate(); err == nil || !strings.HasPrefix(err.Error(), "X:") {
			t.Errorf("%d: %v", i, err)
		}
	}
}

func TestIntegrationsValid(t *testing.T) {
	if _, err := Triggers(); err != nil {
		t.Fatal(err)
	}
	in, ok := IntegrationOf("SQS-SendMessage")
	if !ok || in.Action != "sqs:SendMessage" || in.TargetParameter != "QueueUrl" {
		t.Fatalf("SQS-SendMessage: %+v", in)
	}
	if _, ok := IntegrationOf("Nope-Nothing"); ok {
		t.Fatal("unknown subtype found")
	}
	if err := (Integration{Subtype: "X", Service: "sqs", Action: "sns:Publish", TargetParameter: "Q", Label: "x"}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "X:") {
		t.Fatalf("action of another service accepted: %v", err)
	}
}
