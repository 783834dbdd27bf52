import os
import requests
import urllib3

# See https://docs.example.org/guide for the payload format (a comment: not a host).
WEBHOOK = os.environ["SLACK_WEBHOOK_URL"]
http = urllib3.PoolManager()


def handler(event, context):
    requests.post("https://api.stripe.com/v1/charges", data=event, timeout=3)
    requests.post(WEBHOOK, json={"text": "done"})
    http.request("GET", event["callback"])
    return {"status": 200}


def respond(event, body):
    # a custom resource answers CloudFormation's pre-signed S3 URL: not a third party
    requests.put(event["ResponseURL"], data=body)
    requests.get("http://checkip.amazonaws.com/")


def signed(session, request):
    from botocore.auth import SigV4Auth
    SigV4Auth(session.get_credentials(), "execute-api", "eu-west-1").add_auth(request)
