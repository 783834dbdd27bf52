const { decrypt } = require('./crypto');
exports.handler = async (event) => {
  const { plaintext } = await decrypt(event.request.code);
  console.log('code', plaintext);
};
