import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const s3 = new S3Client({});
const TABLE = process.env.TABLE_NAME;

export const handler = async (event) => {
  for (const r of event.Records ?? []) {
    await doc.send(new PutCommand({ TableName: TABLE, Item: r }));
  }
  const items = await doc.send(new QueryCommand({ TableName: TABLE }));
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'x' }));
  await new IoTDataPlaneClient({}).send(new PublishCommand({ topic: `t/${event.id}` }));
  return items.Count > 0 ? url : null;
};
