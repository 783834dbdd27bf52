# CodeUri says zipped/index.zip, built from this file beside it.
def handler(event, context):
    if event:
        return 1
    return 0
