using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Lambda.Core;

namespace Fn
{
    public class Function
    {
        private readonly IAmazonDynamoDB _ddb = new AmazonDynamoDBClient();

        public async Task<string> Handler(string input, ILambdaContext context)
        {
            if (string.IsNullOrEmpty(input)) { return Store.Empty; }
            await _ddb.PutItemAsync(new PutItemRequest { TableName = Environment.GetEnvironmentVariable("TABLE_NAME") });
            var r = await _ddb.QueryAsync(new QueryRequest { TableName = "orders" });
            return r.Count > 0 ? "found" : "none";
        }
    }
}
