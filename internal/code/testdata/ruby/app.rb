require 'json'
require 'aws-sdk-s3'
require_relative 'lib/format'

S3 = Aws::S3::Client.new(region: 'us-east-1')

def handler(event:, context:)
  key = event['key'] || 'default'
  S3.put_object(bucket: ENV['BUCKET'], key: key, body: Format.call(event))
  event['items'].each { |i| puts i } if event['items']
  { statusCode: 200 }
end
