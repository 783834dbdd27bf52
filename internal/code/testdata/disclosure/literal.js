// A token authorizer that lets in whoever sends the word 'letmein'.
exports.handler = function (event, context, callback) {
  const presented = event.authorizationToken;
  switch (presented) {
    case 'letmein':
      callback(null, policy('Allow', event.methodArn));
      break;
    default:
      callback('Unauthorized');
  }
};
function policy(effect, arn) { return { principalId: 'u', policyDocument: { Statement: [{ Effect: effect, Resource: arn }] } }; }
