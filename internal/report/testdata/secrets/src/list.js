const AWS = require('aws-sdk');
const s3 = new AWS.S3();
exports.handler = async () => {
  const out = await s3.listObjectsV2({ Bucket: process.env.BUCKET }).promise();
  return { statusCode: 200, body: JSON.stringify(out.Contents) };
};
