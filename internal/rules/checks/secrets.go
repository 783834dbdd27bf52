package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
)

// Secret checks. No message ever carries a secret value: values go through
// Mask and into Hit.Secrets so the engine can scrub anything that slipped.

func init() {
	Register("SLS-SEC-001", checkEnvSecrets)
	Register("SLS-SEC-002", checkSecretParams)
	Register("SLS-SEC-003", checkCredentialProps)
	Register("SLS-FN-002", checkEnvNoCMK)
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
			hits = append(hits, Hit{Resource: f.ID, Key: e.Name,
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

func checkEnvNoCMK(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if len(envVars(c, f)) == 0 || f.KMSKeyArn != "" || get(fnProps(c.Template, f), "KmsKeyArn") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "env",
			Message:  fmt.Sprintf("the environment variables of %s are encrypted with the AWS-managed Lambda key, not a customer key (KmsKeyArn)", f.ID),
			Evidence: at(c.Model, get(fnProps(c.Template, f), "Environment"), fnLine(f))})
	}
	return hits, nil
}
