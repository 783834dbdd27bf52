import json
import yaml
import urllib3
import xml.etree.ElementTree as ET
from requests import get as fetch_url

http = urllib3.PoolManager()

def handler(event, context):
    # requests.get("http://checkip.amazonaws.com/")
    doc = json.load(open("settings.json"))
    safe = yaml.load(event["body"], Loader=yaml.SafeLoader)
    tree = ET.fromstring(event["xml"])
    r = http.request("PUT", event["url"], body=b"x")
    page = fetch_url(event["page"], timeout=3)
    return doc
