# The cfn-response helper module as vendored next to handlers (urllib3
# PoolManager, the URL read into a variable first), in our own words.
import json

import urllib3

http = urllib3.PoolManager()


def send(event, context, status, data, physical_id=None):
    response_url = event["ResponseURL"]
    body = json.dumps({"Status": status, "PhysicalResourceId": physical_id or context.log_stream_name,
                       "StackId": event["StackId"], "RequestId": event["RequestId"],
                       "LogicalResourceId": event["LogicalResourceId"], "Data": data})
    http.request("PUT", response_url, headers={"content-type": ""}, body=body)
