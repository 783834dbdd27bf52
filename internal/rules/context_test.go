package rules_test

import (
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/rules"
)

// Webhook endpoints authenticate in code: a handler that verifies the
// provider's signature (Stripe, GitHub, Twilio, hand-written HMAC) is not
// "anyone can call it": the finding stays (the check lives in code, not in
// the platform) but low, reworded, with the verifying line as evidence.
func TestSignatureVerifiedInCode(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Hook:
    Type: AWS::Serverless::Function
    Properties:
      Handler: %s
      Runtime: %s
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
`
	files := map[string]string{
		"src/stripe_hook.js": "const stripe = require('stripe')(process.env.KEY);\nexports.handler = async (event) => {\n  const sig = event.headers['stripe-signature'];\n  const ev = stripe.webhooks.constructEvent(event.body, sig, process.env.SECRET);\n  return { statusCode: 200 };\n};\n",
		"src/github_hook.py": "import hmac, hashlib, os\ndef handler(event, context):\n    mac = hmac.new(os.environ['SECRET'].encode(), event['body'].encode(), hashlib.sha256).hexdigest()\n    if not hmac.compare_digest('sha256=' + mac, event['headers']['x-hub-signature-256']):\n        return {'statusCode': 401}\n    return {'statusCode': 200}\n",
		"src/open.py":        "def handler(event, context):\n    return {'statusCode': 200}\n",
	}
	tests := []struct {
		handler, runtime, sev string
		inCode                bool
	}{
		{"stripe_hook.handler", "nodejs22.x", "low", true},
		{"github_hook.handler", "python3.13", "low", true},
		{"open.handler", "python3.13", "high", false},
	}
	for _, tt := range tests {
		t.Run(tt.handler, func(t *testing.T) {
			path, opts := writeExample(t, &rules.Rule{Files: files}, strings.Replace(strings.Replace(tmpl, "%s", tt.handler, 1), "%s", tt.runtime, 1))
			m := analyze(t, path, opts)
			got := of(m, "SLS-URL-001")
			if len(got) != 1 {
				t.Fatalf("want one SLS-URL-001, got %d", len(got))
			}
			f := got[0]
			if string(f.Severity) != tt.sev {
				t.Errorf("severity %s, want %s (%s)", f.Severity, tt.sev, f.Message)
			}
			if tt.inCode != strings.Contains(f.Message, "verifies a request signature") {
				t.Errorf("message: %s", f.Message)
			}
			if tt.inCode && len(f.Evidence) < 2 {
				t.Errorf("the verifying line is not evidence: %+v", f.Evidence)
			}
		})
	}
}

// An explicit Deny is read: sns:Publish on "*" with every topic ARN denied
// is SMS only and writes to no resource (labelled a false positive in the
// precision set when reported as "any sns resource").
func TestDenyOnEveryARNIsRead(t *testing.T) {
	cat, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var r *rules.Rule
	for _, x := range cat {
		if x.ID == "SLS-IAM-003" {
			r = x
		}
	}
	if r == nil || len(r.MoreGood) == 0 {
		t.Fatal("SLS-IAM-003 has no SMS-only example")
	}
	path, opts := writeExample(t, r, r.MoreGood[len(r.MoreGood)-1])
	m := analyze(t, path, opts)
	for _, id := range []string{"SLS-IAM-001", "SLS-IAM-003", "SLS-IAM-007"} {
		if got := of(m, id); len(got) > 0 {
			t.Errorf("SMS-only grant reported: %s", got[0].Message)
		}
	}
}

// One risk once per resource: administrator access implies a wildcard
// action, writes anywhere, privilege escalation and permissions management;
// those findings fold into SLS-IAM-002's, their evidence with them.
func TestImpliedFindingsFold(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.13
      InlineCode: "def handler(e, c):\n    return 1\n"
      Policies:
        - AdministratorAccess
`
	path, opts := writeExample(t, &rules.Rule{}, tmpl)
	m := analyze(t, path, opts)
	admin := of(m, "SLS-IAM-002")
	if len(admin) != 1 || !strings.Contains(admin[0].Message, "it also implies:") {
		t.Fatalf("SLS-IAM-002: %+v", admin)
	}
	for _, id := range []string{"SLS-IAM-001", "SLS-IAM-003", "SLS-IAM-004", "SLS-IAM-007"} {
		if got := of(m, id); len(got) > 0 {
			t.Errorf("%s reported beside administrator access: %s", id, got[0].Message)
		}
		if !strings.Contains(admin[0].Message, id) {
			t.Errorf("SLS-IAM-002 does not say it implies %s: %s", id, admin[0].Message)
		}
	}
}
