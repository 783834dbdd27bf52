package checks

import (
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestWildFor: an ARN whose resource part is only wildcards (after its
// resource type) reaches every resource of its service, like "*"; a name
// with a wildcard after it does not, and neither does another service's
// wildcard ARN in the same statement.
func TestWildFor(t *testing.T) {
	cases := []struct {
		res    []string
		action string
		want   string
	}{
		{[]string{"*"}, "s3:GetObject", "*"},
		{[]string{"arn:aws:s3:::*"}, "s3:GetObject", "arn:aws:s3:::*"},
		{[]string{"arn:aws:s3:::*/*"}, "s3:GetObject", "arn:aws:s3:::*/*"},
		{[]string{"arn:aws:s3:::example-bucket/*"}, "s3:GetObject", ""},
		{[]string{"arn:${AWS::Partition}:s3:::${Bucket}/*"}, "s3:PutObject", ""},
		{[]string{"arn:aws:dynamodb:*:*:table/*"}, "dynamodb:Scan", "arn:aws:dynamodb:*:*:table/*"},
		{[]string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}, "dynamodb:Scan", ""},
		{[]string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/*"}, "dynamodb:Query", ""},
		{[]string{"arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*"}, "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*"},
		{[]string{"arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:app-*"}, "secretsmanager:GetSecretValue", ""},
		{[]string{"arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:*/*", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC"}, "secretsmanager:GetSecretValue", ""},
		{[]string{"arn:aws:sqs:*:*:*"}, "sqs:SendMessage", "arn:aws:sqs:*:*:*"},
		{[]string{"arn:aws:sqs:us-east-1:123456789012:orders"}, "sqs:SendMessage", ""},
		{[]string{"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/*"}, "execute-api:Invoke", ""},
		{[]string{"arn:aws:lambda:us-east-1:123456789012:function:*"}, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:*"},
		// What an action creates has no name yet: a type wildcard is the norm.
		{[]string{"arn:aws:rds:us-east-1:123456789012:snapshot:*"}, "rds:CreateDBSnapshot", ""},
		{[]string{"*"}, "rds:CreateDBSnapshot", "*"},
	}
	for _, c := range cases {
		got := wildFor(model.Statement{Effect: "Allow", Actions: []string{c.action}, Resources: c.res}, c.action)
		if got != c.want {
			t.Errorf("wildFor(%v, %s) = %q, want %q", c.res, c.action, got, c.want)
		}
	}
}

// TestPullsImages: only roles every trusted service of which pulls
// container images are spared ecr:GetAuthorizationToken.
func TestPullsImages(t *testing.T) {
	for _, c := range []struct {
		by   []string
		want bool
	}{
		{[]string{"ecs-tasks.amazonaws.com"}, true},
		{[]string{"ec2.amazonaws.com"}, true},
		{[]string{"ecs-tasks.amazonaws.com", "lambda.amazonaws.com"}, false},
		{[]string{"lambda.amazonaws.com"}, false},
		{nil, false},
	} {
		if got := pullsImages(iamSubject{AssumedBy: c.by}); got != c.want {
			t.Errorf("pullsImages(%v) = %v, want %v", c.by, got, c.want)
		}
	}
}
