package blast

import (
	"reflect"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestNarrow: a suggestion is bounded by today's grants, action by action
// (the cases come from the corpus: SendMessage granted on one queue while
// the code's queue URL is computed at run time; events:PutEvents on three
// buses; a conditional grant).
func TestNarrow(t *testing.T) {
	f := &model.Function{
		Statements: []model.Statement{
			{Effect: "Allow", Actions: []string{"sqs:SendMessage"}, Resources: []string{"${Queue.Arn}"}, Targets: []string{"Queue"}},
			{Effect: "Allow", Actions: []string{"events:PutEvents"}, Resources: []string{"${BlueBus.Arn}", "${RedBus.Arn}"}, Targets: []string{"BlueBus", "RedBus"}},
			{Effect: "Allow", Actions: []string{"s3:GetObject"}, Resources: []string{"*"}, Targets: []string{"*"}},
			{Effect: "Allow", Actions: []string{"kms:Decrypt"}, Resources: []string{"${Key.Arn}"}, Targets: []string{"Key"}, Condition: true, Source: model.Source{File: "template.yaml", Line: 40}},
			{Effect: "Allow", Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::uploads/*"}, Targets: []string{"external:s3"}},
		},
		Grants: []model.Grant{
			{Action: "sqs:SendMessage", Target: "Queue"},
			{Action: "events:PutEvents", Target: "BlueBus"}, {Action: "events:PutEvents", Target: "RedBus"},
			{Action: "s3:GetObject", Target: "*"},
			{Action: "kms:Decrypt", Target: "Key"},
			{Action: "s3:PutObject", Target: "external:s3"},
		},
	}
	now := newToday(f)
	tests := []struct {
		name string
		in   model.Statement
		svc  string
		want []model.Statement
	}{
		{"* over a scoped grant: today's resources", model.Statement{Actions: []string{"sqs:SendMessage"}, Resources: []string{"*"}, Targets: []string{"*"}}, "sqs",
			[]model.Statement{{Actions: []string{"sqs:SendMessage"}, Resources: []string{"${Queue.Arn}"}, Targets: []string{"Queue"}}}},
		{"* over several scoped grants", model.Statement{Actions: []string{"events:PutEvents"}, Resources: []string{"*"}, Targets: []string{"*"}}, "events",
			[]model.Statement{{Actions: []string{"events:PutEvents"}, Resources: []string{"${BlueBus.Arn}", "${RedBus.Arn}"}, Targets: []string{"BlueBus", "RedBus"}}}},
		{"code's resource under a * grant: the code's (narrower)", model.Statement{Actions: []string{"s3:GetObject"}, Resources: []string{"${Bucket.Arn}/*"}, Targets: []string{"Bucket"}}, "s3",
			[]model.Statement{{Actions: []string{"s3:GetObject"}, Resources: []string{"${Bucket.Arn}/*"}, Targets: []string{"Bucket"}}}},
		{"not granted at all: left out", model.Statement{Actions: []string{"sqs:SendMessage", "sqs:DeleteMessage"}, Resources: []string{"*"}, Targets: []string{"*"}}, "sqs",
			[]model.Statement{{Actions: []string{"sqs:SendMessage"}, Resources: []string{"${Queue.Arn}"}, Targets: []string{"Queue"}}}},
		{"conditional grant: marked", model.Statement{Actions: []string{"kms:Decrypt"}, Resources: []string{"${Key.Arn}"}, Targets: []string{"Key"}}, "kms",
			[]model.Statement{{Actions: []string{"kms:Decrypt"}, Resources: []string{"${Key.Arn}"}, Targets: []string{"Key"}, Condition: true, Source: model.Source{File: "template.yaml", Line: 40}}}},
		{"code-named ARN inside today's pattern: kept", model.Statement{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:${AWS::Partition}:s3:::uploads/a.txt"}, Targets: []string{"external:s3"}}, "s3",
			[]model.Statement{{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:${AWS::Partition}:s3:::uploads/a.txt"}, Targets: []string{"external:s3"}}}},
		{"code-named ARN outside today's pattern: today's", model.Statement{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::other/a.txt"}, Targets: []string{"external:s3"}}, "s3",
			[]model.Statement{{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::uploads/*"}, Targets: []string{"external:s3"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Effect, in.Origin = "Allow", "suggested"
			var got []model.Statement
			for _, s := range now.narrow(&in, tc.svc) {
				got = append(got, *s)
			}
			for i := range tc.want {
				tc.want[i].Effect, tc.want[i].Origin = "Allow", "suggested"
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if got := (*today)(nil).narrow(&model.Statement{Actions: []string{"x:Y"}, Resources: []string{"*"}}, "x"); len(got) != 1 || got[0].Resources[0] != "*" {
		t.Errorf("unknown grants (role outside the template): %+v", got)
	}
}
