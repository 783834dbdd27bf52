exports.handler = async (event) => {
  try { await work(event.body); } catch (err) { console.error(err); }
};
