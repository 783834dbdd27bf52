package catalogs

import "testing"

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
