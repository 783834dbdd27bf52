module example.com/fn

go 1.22

require (
	github.com/aws/aws-lambda-go v1.47.0
	github.com/aws/aws-sdk-go-v2 v1.30.0
	github.com/aws/smithy-go v1.20.0 // indirect
)
