import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { format } from './util.js';

const sqs = new SQSClient({});

export const handler = async (event: { body?: string }): Promise<void> => {
  const body: string = event.body ?? '{}';
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL!, MessageBody: format(body) }));
};
