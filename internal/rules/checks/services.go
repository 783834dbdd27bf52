package checks

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
)

// Threat rules for services and configurations a reviewer looks at and the
// first catalog had no rule for (issue 16): identity (Cognito, API keys,
// AppSync), resource policies for AWS services without a source condition
// (confused deputy), Amazon MQ, security groups open to the internet,
// database clusters without encryption, MemoryDB without access control,
// CloudTrail, SES receipt rules, API Gateway mapping templates.

func init() {
	Register("SLS-IDP-001", checkImplicitGrant)
	Register("SLS-IDP-002", checkWeakUserPool)
	Register("SLS-IDP-003", checkUnauthIdentities)
	Register("SLS-API-012", checkAPIKeyOnly)
	Register("SLS-GQL-001", checkAppSyncAPIKey)
	Register("SLS-GQL-002", checkAppSyncLogging)
	Register("SLS-RES-002", checkConfusedDeputy)
	Register("SLS-MQ-002", checkMQVersion)
	Register("SLS-NET-003", checkOpenIngress)
	Register("SLS-ENC-008", checkClusterEncryption)
	Register("SLS-MDB-001", checkMemoryDBOpenACL)
	Register("SLS-CT-001", checkCloudTrail)
	Register("SLS-SES-001", checkSESScanning)
	Register("SLS-API-013", checkMappingSplice)
}

// value resolves a scalar, a !Ref to a parameter's default, or "" when
// CloudFormation computes it.
func value(c *Context, n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if id := refTarget(n); id != "" && c.Template != nil {
		for _, p := range c.Template.Parameters {
			if p.Name == id {
				return str(p.Default)
			}
		}
		return ""
	}
	return str(n)
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
		sev := "medium"
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

// checkAPIKeyOnly: a REST API whose only caller check is an API key (usage
// plans are for metering, keys are shared and long-lived), including a
// Lambda authorizer whose identity is the x-api-key header itself.
func checkAPIKeyOnly(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::Api") {
		auth := get(props(r), "Auth")
		keyReq := get(auth, "ApiKeyRequired")
		if !isTrue(keyReq) {
			continue
		}
		def := str(get(auth, "DefaultAuthorizer"))
		keyAsIdentity := false
		if def != "" && def != "AWS_IAM" {
			a := get(auth, "Authorizers", def)
			for _, h := range items(get(a, "Identity", "Headers")) {
				if strings.EqualFold(str(h), "x-api-key") {
					keyAsIdentity = true
				}
			}
			if !keyAsIdentity {
				continue
			}
		} else if def == "AWS_IAM" {
			continue
		}
		msg := fmt.Sprintf("API %s authenticates callers by API key only: keys are long-lived shared secrets sent in a header, meant for usage plans, not identity", r.ID)
		if keyAsIdentity {
			msg = fmt.Sprintf("API %s's authorizer %s takes the API key (x-api-key) as the caller's identity: a long-lived shared secret is the only credential", r.ID, def)
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "apikey", Message: msg, Evidence: at(c.Model, keyReq, r.Line)})
	}
	return hits, nil
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

var sourceConditionKeys = []string{"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpce"}

// hasSourceCondition reports a condition naming the calling resource or account.
func hasSourceCondition(cond *yaml.Node) bool {
	found := false
	pairs(cond, func(_ string, _, ops *yaml.Node) {
		pairs(ops, func(k string, _, _ *yaml.Node) {
			for _, s := range sourceConditionKeys {
				if strings.EqualFold(k, s) {
					found = true
				}
			}
		})
	})
	return found
}

// policyDocument returns a policy document node; a JSON string (as in
// AWS::Logs::ResourcePolicy) is decoded.
func policyDocument(n *yaml.Node) *yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	s := str(n)
	if s == "" {
		if sub := get(n, "Fn::Sub"); sub != nil {
			s = str(sub)
		} else if n.Tag == "!Sub" {
			s = n.Value
		}
	}
	if s == "" {
		return n
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	var doc yaml.Node
	b, _ := json.Marshal(v)
	if yaml.Unmarshal(b, &doc) != nil {
		return nil
	}
	shift(&doc, n.Line-1)
	return deref(&doc)
}

func shift(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shift(c, by)
	}
}

// checkConfusedDeputy: queue, topic, bucket and log resource policies that
// let an AWS service act without naming which resource or account it acts
// for: any account's resource of that service can use the grant.
func checkConfusedDeputy(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy", "AWS::Logs::ResourcePolicy") {
		doc := get(props(r), "PolicyDocument")
		if r.Type == "AWS::Logs::ResourcePolicy" {
			doc = policyDocument(get(props(r), "PolicyDocument"))
		}
		seen := map[string]bool{}
		for _, st := range items(get(doc, "Statement")) {
			if !strings.EqualFold(str(get(st, "Effect")), "Allow") || hasSourceCondition(get(st, "Condition")) {
				continue
			}
			for _, svc := range items(get(st, "Principal", "Service")) {
				name := str(svc)
				if name == "" || seen[name] || !strings.HasSuffix(name, ".amazonaws.com") {
					continue
				}
				seen[name] = true
				var acts []string
				for _, a := range items(get(st, "Action")) {
					acts = append(acts, str(a))
				}
				hits = append(hits, Hit{Resource: r.ID, Key: name,
					Message: fmt.Sprintf("%s lets %s %s with no aws:SourceArn or aws:SourceAccount condition: the service acting for another account's resource can use this grant (confused deputy)",
						r.ID, name, strings.Join(acts, ", ")),
					Evidence: at(c.Model, svc, r.Line)})
			}
		}
	}
	return hits, nil
}

// mqSupported is the oldest engine minor line still supported by Amazon MQ
// (ActiveMQ 5.17 and RabbitMQ 3.12 reached end of support in 2025).
var mqSupported = map[string][2]int{"ACTIVEMQ": {5, 18}, "RABBITMQ": {3, 13}}

func checkMQVersion(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::AmazonMQ::Broker") {
		p := props(r)
		engine := strings.ToUpper(value(c, get(p, "EngineType")))
		vn := get(p, "EngineVersion")
		v := value(c, vn)
		min, ok := mqSupported[engine]
		if !ok || v == "" {
			continue
		}
		parts := strings.Split(v, ".")
		if len(parts) < 2 {
			continue
		}
		maj, e1 := strconv.Atoi(parts[0])
		minor, e2 := strconv.Atoi(parts[1])
		if e1 != nil || e2 != nil || maj > min[0] || (maj == min[0] && minor >= min[1]) {
			continue
		}
		auto := ""
		if isFalse(get(p, "AutoMinorVersionUpgrade")) {
			auto = "; automatic minor upgrades are off"
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "engine",
			Message:  fmt.Sprintf("broker %s runs %s %s, past end of support on Amazon MQ (no security fixes; upgrade to %d.%d or later)%s", r.ID, strings.ToLower(engine), v, min[0], min[1], auto),
			Evidence: at(c.Model, vn, r.Line)})
	}
	return hits, nil
}

// dataPorts are ports of databases, caches, brokers and admin consoles.
var dataPorts = map[int]string{22: "SSH", 3389: "RDP", 3306: "MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle", 27017: "MongoDB/DocumentDB",
	6379: "Redis", 11211: "Memcached", 9200: "OpenSearch", 9092: "Kafka", 9094: "Kafka TLS", 9096: "Kafka SASL", 5671: "AMQP", 5672: "AMQP", 61617: "OpenWire",
	61614: "STOMP", 8883: "MQTT", 8162: "ActiveMQ console", 15671: "RabbitMQ console", 8182: "Neptune", 2049: "NFS"}

func checkOpenIngress(c *Context) ([]Hit, error) {
	var hits []Hit
	// Groups that only functions use: Lambda's network interfaces accept no
	// inbound connections, so an ingress rule on them opens nothing.
	fnOnly := map[string]bool{}
	if c.Template != nil {
		used := map[string]bool{}
		for _, f := range c.Model.Functions {
			refsIn(get(fnProps(c.Template, f), "VpcConfig"), fnOnly)
		}
		for _, r := range c.Template.Resources {
			if r.Type == "AWS::Serverless::Function" || r.Type == "AWS::Lambda::Function" || r.Type == "AWS::EC2::SecurityGroupIngress" || r.Type == "AWS::EC2::SecurityGroupEgress" {
				continue
			}
			refsIn(props(r), used)
		}
		for id := range fnOnly {
			if used[id] {
				delete(fnOnly, id)
			}
		}
	}
	judge := func(id string, line int, rule *yaml.Node) {
		if fnOnly[id] {
			return
		}
		cidr := value(c, get(rule, "CidrIp"))
		if cidr == "" {
			cidr = value(c, get(rule, "CidrIpv6"))
		}
		if cidr != "0.0.0.0/0" && cidr != "::/0" {
			return
		}
		proto := strings.ToLower(value(c, get(rule, "IpProtocol")))
		from, okf := intOf(get(rule, "FromPort"))
		to, okt := intOf(get(rule, "ToPort"))
		if !okf || !okt {
			if v, err := strconv.Atoi(value(c, get(rule, "FromPort"))); err == nil {
				from, okf = v, true
			}
			if v, err := strconv.Atoi(value(c, get(rule, "ToPort"))); err == nil {
				to, okt = v, true
			}
		}
		var what string
		sev := "medium"
		switch {
		case proto == "-1" || proto == "all":
			what, sev = "every port", "high"
		case okf && okt:
			if from == to && (from == 80 || from == 443) {
				return
			}
			var named []string
			for p, n := range dataPorts {
				if p >= from && p <= to {
					named = append(named, fmt.Sprintf("%d (%s)", p, n))
				}
			}
			sort.Strings(named)
			if len(named) > 0 {
				sev = "high"
				what = "port " + strings.Join(named, ", ")
			} else if from == to {
				what = fmt.Sprintf("port %d", from)
			} else {
				what = fmt.Sprintf("ports %d-%d", from, to)
			}
		default:
			return
		}
		hits = append(hits, Hit{Resource: id, Key: fmt.Sprintf("%s:%d-%d", proto, from, to), Severity: sev,
			Message:  fmt.Sprintf("security group %s accepts %s from the whole internet (%s)", id, what, cidr),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: resLine2(rule, line)}}})
	}
	for _, r := range resources(c.Template, "AWS::EC2::SecurityGroup") {
		for _, rule := range items(get(props(r), "SecurityGroupIngress")) {
			judge(r.ID, r.Line, rule)
		}
	}
	for _, r := range resources(c.Template, "AWS::EC2::SecurityGroupIngress") {
		id := refTarget(get(props(r), "GroupId"))
		if id == "" {
			id = r.ID
		}
		judge(id, r.Line, props(r))
	}
	return hits, nil
}

func resLine2(n *yaml.Node, fallback int) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return fallback
}

func checkClusterEncryption(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::DocDB::DBCluster", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Neptune::DBCluster") {
		p := props(r)
		if r.Type == "AWS::RDS::DBInstance" && get(p, "DBClusterIdentifier") != nil {
			continue // the cluster holds the setting
		}
		n := get(p, "StorageEncrypted")
		if isTrue(n) || value(c, n) == "true" {
			continue
		}
		if r.Type == "AWS::RDS::DBCluster" && strings.HasPrefix(strings.ToLower(value(c, get(p, "EngineMode"))), "serverless") {
			continue // Aurora Serverless v1 is always encrypted
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "storage",
			Message:  fmt.Sprintf("%s does not set StorageEncrypted: the database, its snapshots and replicas are stored unencrypted (the default for %s)", r.ID, r.Type),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}

func checkMemoryDBOpenACL(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::MemoryDB::Cluster") {
		n := get(props(r), "ACLName")
		if value(c, n) == "open-access" {
			hits = append(hits, Hit{Resource: r.ID, Key: "acl",
				Message:  fmt.Sprintf("MemoryDB cluster %s uses the open-access ACL: any client that reaches it on the network reads and writes every key without credentials", r.ID),
				Evidence: at(c.Model, n, r.Line)})
		}
	}
	return hits, nil
}

func checkCloudTrail(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::CloudTrail::Trail") {
		p := props(r)
		var why []string
		var ev *yaml.Node
		if v := get(p, "EnableLogFileValidation"); !isTrue(v) && value(c, v) != "true" {
			why, ev = append(why, "log file validation is off (tampering with delivered logs goes unnoticed)"), v
		}
		if get(p, "KMSKeyId") == nil {
			why = append(why, "logs are not encrypted with a customer key (KMSKeyId)")
		}
		if len(why) == 0 {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "integrity",
			Message:  fmt.Sprintf("trail %s: %s", r.ID, strings.Join(why, "; ")),
			Evidence: at(c.Model, ev, r.Line)})
	}
	return hits, nil
}

func checkSESScanning(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SES::ReceiptRule") {
		rule := get(props(r), "Rule")
		n := get(rule, "ScanEnabled")
		if isTrue(n) || value(c, n) == "true" {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "scan",
			Message:  fmt.Sprintf("receipt rule %s does not scan incoming mail for spam and viruses (ScanEnabled): whatever anyone mails is handed to its actions (S3, Lambda, SNS) unchecked", r.ID),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}

// rawSplice finds request values pasted into a mapping template without an
// encoder: $input.body, $input.params(...), $method.request... outside
// $input.json / $util.escapeJavaScript / $util.urlEncode / $util.toJson.
var rawSplice = regexp.MustCompile(`\$input\.body|\$input\.params\([^)]*\)|\$input\.path\([^)]*\)|\$method\.request\.[A-Za-z.]+`)

var encoded = regexp.MustCompile(`\$util\.(escapeJavaScript|urlEncode|base64Encode|toJson)\([^)]*$`)

// checkMappingSplice: a direct AWS service integration (SQS, DynamoDB,
// Step Functions...) whose request mapping template pastes a request value
// raw into the service request, so the caller can add parameters or JSON
// fields to it.
func checkMappingSplice(c *Context) ([]Hit, error) {
	var hits []Hit
	if c.Template == nil {
		return nil, nil
	}
	for _, r := range c.Template.Resources {
		var visit func(n *yaml.Node, integration *yaml.Node)
		visit = func(n *yaml.Node, integration *yaml.Node) {
			n = deref(n)
			if n == nil {
				return
			}
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					k, v := n.Content[i].Value, deref(n.Content[i+1])
					switch k {
					case "Integration", "x-amazon-apigateway-integration":
						visit(v, v)
						continue
					case "RequestTemplates", "requestTemplates":
						typ := strings.ToLower(str(get(integration, "Type")) + str(get(integration, "type")))
						if typ != "aws" {
							continue // proxies and HTTP backends get the request as sent
						}
						pairs(v, func(_ string, _, tv *yaml.Node) {
							body := str(tv)
							for _, loc := range rawSplice.FindAllStringIndex(body, -1) {
								if encoded.MatchString(body[:loc[0]]) || strings.HasSuffix(body[:loc[0]], "$input.json(") {
									continue
								}
								hits = append(hits, Hit{Resource: r.ID, Key: "splice",
									Message:  fmt.Sprintf("%s's integration request template pastes %s unencoded into the service request: a caller can add parameters or JSON fields to it (use $util.urlEncode, $util.escapeJavaScript or $input.json)", r.ID, body[loc[0]:loc[1]]),
									Evidence: at(c.Model, tv, r.Line)})
								return
							}
						})
						continue
					}
					visit(v, integration)
				}
			}
			for _, ch := range n.Content {
				if n.Kind != yaml.MappingNode {
					visit(ch, integration)
				}
			}
		}
		visit(props(r), nil)
	}
	return hits, nil
}
