import traceback

def handler(event, context):
    try:
        return {"statusCode": 200}
    except Exception:
        print(traceback.format_exc())
        return {"statusCode": 500, "body": traceback.format_exc()}
