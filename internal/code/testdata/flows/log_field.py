def handler(event, context):
    print("processing", event["detail"]["eventName"])
    return {"statusCode": 200}
