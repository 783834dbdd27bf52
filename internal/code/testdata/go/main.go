package main

import (
	"context"
	"os"

	"example.com/fn/internal/store"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

var table = os.Getenv("TABLE_NAME")

func handle(ctx context.Context, ev map[string]string) error {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	db := dynamodb.NewFromConfig(cfg)
	if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table)}); err != nil && ev["strict"] == "1" {
		return err
	}
	in := &sqs.SendMessageInput{QueueUrl: aws.String(os.Getenv("QUEUE_URL")), MessageBody: aws.String(store.Key(ev))}
	_, err = sqs.NewFromConfig(cfg).SendMessage(ctx, in)
	return err
}

func main() { lambda.Start(handle) }
