package checks

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Identity rules (SLS-IDP-*): Cognito user pools, app clients and identity pools.

func init() {
	Register("SLS-IDP-001", checkImplicitGrant)
	Register("SLS-IDP-002", checkWeakUserPool)
	Register("SLS-IDP-003", checkUnauthIdentities)
}

func checkImplicitGrant(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Cognito::UserPoolClient") {
		flows := get(props(r), "AllowedOAuthFlows")
		for _, f := range items(flows) {
			if strings.EqualFold(str(f), "implicit") {
				hits = append(hits, Hit{Resource: r.ID, Key: "implicit",
					Message:  fmt.Sprintf("app client %s allows the OAuth implicit grant: access tokens come back in the redirect URL's fragment (browser history, referrers, scripts on the page) and cannot be bound to the client", r.ID),
					Evidence: at(c.Model, f, r.Line)})
			}
		}
	}
	return hits, nil
}

// checkWeakUserPool: a user pool anyone can join (self sign-up) or whose
// passwords are weak, without mandatory MFA.
func checkWeakUserPool(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Cognito::UserPool") {
		p := props(r)
		mfa := value(c, get(p, "MfaConfiguration"))
		if strings.EqualFold(mfa, "ON") {
			continue
		}
		var why []string
		ev := get(p, "MfaConfiguration")
		if mfa == "" || strings.EqualFold(mfa, "OFF") {
			why = append(why, "no MFA")
		} else {
			why = append(why, "MFA only optional")
		}
		adminOnly := get(p, "AdminCreateUserConfig", "AllowAdminCreateUserOnly")
		selfSignUp := !isTrue(adminOnly)
		if selfSignUp {
			why = append(why, "self sign-up open to anyone")
			if adminOnly != nil {
				ev = adminOnly
			}
		}
		pw := get(p, "Policies", "PasswordPolicy")
		weak := false
		if pw != nil {
			if n, ok := intOf(get(pw, "MinimumLength")); ok && n < 8 {
				why, weak = append(why, fmt.Sprintf("passwords of %d characters", n)), true
			}
			var missing []string
			for _, k := range []string{"RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"} {
				if isFalse(get(pw, k)) {
					missing = append(missing, strings.TrimPrefix(k, "Require"))
				}
			}
			if len(missing) >= 3 {
				why, weak = append(why, "no character classes required"), true
			}
			if ev == nil || weak {
				ev = pw
			}
		}
		if !selfSignUp && !weak {
			continue // admin-created users with the default policy: MFA alone is hygiene
		}
		sev := model.SeverityMedium
		if !selfSignUp {
			sev = "low"
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "signin", Severity: sev,
			Message:  fmt.Sprintf("user pool %s: %s: whoever signs up or guesses a password gets tokens the application trusts", r.ID, strings.Join(why, ", ")),
			Evidence: at(c.Model, ev, r.Line)})
	}
	return hits, nil
}

func checkUnauthIdentities(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Cognito::IdentityPool") {
		n := get(props(r), "AllowUnauthenticatedIdentities")
		if isTrue(n) || value(c, n) == "true" {
			hits = append(hits, Hit{Resource: r.ID, Key: "unauthenticated",
				Message:  fmt.Sprintf("identity pool %s gives AWS credentials to unauthenticated identities: anyone can call what its unauthenticated role allows", r.ID),
				Evidence: at(c.Model, n, r.Line)})
		}
	}
	return hits, nil
}
