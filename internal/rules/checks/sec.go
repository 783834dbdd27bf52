package checks

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"gopkg.in/yaml.v3"
)

// Secret rules (SLS-SEC-*). No message ever carries a secret value: values go
// through Mask and into Hit.Secrets so the engine can scrub anything that slipped.

func init() {
	Register("SLS-SEC-004", checkConnectionLiteral)
	Register("SLS-SEC-005", checkClientSecretEnv)
	Register("SLS-SEC-001", checkEnvSecrets)
	Register("SLS-SEC-002", checkSecretParams)
	Register("SLS-SEC-003", checkCredentialProps)
}

// connectionSecrets are the AuthParameters of an EventBridge connection that
// hold credentials.
var connectionSecrets = [][]string{
	{"ApiKeyAuthParameters", "ApiKeyValue"},
	{"BasicAuthParameters", "Password"},
	{"OAuthParameters", "ClientParameters", "ClientSecret"},
}

// literalCredential reports a value written in the template (not a
// reference, a parameter or a {{resolve:...}} dynamic reference).
func literalCredential(n *yaml.Node) bool {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || isIntrinsic(n) {
		return false
	}
	v := strings.TrimSpace(n.Value)
	return v != "" && !strings.Contains(v, "{{resolve:")
}

func checkConnectionLiteral(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Events::Connection") {
		auth := get(props(r), "AuthParameters")
		var where []string
		var first *yaml.Node
		var secrets []string
		for _, path := range connectionSecrets {
			n := get(auth, path...)
			if literalCredential(n) {
				where = append(where, strings.Join(path, "."))
				secrets = append(secrets, str(n))
				if first == nil {
					first = n
				}
			}
		}
		for _, group := range []string{"HeaderParameters", "QueryStringParameters", "BodyParameters"} {
			for _, it := range items(get(auth, "InvocationHttpParameters", group)) {
				if isTrue(get(it, "IsValueSecret")) && literalCredential(get(it, "Value")) {
					where = append(where, "InvocationHttpParameters."+group+"."+str(get(it, "Key")))
					secrets = append(secrets, str(get(it, "Value")))
					if first == nil {
						first = get(it, "Value")
					}
				}
			}
		}
		if len(where) == 0 {
			continue
		}
		masked := make([]string, 0, len(secrets))
		for _, s := range secrets {
			masked = append(masked, Mask(s))
		}
		hits = append(hits, Hit{Resource: r.ID, Secrets: secrets,
			Message:  fmt.Sprintf("connection %s has its credential written in the template (%s: %s): anyone who can read the template, the stack or its history has the partner's key", r.ID, strings.Join(where, ", "), strings.Join(masked, ", ")),
			Evidence: at(c.Model, first, r.Line)})
	}
	return hits, nil
}

func checkClientSecretEnv(c *Context) ([]Hit, error) {
	if c.Template == nil {
		return nil, nil
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		for _, e := range f.Environment {
			for _, ref := range e.Refs {
				ref, _, _ = strings.Cut(ref, ".") // refs may carry the attribute (Client.ClientSecret)
				r := c.Template.Resource(ref)
				if r == nil || r.Type != "AWS::Cognito::UserPoolClient" || !strings.Contains(e.Value, ref+".ClientSecret") {
					continue
				}
				hits = append(hits, Hit{Resource: f.ID, Key: e.Name, MaskEnv: true,
					Message:  fmt.Sprintf("environment variable %s of %s holds the client secret of user-pool app client %s (!GetAtt %s.ClientSecret): it is stored in plain text in the function's configuration, readable by anyone with lambda:GetFunctionConfiguration", e.Name, f.ID, ref, ref),
					Evidence: src(c.Model, e.Source, fnLine(f))})
				break
			}
		}
	}
	return hits, nil
}

// envVars returns a function's environment: the model's when it has one,
// else read from the properties (hand-built models, partial adapters).
func envVars(c *Context, f *model.Function) []model.EnvVar {
	m := c.Model
	if len(f.Environment) > 0 {
		return f.Environment
	}
	var out []model.EnvVar
	pairs(get(fnProps(c.Template, f), "Environment", "Variables"), func(k string, kn, v *yaml.Node) {
		ev := model.EnvVar{Name: k, Source: model.Source{File: tmplFile(m), Line: kn.Line, LogicalID: f.ID}}
		switch {
		case isIntrinsic(v):
			ev.Kind = "expression"
		case strings.HasPrefix(str(v), "{{resolve:"):
			ev.Kind, ev.Value = "dynamic-ref", str(v)
		default:
			ev.Kind, ev.Value = "literal", str(v)
		}
		out = append(out, ev)
	})
	return out
}

func literalEnv(e model.EnvVar) bool {
	if e.Kind != "" && e.Kind != "literal" {
		return false
	}
	return e.Value != "" && !strings.Contains(e.Value, "{{resolve:") && !strings.Contains(e.Value, "${")
}

func checkEnvSecrets(c *Context) ([]Hit, error) {
	extra := paramStrings(c, "names")
	var hits []Hit
	for _, f := range c.Model.Functions {
		for _, e := range envVars(c, f) {
			if !literalEnv(e) {
				continue
			}
			byName := secretName(e.Name, extra) && len(e.Value) >= 6 && !placeholder(e.Value)
			byValue := secretValue(e.Value)
			if !byName && !byValue {
				continue
			}
			why := "its name says it is a credential"
			if !byName {
				why = "its value looks like a generated key (high entropy)"
			}
			hits = append(hits, Hit{Resource: f.ID, Key: e.Name, MaskEnv: true,
				Message:  fmt.Sprintf("environment variable %s of %s holds a plaintext secret (%s): value %s", e.Name, f.ID, why, Mask(e.Value)),
				Evidence: src(c.Model, e.Source, fnLine(f)),
				Secrets:  []string{e.Value}})
		}
	}
	return hits, nil
}

// placeholder reports values that are obviously not real secrets.
func placeholder(v string) bool {
	l := strings.ToLower(v)
	for _, p := range []string{"changeme", "change-me", "placeholder", "example", "dummy", "xxx", "your-", "<", "todo", "none", "null", "false", "true", "disabled"} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

func checkSecretParams(c *Context) ([]Hit, error) {
	if c.Template == nil {
		return nil, nil
	}
	var hits []Hit
	for _, p := range c.Template.Parameters {
		byValue := secretValue(str(p.Default)) && !identifierName(p.Name)
		if p.NoEcho || !(secretName(p.Name, paramStrings(c, "names")) || byValue) || strings.HasPrefix(p.Type, "AWS::SSM::Parameter") {
			continue
		}
		msg := fmt.Sprintf("parameter %s looks like a secret but has no NoEcho: its value shows in the console, describe-stacks and logs", p.Name)
		if byValue {
			msg = fmt.Sprintf("parameter %s has a default that looks like a generated key but no NoEcho: its value shows in the console, describe-stacks and logs", p.Name)
		}
		var secrets []string
		if d := str(p.Default); d != "" {
			msg += fmt.Sprintf(", and its default %s is stored in the template", Mask(d))
			secrets = append(secrets, d)
		}
		hits = append(hits, Hit{Resource: p.Name, Key: p.Name, Message: msg,
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: p.Line}}, Secrets: secrets})
	}
	return hits, nil
}

// credentialProps are properties that hold a password or key in plain resources.
var credentialProps = map[string]bool{
	"MasterUserPassword": true, "Password": true, "AuthToken": true, "SecretString": false,
	"MasterPassword": true, "AdminPassword": true, "DBPassword": true, "ApiKey": true, "ClientSecret": true,
}

// checkCredentialProps: credentials written literally, or passed through a
// parameter without NoEcho, instead of a dynamic reference (cfn-lint W1011's idea).
func checkCredentialProps(c *Context) ([]Hit, error) {
	if c.Template == nil {
		return nil, nil
	}
	noEcho := map[string]bool{}
	for _, p := range c.Template.Parameters {
		noEcho[p.Name] = p.NoEcho
	}
	var hits []Hit
	for _, r := range c.Template.Resources {
		var walk func(n *yaml.Node, path string)
		walk = func(n *yaml.Node, path string) {
			pairs(n, func(k string, kn, v *yaml.Node) {
				if credentialProps[k] {
					val := str(v)
					switch {
					case v.Kind == yaml.ScalarNode && v.Tag != "!Ref" && val != "" && !strings.HasPrefix(val, "{{resolve:") && !isIntrinsic(v) && r.Type != "AWS::Events::Connection": // SLS-SEC-004 owns a connection's literals
						hits = append(hits, Hit{Resource: r.ID, Key: path + k,
							Message:  fmt.Sprintf("%s.%s is written in the template in plain text (%s): use a {{resolve:secretsmanager:...}} dynamic reference", r.ID, path+k, Mask(val)),
							Evidence: at(c.Model, kn, r.Line), Secrets: []string{val}})
					case refTarget(v) != "" && !noEcho[refTarget(v)] && c.Template.Resource(refTarget(v)) == nil && !strings.HasPrefix(refTarget(v), "AWS::"):
						hits = append(hits, Hit{Resource: r.ID, Key: path + k,
							Message:  fmt.Sprintf("%s.%s comes from parameter %s, which has no NoEcho and is not a dynamic reference", r.ID, path+k, refTarget(v)),
							Evidence: at(c.Model, kn, r.Line)})
					}
					return
				}
				if v.Kind == yaml.MappingNode && !isIntrinsic(v) {
					walk(v, path+k+".")
				}
			})
		}
		if r.Type == "AWS::Serverless::Function" || r.Type == "AWS::Lambda::Function" {
			continue // environment variables are SLS-SEC-001's
		}
		walk(r.Properties, "")
	}
	return hits, nil
}
