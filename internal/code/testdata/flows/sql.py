def handler(event, context):
    body = event["body"]
    name = body["name"]
    query = f"SELECT * FROM users WHERE name = '{name}'"
    cursor.execute(query)
