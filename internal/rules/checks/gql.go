package checks

import (
	"fmt"
	"strings"
)

// AppSync rules (SLS-GQL-*): API-key authentication and logging.

func init() {
	Register("SLS-GQL-001", checkAppSyncAPIKey)
	Register("SLS-GQL-002", checkAppSyncLogging)
}

func checkAppSyncAPIKey(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::AppSync::GraphQLApi") {
		p := props(r)
		n := get(p, "AuthenticationType")
		if !strings.EqualFold(value(c, n), "API_KEY") {
			n = nil
			for _, a := range items(get(p, "AdditionalAuthenticationProviders")) {
				if strings.EqualFold(value(c, get(a, "AuthenticationType")), "API_KEY") {
					n = get(a, "AuthenticationType")
				}
			}
		}
		if n == nil {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "apikey",
			Message:  fmt.Sprintf("AppSync API %s accepts an API key: whoever holds the key (in the web app, in stack outputs) can run every query, mutation and subscription not restricted by @aws_cognito_user_pools/@aws_iam directives", r.ID),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}

func checkAppSyncLogging(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::AppSync::GraphQLApi") {
		lc := get(props(r), "LogConfig")
		lvl := value(c, get(lc, "FieldLogLevel"))
		if lc != nil && lvl != "" && !strings.EqualFold(lvl, "NONE") {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "logs",
			Message:  fmt.Sprintf("AppSync API %s has no request or resolver logging (LogConfig): abuse of its operations leaves no trace", r.ID),
			Evidence: at(c.Model, lc, r.Line)})
	}
	return hits, nil
}
