import requests
def fetch(url):
    return requests.get(url, timeout=5)
def handler(event, context):
    return fetch(event["url"]).status_code
