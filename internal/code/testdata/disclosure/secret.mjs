// A secret loaded at start-up and handed back to whoever calls.
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
const sm = new SecretsManagerClient({});
const loaded = await sm.send(new GetSecretValueCommand({ SecretId: process.env.NAME }));
const apiKey = JSON.parse(loaded.SecretString).key;

export const handler = async () => {
  return { at: Date.now(), value: loaded.SecretString };
};
