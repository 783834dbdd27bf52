const AWS = require('aws-sdk');
const { helper } = require('./lib/helper');
const ddb = new AWS.DynamoDB.DocumentClient();
const s3 = new AWS.S3();
const sqs = new AWS.SQS();

exports.handler = async (event) => {
  if (!event.id) {
    return null;
  }
  const item = await ddb.get({ TableName: process.env.TABLE, Key: { id: event.id } }).promise();
  const url = s3.getSignedUrl('getObject', { Bucket: process.env.BUCKET, Key: 'k' });
  await sqs.sendMessage({ QueueUrl: process.env.QUEUE, MessageBody: helper(item) || '' }).promise();
  await new AWS.IotData({ endpoint: 'x' }).publish({ topic: 'alerts/' + event.id }).promise();
  return url;
};
