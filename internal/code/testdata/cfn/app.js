// The Node.js cfn-response pattern, in our own words: the answer goes to the
// event's pre-signed ResponseURL through url.parse and https.request options.
const https = require("https");
const url = require("url");

exports.handler = async (event, context) => {
  const body = JSON.stringify({ Status: "SUCCESS", PhysicalResourceId: context.logStreamName, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {} });
  const parsed = url.parse(event.ResponseURL);
  const options = { hostname: parsed.hostname, port: 443, path: parsed.path, method: "PUT" };
  await new Promise((resolve, reject) => {
    const req = https.request(options, resolve);
    req.on("error", reject);
    req.write(body);
    req.end();
  });
  // A URL among the resource's properties is still followed.
  await fetch(event.ResourceProperties.NotifyUrl, { signal: AbortSignal.timeout(3000) });
};
