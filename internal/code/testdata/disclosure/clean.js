// Errors logged, a generic message returned, the token verified properly.
const jwt = require('jsonwebtoken');
exports.handler = async (event) => {
  try {
    const claims = jwt.verify(event.authorizationToken, process.env.KEY);
    return { principalId: claims.sub };
  } catch (e) {
    console.log(e.stack); // "return e.stack" would leak it
    return { statusCode: 401, body: 'Unauthorized' };
  }
};
