package code

import (
	"context"
	"testing"
)

// FuzzInline feeds arbitrary source to every analyzer through inline code:
// no panic, complexity at least 1.
func FuzzInline(f *testing.F) {
	f.Add("nodejs20.x", "const AWS = require('aws-sdk'); new AWS.S3().putObject({Bucket: process.env.B})")
	f.Add("python3.12", "import boto3\nboto3.client('s3').get_object(Bucket=os.environ['B'])")
	f.Add("ruby3.3", "Aws::S3::Client.new.put_object(bucket: ENV['B'])")
	f.Add("java21", "class A { S3Client s; void f() { s.putObject(b().bucket(System.getenv(\"B\"))); } }")
	f.Add("dotnet8", "class A { IAmazonS3 s; void F() { s.PutObjectAsync(new PutObjectRequest { BucketName = \"x\" }); } }")
	f.Add("nodejs20.x", "((((((((((((((((((((")
	f.Fuzz(func(t *testing.T, runtime, src string) {
		r := New().Analyze(context.Background(), Request{Runtime: runtime, Inline: true, InlineCode: src})
		if r.Complexity < 1 {
			t.Fatalf("complexity %d", r.Complexity)
		}
	})
}
