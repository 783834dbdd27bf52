package blast

import (
	"reflect"
	"testing"
)

// The narrowest SAM policy templates for what code needs, with the embedded
// IAM catalog (real SAM definitions, real wildcard expansion).
func TestNarrowestTemplates(t *testing.T) {
	lp := newPolicyTemplates()
	for _, tc := range []struct {
		param string
		acts  []string
		want  []string
	}{
		{"TableName", []string{"dynamodb:GetItem", "dynamodb:Query"}, []string{"DynamoDBReadPolicy"}},
		{"TableName", []string{"dynamodb:PutItem"}, []string{"DynamoDBWritePolicy"}},
		// Read + Write grant fewer unneeded writes than Crud (DeleteItem) or
		// RestoreFromBackup (RestoreTableFromBackup).
		{"TableName", []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, []string{"DynamoDBReadPolicy", "DynamoDBWritePolicy"}},
		{"TableName", []string{"dynamodb:DeleteItem", "dynamodb:GetItem"}, []string{"DynamoDBCrudPolicy"}},
		{"BucketName", []string{"s3:GetObject"}, []string{"S3ReadPolicy"}},
		{"BucketName", []string{"s3:PutObject"}, []string{"S3WritePolicy"}},
		{"BucketName", []string{"s3:GetObject", "s3:PutObject"}, []string{"S3ReadPolicy", "S3WritePolicy"}},
		{"QueueName", []string{"sqs:SendMessage"}, []string{"SQSSendMessagePolicy"}},
		{"TableName", []string{"dynamodb:CreateTable"}, nil}, // no template grants it
	} {
		if got := lp.narrowest(tc.param, tc.acts); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("narrowest(%s, %v) = %v, want %v", tc.param, tc.acts, got, tc.want)
		}
	}
}
