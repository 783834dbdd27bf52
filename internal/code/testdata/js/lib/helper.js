const _ = require('lodash');
const path = require('path');
module.exports.helper = (x) => (x ? JSON.stringify(_.pick(x, ['id'])) : path.sep);
