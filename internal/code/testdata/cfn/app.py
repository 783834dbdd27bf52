# A CloudFormation custom resource that answers CloudFormation the documented
# way: a PUT of its result to the pre-signed S3 URL the event carries
# (ResponseURL). That URL comes from CloudFormation, not from a caller.
import json
from urllib.request import Request, urlopen


def reply(event, context, status, data):
    body = {"Status": status, "PhysicalResourceId": context.log_stream_name,
            "StackId": event["StackId"], "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"], "Data": data}
    urlopen(Request(event["ResponseURL"], data=json.dumps(body).encode(), method="PUT"))


def handler(event, context):
    props = event["ResourceProperties"]
    target = event.get("ResponseURL")
    # A URL among the resource's properties is still followed.
    urlopen(props["CallbackUrl"], timeout=5)
    reply(event, context, "SUCCESS", {"Zone": props["ZoneName"]})
    return target
