import os
import json
import boto3
import requests
from lib import util

ddb = boto3.resource('dynamodb')
table = ddb.Table(os.environ['TABLE_NAME'])
s3 = boto3.client('s3')


def handler(event, context):
    if event.get('id') and event.get('ok'):
        table.put_item(Item={'id': event['id']})
    items = [x for x in event.get('items', []) if x]
    url = s3.generate_presigned_url('get_object', Params={'Bucket': os.getenv('BUCKET'), 'Key': 'k'})
    table.query(KeyConditionExpression='x')
    return util.fmt(url) if items else json.dumps(requests.__name__)
