// Not a custom resource: a Slack interaction's responseUrl comes with the
// caller's payload, so posting to it is following a URL from the request.
const axios = require("axios");

exports.handler = async (event) => {
  const payload = JSON.parse(event.body);
  await axios.post(payload.responseUrl, { text: "done" }, { timeout: 2000 });
};
