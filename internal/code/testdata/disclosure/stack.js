// An error's stack returned in the response body, and one only logged.
exports.handler = async (event) => {
  try {
    return { statusCode: 200, body: await work(event) };
  } catch (err) {
    console.error(err.stack);
    return { statusCode: 500, body: JSON.stringify({ message: 'failed', detail: err.stack }) };
  }
};
async function work(e) { return 'ok'; }
