const yaml = require('js-yaml');
const ion = require('ion-js');
const { load: parseYaml } = require('js-yaml');
import axios from 'axios';
// const doc = yaml.load(text);   a comment is not a call
const s = "yaml.load(x)";
exports.handler = async (event) => {
  const doc = ion.load(event.body);
  const y = parseYaml(event.body);
  await axios.get('https://partner.example.com', { timeout: 2000 });
  const r = await fetch(process.env.URL, { method: 'POST' });
  return yaml.dump(doc);
};
