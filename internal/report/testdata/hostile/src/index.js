// <script>alert("code")</script>
const AWS = require('aws-sdk');
const ddb = new AWS.DynamoDB.DocumentClient();
exports.handler = async (event) => {
  if (event.x) { return ddb.get({ TableName: process.env.T, Key: { pk: '💥' } }).promise(); }
  return { statusCode: 200, body: '<b>ok</b>' };
};
