# CodeUri says casefolder/ (written on a case-insensitive disk).
def handler(event, context):
    return event
