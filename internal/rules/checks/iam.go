package checks

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// IAM rules (SLS-IAM-*) read a principal's effective statements: SAM policy
// templates and managed policies already expanded by the model builder, so a
// DynamoDBCrudPolicy or an AmazonS3FullAccess is judged by what it grants, not
// by its name.

func init() {
	Register("SLS-IAM-001", checkWildcardAction)
	Register("SLS-IAM-002", checkAdmin)
	Register("SLS-IAM-003", checkUnconstrainedWrite)
	Register("SLS-IAM-004", actionListCheck(privEscActions, "can escalate its privileges", true))
	Register("SLS-IAM-005", actionListCheck(credentialActions, "can mint or read credentials", false))
	Register("SLS-IAM-006", actionListCheck(exfilActions, "can read data from any resource of the account", true))
	Register("SLS-IAM-007", checkPermissionsManagement)
	Register("SLS-IAM-008", checkBroaderTemplate)
	Register("SLS-IAM-009", checkFullAccessManaged)
	Register("SLS-IAM-010", checkSharedRole)
	Register("SLS-IAM-011", checkAssumableByAnyone)
}

// allows lists a function's Allow statements.
func allows(f *model.Function) []model.Statement {
	var out []model.Statement
	for _, s := range f.Statements {
		if s.Effect == "" || strings.EqualFold(s.Effect, "Allow") {
			out = append(out, s)
		}
	}
	return out
}

// anyResource reports a statement on "*" (or NotResource): every resource of
// every service it names.
func anyResource(s model.Statement) bool {
	if len(s.NotResources) > 0 {
		return true
	}
	for _, r := range s.Resources {
		if r == "*" || r == "arn:aws:*:*:*:*" || r == "arn:${AWS::Partition}:*:*:*:*" {
			return true
		}
	}
	return false
}

// wildFor is what in the statement reaches every resource of the action's
// service: "*" (or NotResource), an ARN of that service whose resource part
// is only wildcards (arn:aws:s3:::*, arn:aws:dynamodb:*:*:table/*,
// ...:secret:*), or "" when nothing does.
func wildFor(s model.Statement, action string) string {
	if anyResource(s) {
		if len(s.NotResources) > 0 {
			return "every resource but " + strings.Join(s.NotResources, ", ")
		}
		return "*"
	}
	svc, verb, _ := strings.Cut(strings.ToLower(action), ":")
	for _, p := range []string{"create", "submit", "start", "run"} {
		if strings.HasPrefix(verb, p) {
			return "" // what the action creates has no name yet: a type wildcard is the norm
		}
	}
	for _, r := range s.Resources {
		if parts := iam.SplitARN(r); parts != nil && (parts[2] == svc || strings.ContainsAny(svc, "*?")) && wildcardARN(r) {
			return r
		}
	}
	return ""
}

// reachesAll: the statement grants the action on every resource of its service.
func reachesAll(s model.Statement, action string) bool { return wildFor(s, action) != "" }

// namedServices: ARNs whose resource part starts with a name, not a type.
var namedServices = map[string]bool{"s3": true, "sqs": true, "sns": true, "execute-api": true}

// wildcardARN: an ARN whose resource part, after its resource type
// (table/, secret:, function:...), is only wildcards, whatever its region and
// account: every resource of that type, as good as "*" for the rules.
func wildcardARN(r string) bool {
	parts := iam.SplitARN(r)
	if parts == nil || strings.ContainsAny(parts[2], "*?$") {
		return false
	}
	res := parts[5]
	onlyWild := func(x string) bool { return x != "" && strings.Trim(x, "*/:") == "" && strings.Contains(x, "*") }
	if onlyWild(res) {
		return true
	}
	if namedServices[parts[2]] {
		return false
	}
	i := strings.IndexAny(res, "/:")
	if i <= 0 {
		return false
	}
	for _, c := range res[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return onlyWild(res[i+1:])
}

// matches reports whether an action pattern as written (with * and ?) covers action.
func matches(pattern, action string) bool { return iam.Match(pattern, action) }

// covers reports whether the statement's actions (or NotAction) cover action.
func covers(s model.Statement, action string) bool {
	if len(s.NotActions) > 0 {
		for _, p := range s.NotActions {
			if matches(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range s.Actions {
		if matches(p, action) {
			return true
		}
	}
	return false
}

// accessOf is an action's IAM access level; when the catalog does not know
// the action, the verb decides (Get/List/Describe... read).
func accessOf(action string) string {
	if lvl, ok := iam.AccessLevel(action); ok {
		return lvl
	}
	_, verb, _ := strings.Cut(action, ":")
	for _, p := range []string{"List"} {
		if strings.HasPrefix(verb, p) {
			return model.AccessList
		}
	}
	for _, p := range []string{"Get", "Describe", "Query", "Scan", "BatchGet", "Head", "Select", "Read", "Search", "Lookup", "Receive", "Download", "Retrieve", "ConditionCheck", "PartiQLSelect"} {
		if strings.HasPrefix(verb, p) {
			return model.AccessRead
		}
	}
	for _, p := range []string{"Tag", "Untag"} {
		if strings.HasPrefix(verb, p) {
			return model.AccessTagging
		}
	}
	if strings.Contains(verb, "Policy") || strings.Contains(verb, "Permission") || strings.HasSuffix(verb, "Acl") || strings.HasSuffix(verb, "ACL") {
		return model.AccessPermissions
	}
	return model.AccessWrite
}

func checkWildcardAction(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, sub := range subjects(c.Model) {
		seen := map[string]bool{}
		var parts []string
		ev := newEvidence(c.Model, sub.Line)
		var from origins
		for _, s := range sub.allows() {
			acts := s.Actions
			if len(s.NotActions) > 0 {
				acts = []string{"NotAction:" + strings.Join(s.NotActions, ",")}
			}
			for _, a := range acts {
				svc, verb, _ := strings.Cut(a, ":")
				if !(a == "*" || verb == "*" || strings.HasPrefix(a, "NotAction:")) || seen[a] {
					continue
				}
				seen[a] = true
				on := "on specific resources"
				if w := wildFor(s, a); w == "*" {
					on = "on every resource (*)"
				} else if w != "" {
					on = "on every resource of " + w
				}
				what := fmt.Sprintf("every %s action", svc)
				if a == "*" {
					what = "every action of every service"
				} else if strings.HasPrefix(a, "NotAction:") {
					what = "every action except " + strings.Join(s.NotActions, ", ")
				}
				parts = append(parts, fmt.Sprintf("%q (%s) %s", a, what, on))
				ev.add(s.Source)
				from.add(s)
			}
		}
		if len(parts) == 0 {
			continue
		}
		hits = append(hits, Hit{Resource: sub.ID,
			Message:  fmt.Sprintf("%s is allowed %s, from %s", sub.Label, shortList(parts, 8), from.String()),
			Evidence: ev.list()})
	}
	return hits, nil
}

func originName(s model.Statement) string {
	switch strings.ToLower(s.Origin) {
	case "", "inline", "statement":
		return "an inline statement"
	}
	return s.Origin
}

func checkAdmin(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, sub := range subjects(c.Model) {
		ev := newEvidence(c.Model, sub.Line)
		var from origins
		for _, s := range sub.allows() {
			if covers(s, "iam:CreateUser") && covers(s, "s3:DeleteBucket") && covers(s, "ec2:RunInstances") && anyResource(s) && !s.Condition {
				ev.add(s.Source)
				from.add(s)
			}
		}
		if len(from.names) == 0 {
			continue
		}
		hits = append(hits, Hit{Resource: sub.ID,
			Message:  fmt.Sprintf("%s has administrator access: every action on every resource, from %s", sub.Label, from.String()),
			Evidence: ev.list()})
	}
	return hits, nil
}

// checkUnconstrainedWrite reports write or delete actions on "*" without a
// condition (CKV_AWS_111): one finding per holder, every service listed.
func checkUnconstrainedWrite(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, sub := range subjects(c.Model) {
		bySvc := map[string]map[string]bool{}
		where := map[string]model.Statement{}
		ev := newEvidence(c.Model, sub.Line)
		for _, s := range sub.allows() {
			if s.Condition {
				continue
			}
			for _, a := range s.Actions {
				if !reachesAll(s, a) {
					continue
				}
				for _, x := range expand(a) {
					if accessOf(x) != model.AccessWrite || iam.OnlyOnAnyResource(x) || platformBaseline(x) {
						continue
					}
					svc, _, _ := strings.Cut(x, ":")
					// "*" or "*:Delete*" reach every service: one entry, not
					// one per service of the catalog.
					if psvc, _, _ := strings.Cut(a, ":"); strings.ContainsAny(psvc, "*?") {
						svc = "*"
					}
					if bySvc[svc] == nil {
						bySvc[svc] = map[string]bool{}
						where[svc] = s
					}
					bySvc[svc][a] = true
					ev.add(s.Source)
				}
			}
		}
		account := unusedAccountActions(sub)
		if len(bySvc) == 0 && len(account) == 0 {
			continue
		}
		var parts []string
		if len(account) > 0 {
			parts = append(parts, fmt.Sprintf("account-wide settings its code never calls (%s)", shortList(account, 6)))
			for _, s := range sub.allows() {
				for _, a := range account {
					if covers(s, a) {
						ev.add(s.Source)
						break
					}
				}
			}
		}
		poller := false
		for _, svc := range slices.Sorted(maps.Keys(bySvc)) {
			what := "any " + svc + " resource"
			if w := wildFor(where[svc], svc+":*"); svc == "*" {
				what = "any resource of any service"
			} else if w != "*" {
				what = "every " + svc + " resource of " + w
			}
			parts = append(parts, fmt.Sprintf("%s (%s, from %s)", what, shortList(slices.Sorted(maps.Keys(bySvc[svc])), 6), originName(where[svc])))
			poller = poller || samPollerPolicies[where[svc].Origin]
		}
		msg := fmt.Sprintf("%s may write to or delete, with no condition, %s", sub.Label, shortList(parts, 8))
		if poller {
			msg += "; SAM attaches the event-source poller policy on every resource of its service, and only an explicit Role with statements scoped to the source narrows it"
		}
		hits = append(hits, Hit{Resource: sub.ID, Message: msg, Evidence: ev.list()})
	}
	return hits, nil
}

// telemetry: account-level writes a function's libraries make without an
// SDK call the code shows (metrics, traces, logs).
var telemetry = []string{"cloudwatch:PutMetricData", "xray:", "logs:"}

// unusedAccountActions: write actions IAM only grants on "*" (account-wide
// settings: model invocation logging, agreements, entitlements...) that a
// function's inline statements name one by one and its code, read in
// full, never calls. Wildcards and managed policies are judged elsewhere.
func unusedAccountActions(sub iamSubject) []string {
	f := sub.Fn
	if f == nil || f.Blast == nil || !f.CodeParsed {
		return nil
	}
	used := map[string]bool{}
	for _, a := range f.Used {
		used[strings.ToLower(a)] = true
	}
	found := map[string]bool{}
	for _, s := range sub.allows() {
		if s.Condition || !strings.EqualFold(s.Origin, "") && !strings.EqualFold(s.Origin, "inline") && !strings.EqualFold(s.Origin, "statement") {
			continue
		}
		for _, a := range s.Actions {
			if strings.ContainsAny(a, "*?") || used[strings.ToLower(a)] || accessOf(a) != model.AccessWrite || !iam.OnlyOnAnyResource(a) || platformBaseline(a) {
				continue
			}
			skip := false
			for _, t := range telemetry {
				skip = skip || strings.HasPrefix(strings.ToLower(a), strings.ToLower(t))
			}
			if !skip {
				found[a] = true
			}
		}
	}
	return sortedKeys(found)
}

// samPollerPolicies are the AWS managed policies the SAM transform attaches
// for pull event sources (samtranslator/model/eventsources/pull.py).
var samPollerPolicies = map[string]bool{
	"AWSLambdaSQSQueueExecutionRole": true, "AWSLambdaDynamoDBExecutionRole": true,
	"AWSLambdaKinesisExecutionRole": true, "AWSLambdaMSKExecutionRole": true,
}

// platformBaseline: what SAM grants every function on "*" for the Lambda
// service itself (logs, traces, VPC interfaces) is not the function's reach.
func platformBaseline(action string) bool {
	c, err := catalogs.SDK()
	return err == nil && c.Runtime.Baseline(action)
}

// expand turns a pattern into actions; a pattern the catalog cannot expand stays itself.
func expand(a string) []string {
	if out := iam.ExpandAction(a); len(out) > 0 {
		return out
	}
	return []string{a}
}

// sensitiveAction is one action a list check looks for; onStar means it only
// matters when the resource is unconstrained.
type sensitiveAction struct {
	action string
	onStar bool
}

var privEscActions = []sensitiveAction{
	{"iam:PassRole", true}, {"sts:AssumeRole", true},
	{"iam:PutRolePolicy", false}, {"iam:PutUserPolicy", false}, {"iam:PutGroupPolicy", false},
	{"iam:AttachRolePolicy", false}, {"iam:AttachUserPolicy", false}, {"iam:AttachGroupPolicy", false},
	{"iam:CreatePolicyVersion", false}, {"iam:SetDefaultPolicyVersion", false},
	{"iam:UpdateAssumeRolePolicy", false}, {"iam:AddUserToGroup", false}, {"iam:UpdateLoginProfile", false},
	{"lambda:UpdateFunctionCode", false}, {"lambda:UpdateFunctionConfiguration", false},
	{"lambda:AddPermission", false}, {"glue:UpdateDevEndpoint", false},
	{"cloudformation:CreateStack", true}, {"cloudformation:UpdateStack", true},
}

var credentialActions = []sensitiveAction{
	{"iam:CreateAccessKey", false}, {"iam:UpdateAccessKey", false}, {"iam:CreateLoginProfile", false},
	{"iam:CreateServiceSpecificCredential", false}, {"iam:ResetServiceSpecificCredential", false},
	{"sts:GetSessionToken", false}, {"sts:GetFederationToken", false},
	{"ecr:GetAuthorizationToken", false}, {"redshift:GetClusterCredentials", false},
	{"ec2:GetPasswordData", false}, {"cognito-identity:GetCredentialsForIdentity", false},
	{"cognito-identity:GetOpenIdTokenForDeveloperIdentity", false}, {"sso:GetRoleCredentials", false},
	{"lightsail:GetInstanceAccessDetails", false}, {"rds-db:Connect", true},
}

var exfilActions = []sensitiveAction{
	{"s3:GetObject", true}, {"ssm:GetParameter", true}, {"ssm:GetParameters", true},
	{"ssm:GetParametersByPath", true}, {"secretsmanager:GetSecretValue", true},
	{"kms:Decrypt", true}, {"dynamodb:Scan", true}, {"rds:CopyDBSnapshot", true},
	{"rds:CreateDBSnapshot", true}, {"ec2:CreateSnapshot", true},
}

// actionListCheck reports a holder allowed any of a list of sensitive
// actions, once, with every action and policy. A user rule can pass its own
// list as params.actions. Statements whose resources only an IAM user's
// request can match (user/${aws:username}) grant a role nothing.
func actionListCheck(list []sensitiveAction, what string, _ bool) Check {
	return func(c *Context) ([]Hit, error) {
		use := list
		if extra := paramStrings(c, "actions"); len(extra) > 0 {
			use = nil
			for _, a := range extra {
				use = append(use, sensitiveAction{action: a, onStar: false})
			}
		}
		var hits []Hit
		for _, sub := range subjects(c.Model) {
			found := map[string]bool{}
			ev := newEvidence(c.Model, sub.Line)
			var from origins
			for _, s := range sub.allows() {
				if userOnlyResources(s) {
					continue
				}
				for _, sa := range use {
					if sa.onStar && !reachesAll(s, sa.action) || sa.action == "ecr:GetAuthorizationToken" && pullsImages(sub) {
						continue
					}
					if covers(s, sa.action) {
						label := sa.action
						if sa.onStar {
							label += " on " + wildFor(s, sa.action)
						}
						found[label] = true
						ev.add(s.Source)
						from.add(s)
					}
				}
			}
			if len(found) == 0 {
				continue
			}
			hits = append(hits, Hit{Resource: sub.ID,
				Message:  fmt.Sprintf("%s %s: %s (from %s)", sub.Label, what, shortList(sortedKeys(found), 6), from.String()),
				Evidence: ev.list()})
		}
		return hits, nil
	}
}

// imagePullers are the services whose roles pull container images: the
// token ecr:GetAuthorizationToken returns is how they do it (AWS's own
// AmazonECSTaskExecutionRolePolicy and AmazonEC2ContainerServiceforEC2Role
// grant it), and it reaches only the repositories the role may already read.
var imagePullers = []string{"ecs-tasks.", "ecs.", "ec2.", "batch.", "codebuild.", "eks.", "sagemaker."}

// pullsImages: a role assumed only by services that pull container images.
func pullsImages(sub iamSubject) bool {
	if len(sub.AssumedBy) == 0 {
		return false
	}
	for _, svc := range sub.AssumedBy {
		ok := false
		for _, p := range imagePullers {
			ok = ok || strings.HasPrefix(svc, p)
		}
		if !ok {
			return false
		}
	}
	return true
}

func checkPermissionsManagement(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, sub := range subjects(c.Model) {
		found := map[string]map[string]bool{} // resource as written -> actions
		var ons []string
		ev := newEvidence(c.Model, sub.Line)
		for _, s := range sub.allows() {
			if s.Condition {
				continue
			}
			for _, a := range s.Actions {
				on := wildFor(s, a)
				if on == "" && sub.Kind == model.PrincipalAPIIntegration && len(s.Resources) > 0 {
					// An API integration acts for every request: even on its
					// own queue or topic, a grant that rewrites who may use
					// it sits on the request path.
					on = strings.Join(s.Resources, ", ") + " (on the request path of every call to the API)"
				}
				if on == "" {
					continue
				}
				for _, x := range expand(a) {
					if accessOf(x) == model.AccessPermissions {
						if found[on] == nil {
							found[on] = map[string]bool{}
							ons = append(ons, on)
						}
						found[on][a] = true
						ev.add(s.Source)
						break
					}
				}
			}
		}
		if len(found) == 0 {
			continue
		}
		var parts []string
		for _, on := range ons {
			parts = append(parts, shortList(sortedKeys(found[on]), 8)+" on "+on)
		}
		hits = append(hits, Hit{Resource: sub.ID,
			Message:  fmt.Sprintf("%s may change permissions (policies, ACLs, grants): %s", sub.Label, strings.Join(parts, "; ")),
			Evidence: ev.list()})
	}
	return hits, nil
}

// narrower maps a broad SAM policy template to its service and the narrower
// templates for read-only and write-only use.
var narrower = map[string]struct{ svc, read, write string }{
	"DynamoDBCrudPolicy":       {"dynamodb", "DynamoDBReadPolicy", "DynamoDBWritePolicy"},
	"S3CrudPolicy":             {"s3", "S3ReadPolicy", "S3WritePolicy"},
	"S3FullAccessPolicy":       {"s3", "S3ReadPolicy", "S3WritePolicy"},
	"SNSCrudPolicy":            {"sns", "", "SNSPublishMessagePolicy"},
	"KinesisCrudPolicy":        {"kinesis", "KinesisStreamReadPolicy", ""},
	"SESCrudPolicy":            {"ses", "", "inline"}, // no SAM template grants only ses:SendEmail (SESSendBouncePolicy is ses:SendBounce)
	"SQSPollerPolicy":          {"sqs", "", ""},
	"DynamoDBStreamReadPolicy": {"dynamodb", "", ""},
}

// checkBroaderTemplate compares a broad policy template with the SDK calls the
// function's code makes (blast stage): Crud where the code only reads or only
// writes, or a template the code never uses at all.
func checkBroaderTemplate(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.Blast == nil || (len(f.CodeFiles) == 0 && len(f.SDKCalls) == 0) {
			continue // no code seen: nothing to compare against
		}
		if !f.CodeParsed {
			continue // code not read in full (or not by this build): an absent call proves nothing
		}
		var msgs []string
		ev := newEvidence(c.Model, fnLine(f))
		for _, p := range f.Policies {
			n, ok := narrower[p.Name]
			if !ok || p.Kind != "template" || n.read == "" && n.write == "" {
				continue
			}
			used := map[string]bool{}
			for _, a := range f.Used {
				if strings.HasPrefix(strings.ToLower(a), n.svc+":") {
					used[a] = true
				}
			}
			for _, call := range f.SDKCalls {
				for _, a := range call.Actions {
					if strings.HasPrefix(strings.ToLower(a), n.svc+":") {
						used[a] = true
					}
				}
			}
			var reads, writes bool
			for a := range used {
				switch accessOf(a) {
				case model.AccessRead, model.AccessList:
					reads = true
				default:
					writes = true
				}
			}
			calls := strings.Join(slices.Sorted(maps.Keys(used)), ", ")
			var msg, key string
			switch {
			case len(used) == 0:
				key, msg = p.Name+"/unused", fmt.Sprintf("%s is granted %s but its code makes no %s call: remove the policy", f.ID, p.Name, n.svc)
			case reads && !writes && n.read != "":
				key, msg = p.Name+"/read", fmt.Sprintf("%s is granted %s (read, write and delete) but its code only reads (%s): %s suffices", f.ID, p.Name, calls, n.read)
			case writes && !reads && n.write == "inline":
				key, msg = p.Name+"/write", fmt.Sprintf("%s is granted %s (read, write and delete) but its code only writes (%s): no narrower policy template exists, an inline statement allowing only %s suffices", f.ID, p.Name, calls, calls)
			case writes && !reads && n.write != "":
				key, msg = p.Name+"/write", fmt.Sprintf("%s is granted %s (read, write and delete) but its code only writes (%s): %s suffices", f.ID, p.Name, calls, n.write)
			default:
				continue
			}
			_ = key
			msgs = append(msgs, msg)
			ev.add(p.Source)
		}
		if len(msgs) == 0 {
			continue
		}
		msg := msgs[0]
		if len(msgs) > 1 {
			msg = fmt.Sprintf("%s has %d policy templates broader than its code needs: %s", f.ID, len(msgs), strings.Join(msgs, "; "))
		}
		hits = append(hits, Hit{Resource: f.ID, Message: msg, Evidence: ev.list()})
	}
	return hits, nil
}

func checkFullAccessManaged(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, sub := range subjects(c.Model) {
		var names []string
		seen := map[string]bool{}
		ev := newEvidence(c.Model, sub.Line)
		for _, p := range sub.Policies {
			if p.Kind != "managed" && p.Kind != "role-managed" && p.Kind != "attached" {
				continue
			}
			name := p.Name
			if i := strings.LastIndex(name, "/"); i >= 0 {
				name = name[i+1:]
			}
			if (strings.HasSuffix(name, "FullAccess") || name == "AdministratorAccess" || name == "PowerUserAccess") && !seen[name] {
				seen[name] = true
				names = append(names, name)
				ev.add(p.Source)
			}
		}
		if len(names) == 0 {
			continue
		}
		what := "the AWS managed policy " + names[0] + ", which grants"
		if len(names) > 1 {
			what = fmt.Sprintf("%d AWS managed full-access policies (%s), which grant", len(names), strings.Join(names, ", "))
		}
		hits = append(hits, Hit{Resource: sub.ID,
			Message:  fmt.Sprintf("%s has %s every action of their service(s) on every resource", sub.Label, what),
			Evidence: ev.list()})
	}
	return hits, nil
}

func checkSharedRole(c *Context) ([]Hit, error) {
	byRole := map[string][]*model.Function{}
	for _, f := range c.Model.Functions {
		if f.Role != "" {
			byRole[f.Role] = append(byRole[f.Role], f)
		}
	}
	var hits []Hit
	for _, role := range slices.Sorted(maps.Keys(byRole)) {
		fs := byRole[role]
		if len(fs) < 2 {
			continue
		}
		ids := make([]string, 0, len(fs))
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
		sort.Strings(ids)
		res := role
		ev := []model.Location{}
		if fs[0].RoleInTemplate && c.Template != nil && c.Template.Resource(role) != nil {
			ev = append(ev, model.Location{File: tmplFile(c.Model), Line: c.Template.Resource(role).Line})
		} else {
			res = fs[0].ID
		}
		for _, f := range fs {
			ev = append(ev, model.Location{File: tmplFile(c.Model), Line: fnLine(f)})
		}
		key := ""
		if res != role {
			key = role
		}
		hits = append(hits, Hit{Resource: res, Key: key,
			Message:  fmt.Sprintf("role %s is shared by %d functions (%s): each of them holds the union of their permissions", role, len(fs), strings.Join(ids, ", ")),
			Evidence: ev})
	}
	return hits, nil
}

func checkAssumableByAnyone(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::IAM::Role") {
		for _, st := range items(get(props(r), "AssumeRolePolicyDocument", "Statement")) {
			if !strings.EqualFold(str(get(st, "Effect")), "Allow") || get(st, "Condition") != nil {
				continue
			}
			if pn := principalStar(get(st, "Principal")); pn != nil {
				hits = append(hits, Hit{Resource: r.ID,
					Message:  fmt.Sprintf("role %s can be assumed by any AWS principal (Principal *) with no condition", r.ID),
					Evidence: at(c.Model, pn, r.Line)})
				break
			}
		}
	}
	return hits, nil
}
