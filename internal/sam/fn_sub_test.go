package sam

import "testing"

func TestSub(t *testing.T) {
	runFnCases(t, "Fn::Sub", []fnCase{
		{name: "parameter", expr: `!Sub "https://${Sub}.zendesk.com/api/v2"`, want: Value{Text: "https://freshtracks.zendesk.com/api/v2", Known: true, Params: []string{"Sub"}}},
		{name: "resource attribute", expr: `!Sub "${Bucket.Arn}/*"`, want: Value{Text: "${Bucket.Arn}/*", Refs: []RefTarget{{ID: "Bucket", Attr: "Arn"}}}},
		{name: "literal escape", expr: `!Sub "${!Literal}-${Stage}"`, want: Value{Text: "${Literal}-prod", Known: true, Params: []string{"Stage"}}},
		{name: "local map", expr: `!Sub ["arn:aws:s3:::${B}/*", {B: !Ref Bucket}]`, want: Value{Text: "arn:aws:s3:::${Bucket}/*", Refs: []RefTarget{{ID: "Bucket"}}}},
		{name: "pseudo parameters", expr: `!Sub "states.${AWS::Region}.${AWS::URLSuffix}"`, want: Value{Text: "states.${AWS::Region}.${AWS::URLSuffix}"}},
		{name: "unterminated", expr: `!Sub "a${b"`, want: Value{Text: "a${b", Known: true}},
		{name: "variable", expr: `!Sub "${bucketName}/*"`, vars: map[string]string{"bucketName": "!Ref Bucket"},
			want: Value{Text: "${Bucket}/*", Refs: []RefTarget{{ID: "Bucket"}}}},
		{name: "template from an intrinsic", expr: `!Sub [!Join ["", ["${", Stage, "}"]]]`, want: Value{Text: "prod", Known: true, Params: []string{"Stage"}}},
		{name: "empty list", expr: `{"Fn::Sub": []}`, want: Value{Text: "${Sub}"}},
		{name: "mapping argument", expr: `{"Fn::Sub": {a: b}}`, want: Value{Text: "${Sub}"}},
		{name: "dynamic reference", expr: `!Sub "{{resolve:ssm-secure:/x/${Stage}}}"`, want: Value{Text: "{{resolve:ssm-secure:/x/prod}}", Params: []string{"Stage"}, Dynamic: "ssm-secure"}},
	})
}
