require 'net/http'

def handler(event:, context:)
  # https://commented.example.com
  Net::HTTP.get(URI('https://api.sendgrid.com/v3/mail/send'))
  Net::HTTP.post(URI(ENV['AUDIT_URL']), event.to_s)
end
