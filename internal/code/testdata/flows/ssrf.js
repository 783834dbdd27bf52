const axios = require('axios');
exports.handler = async (event) => {
  const target = JSON.parse(event.body).url;
  return axios.get(target);
};
