import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for r in event["Records"]:
        s3.get_object(Bucket="photos", Key=r["key"])
