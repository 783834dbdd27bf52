package code

// Disclosure kinds (see Disclosures).
const (
	DiscloseStack  = "stack"         // an exception's stack trace in what the handler returns
	DiscloseSecret = "secret"        // a secret's value (SecretString, a secret key, a session token) in what it returns
	LiteralToken   = "literal-token" // the caller's token compared with a literal string
)

// Disclosure is one place where a handler hands its caller what it should
// not (or trusts a literal token).
type Disclosure struct {
	Kind string `json:"kind"`
	Line int    `json:"line"`
	Text string `json:"text"` // the expression, trimmed
}
