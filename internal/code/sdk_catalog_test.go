package code

import (
	"strings"
	"testing"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
)

// TestSDKActionsExist: every IAM action the SDK mapping can produce exists
// in the embedded IAM catalog: the catalog's explicit method mappings and
// wildcard-only methods, the signed-request actions, and the default
// mapping (<iam>:<Method>) for every method name tried, real or not.
func TestSDKActionsExist(t *testing.T) {
	c, err := catalogs.SDK()
	if err != nil {
		t.Fatal(err)
	}
	ix := index()
	for _, s := range c.Services {
		for m, acts := range s.Methods {
			for _, a := range acts {
				if !iam.Known(a) {
					t.Errorf("%s.%s maps to %s, which the IAM catalog does not know", s.ID, m, a)
				}
			}
		}
		for _, m := range s.WildcardOnly {
			if _, acts, ok := ix.actions(s, m); ok && len(acts) == 0 && s.Methods[m] == nil {
				t.Errorf("%s: wildcard-only method %s maps to no known action", s.ID, m)
			}
		}
		// The default mapping on names real code uses and names it never does.
		for _, m := range []string{"getObjectMetadata", "get_object_as_bytes", "writeGetObjectResponse", "ListThings", "send", "NoSuchApiCall", "put_item", "GetItemAsync", "QueryWithContext"} {
			if _, acts, ok := ix.actions(s, m); ok {
				for _, a := range acts {
					if !iam.Known(a) {
						t.Errorf("%s.%s -> %s: not an IAM action", s.ID, m, a)
					}
				}
			}
		}
	}
	for svc, a := range signedActions {
		if !iam.Known(a.action) || Service(a.svc) == nil || !strings.HasPrefix(a.action, Service(a.svc).IAM+":") {
			t.Errorf("signed %s: %+v (action unknown, or its SDK service %q is not of that IAM prefix)", svc, a, a.svc)
		}
	}
}

// TestSDKMappingFixes: the actions issue 10 found invented, and the clients it
// found missed.
func TestSDKMappingFixes(t *testing.T) {
	ix := index()
	for _, tc := range []struct{ svc, method, want string }{
		{"s3", "getObjectMetadata", "s3:GetObject"},
		{"s3", "getObjectAsBytes", "s3:GetObject"},
		{"s3", "writeGetObjectResponse", "s3-object-lambda:WriteGetObjectResponse"},
		{"scheduler", "CreateScheduleCommand", ""}, // the v3 command class is not the method
		{"scheduler", "createSchedule", "scheduler:CreateSchedule+iam:PassRole"},
		{"bedrock-runtime", "converse", "bedrock:InvokeModel"},
		{"bedrock-agent-runtime", "retrieve_and_generate", "bedrock:RetrieveAndGenerate"},
		{"transcribe", "startTranscriptionJob", "transcribe:StartTranscriptionJob"},
		{"kendra", "query", "kendra:Query"},
		{"rds", "create_db_snapshot", "rds:CreateDBSnapshot"}, // as IAM spells it
	} {
		s := Service(tc.svc)
		if s == nil {
			t.Errorf("no SDK service %s", tc.svc)
			continue
		}
		_, acts, _ := ix.actions(s, tc.method)
		if got := strings.Join(acts, "+"); got != tc.want {
			t.Errorf("%s.%s -> %q, want %q", tc.svc, tc.method, got, tc.want)
		}
	}
}
