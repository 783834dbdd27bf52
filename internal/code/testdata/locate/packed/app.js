// packed.zip is built from this folder.
exports.handler = async (event) => event;
