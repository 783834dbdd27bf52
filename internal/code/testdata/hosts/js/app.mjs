import axios from 'axios';
import https from 'node:https';

const API = process.env.PARTNER_API_URL;

// https://internal.example.net is mentioned in a comment only
export const handler = async (event) => {
  await fetch('https://hooks.zapier.com/hooks/catch/1/abc', { method: 'POST' });
  await axios.get(API, { timeout: 2000 });
  https.request({ hostname: 'api.github.com', path: '/repos' });
  await fetch(`https://${process.env.SHOP_DOMAIN}/orders`);
  return fetch(event.url);
};

// AppSync called with a SigV4-signed request (no AppSync client).
import { SignatureV4 } from '@aws-sdk/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
const signer = new SignatureV4({ service: 'appsync', region: process.env.AWS_REGION, sha256: Sha256 });
