package iam

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/testshared"
)

func TestAccessLevel(t *testing.T) {
	for _, tc := range []struct {
		action, want string
		ok           bool
	}{
		{"s3:GetObject", model.AccessRead, true},
		{"S3:getobject", model.AccessRead, true},
		{"s3:ListBucket", model.AccessList, true},
		{"s3:PutObject", model.AccessWrite, true},
		{"s3:PutObjectTagging", model.AccessTagging, true},
		{"iam:PutRolePolicy", model.AccessPermissions, true},
		{"iam:PassRole", model.AccessWrite, true},
		{"dynamodb:Query", model.AccessRead, true},
		{"lambda:AddPermission", model.AccessPermissions, true},
		{"newservice:DoThing", "", false},
		{"", "", false},
	} {
		got, ok := AccessLevel(tc.action)
		if got != tc.want || ok != tc.ok {
			t.Errorf("AccessLevel(%q) = %q, %v; want %q, %v", tc.action, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAccessFallsBackOnTheVerb(t *testing.T) {
	for action, want := range map[string]string{
		"s3:GetObject":            model.AccessRead, // known: the catalog decides
		"newsvc:GetWidget":        model.AccessRead,
		"newsvc:ListWidgets":      model.AccessList,
		"newsvc:TagWidget":        model.AccessTagging,
		"newsvc:PutWidgetPolicy":  model.AccessPermissions,
		"newsvc:DeleteWidget":     model.AccessWrite,
		"newsvc:FrobnicateWidget": model.AccessWrite, // unknown verbs are never harmless
	} {
		if got := Access(action); got != want {
			t.Errorf("Access(%q) = %q, want %q", action, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, action string
		want            bool
	}{
		{"*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:get*", "S3:GETOBJECT", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:G?tObject", "s3:GetObject", true},
		{"s3:G?tObject", "s3:GeetObject", false},
		{"*:Get*", "dynamodb:GetItem", true},
		{"s3:*Object", "s3:GetObjectAcl", false},
		{"s3:GetObject", "s3:GetObject", true},
		{"", "s3:GetObject", false},
	} {
		if got := Match(tc.pattern, tc.action); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}

// A pattern made to blow up a backtracking matcher stays linear-ish.
func TestMatchHostilePattern(t *testing.T) {
	pattern := strings.Repeat("a*", 200) + "b"
	action := strings.Repeat("a", 5000)
	done := make(chan bool)
	go func() { done <- Match(pattern, action) }()
	select {
	case got := <-done:
		if got {
			t.Error("hostile pattern matched")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Match did not finish: the matcher backtracks exponentially")
	}
}

// catalogActions reads the embedded catalog independently of the package.
func catalogActions(t *testing.T) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(catalogs.IAMActions))
	for sc.Scan() {
		a, _, _ := strings.Cut(sc.Text(), "\t")
		out = append(out, a)
	}
	return out
}

func TestExpandAction(t *testing.T) {
	all := catalogActions(t)
	if len(all) < 15000 {
		t.Fatalf("catalog has %d actions; regenerate it with make catalogs", len(all))
	}
	var s3Get, iot []string
	for _, a := range all {
		if strings.HasPrefix(a, "s3:Get") {
			s3Get = append(s3Get, a)
		}
		if strings.HasPrefix(a, "iot:") {
			iot = append(iot, a)
		}
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"s3:Get*", s3Get},
		{"S3:GET*", s3Get},
		{"iot:*", iot},
		{"*", all},
		{"*:*", all},
		{"s3:getobject", []string{"s3:GetObject"}},
		{"newsvc:Do*", []string{"newsvc:Do*"}},         // unknown service: kept, never lost
		{"newsvc:DoThing", []string{"newsvc:DoThing"}}, // unknown action: kept
	} {
		got := ExpandAction(tc.pattern)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ExpandAction(%q): %d actions, want %d (first %v)", tc.pattern, len(got), len(tc.want), head(got))
		}
		if !sort.StringsAreSorted(got) {
			t.Errorf("ExpandAction(%q) not sorted", tc.pattern)
		}
	}
}

func head(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

func TestOnlyOnAnyResource(t *testing.T) {
	for action, want := range map[string]bool{
		"xray:PutTraceSegments": true,
		"s3:ListAllMyBuckets":   true,
		"s3:GetObject":          false,
		"dynamodb:PutItem":      false,
	} {
		if got := OnlyOnAnyResource(action); got != want {
			t.Errorf("OnlyOnAnyResource(%q) = %v, want %v", action, got, want)
		}
	}
}

// The embedded SAM policy templates are exactly SAM's, parameters included.
func TestPolicyTemplatesMatchSAM(t *testing.T) {
	data, err := os.ReadFile(testshared.Path(t, "reference", "sam", "policy_templates.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Templates map[string]struct {
			Definition json.RawMessage
			Parameters map[string]any
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	names := PolicyTemplateNames()
	if len(names) != len(ref.Templates) {
		t.Errorf("%d templates, SAM has %d", len(names), len(ref.Templates))
	}
	for name, want := range ref.Templates {
		def, params, ok := PolicyTemplate(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		var wantParams []string
		for p := range want.Parameters {
			wantParams = append(wantParams, p)
		}
		sort.Strings(wantParams)
		if !reflect.DeepEqual(params, wantParams) {
			t.Errorf("%s: parameters %v, want %v", name, params, wantParams)
		}
		var a, b any
		if json.Unmarshal(def, &a) != nil || json.Unmarshal(want.Definition, &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: definition differs from SAM's", name)
		}
	}
	if _, _, ok := PolicyTemplate("NoSuchPolicy"); ok {
		t.Error("unknown template found")
	}
}

func TestManagedPolicy(t *testing.T) {
	for _, tc := range []struct {
		in     string
		ok     bool
		action string // an action the document must grant
	}{
		{"AmazonS3FullAccess", true, "s3:*"},
		{"AWSLambdaBasicExecutionRole", true, "logs:PutLogEvents"},
		{"service-role/AWSLambdaBasicExecutionRole", true, "logs:PutLogEvents"},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true, "logs:PutLogEvents"},
		{"arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBFullAccess", true, "dynamodb:*"},
		{"arn:aws-cn:iam::aws:policy/AdministratorAccess", true, "*"},
		{"amazons3readonlyaccess", true, "s3:Get*"},
		{"NoSuchPolicy", false, ""},
		{"arn:aws:iam::123456789012:policy/Custom", false, ""},
	} {
		doc, ok := ManagedPolicy(tc.in)
		if ok != tc.ok {
			t.Errorf("ManagedPolicy(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && !bytes.Contains(doc, []byte(`"`+tc.action+`"`)) {
			t.Errorf("ManagedPolicy(%q) does not grant %s: %.200s", tc.in, tc.action, doc)
		}
	}
}

func TestGrants(t *testing.T) {
	allow := func(actions []string, targets ...string) model.Statement {
		return model.Statement{Effect: "Allow", Actions: actions, Targets: targets, Origin: "test"}
	}
	key := func(gs []model.Grant) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.Action+"@"+g.Target+"="+g.Access)
		}
		sort.Strings(out)
		return out
	}
	for _, tc := range []struct {
		name  string
		stmts []model.Statement
		want  []string
	}{
		{"exact actions on a target",
			[]model.Statement{allow([]string{"dynamodb:GetItem", "dynamodb:PutItem"}, "Table")},
			[]string{"dynamodb:GetItem@Table=read", "dynamodb:PutItem@Table=write"}},
		{"wildcard expanded, canonical case",
			[]model.Statement{allow([]string{"sqs:sendmessage*"}, "Queue")},
			[]string{"sqs:SendMessage@Queue=write"}},
		{"duplicates collapse",
			[]model.Statement{allow([]string{"s3:GetObject"}, "B"), allow([]string{"s3:GetObject"}, "B")},
			[]string{"s3:GetObject@B=read"}},
		{"no target means any resource",
			[]model.Statement{allow([]string{"sns:Publish"})},
			[]string{"sns:Publish@*=write"}},
		{"unconditional deny removes",
			[]model.Statement{allow([]string{"s3:GetObject", "s3:PutObject"}, "B"),
				{Effect: "Deny", Actions: []string{"s3:Put*"}, Targets: []string{"*"}}},
			[]string{"s3:GetObject@B=read"}},
		{"deny on another target leaves the grant",
			[]model.Statement{allow([]string{"s3:PutObject"}, "B"),
				{Effect: "Deny", Actions: []string{"s3:PutObject"}, Targets: []string{"Other"}}},
			[]string{"s3:PutObject@B=write"}},
		{"conditional deny is not applied",
			[]model.Statement{allow([]string{"s3:PutObject"}, "B"),
				{Effect: "Deny", Actions: []string{"s3:PutObject"}, Condition: true}},
			[]string{"s3:PutObject@B=write"}},
		{"deny with NotAction removes everything else",
			[]model.Statement{allow([]string{"s3:GetObject", "s3:PutObject"}, "B"),
				{Effect: "Deny", NotActions: []string{"s3:Get*"}}},
			[]string{"s3:GetObject@B=read"}},
		{"unknown action kept with the verb's level",
			[]model.Statement{allow([]string{"newsvc:DeleteWidget"}, "*")},
			[]string{"newsvc:DeleteWidget@*=write"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := key(Grants(tc.stmts)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestGrantsNotAction(t *testing.T) {
	gs := Grants([]model.Statement{{Effect: "Allow", NotActions: []string{"iam:*", "s3:*"}, Targets: []string{"*"}}})
	if len(gs) < 10000 {
		t.Fatalf("NotAction granted only %d actions", len(gs))
	}
	seenDynamo := false
	for _, g := range gs {
		if strings.HasPrefix(g.Action, "iam:") || strings.HasPrefix(g.Action, "s3:") {
			t.Fatalf("NotAction granted %s", g.Action)
		}
		seenDynamo = seenDynamo || g.Action == "dynamodb:DeleteTable"
	}
	if !seenDynamo {
		t.Error("NotAction did not grant dynamodb:DeleteTable")
	}
}

func BenchmarkGrantsAdministratorAccess(b *testing.B) {
	stmts := []model.Statement{{Effect: "Allow", Actions: []string{"*"}, Targets: []string{"*"}}}
	Grants(stmts) // load the catalog outside the loop
	b.ResetTimer()
	for b.Loop() {
		Grants(stmts)
	}
}

func BenchmarkExpandServiceWildcard(b *testing.B) {
	ExpandAction("s3:*")
	b.ResetTimer()
	for b.Loop() {
		ExpandAction("s3:Get*")
	}
}

// The catalog is read without decoding at start-up, so prove here that every
// managed policy is a valid JSON policy document.
func TestManagedPoliciesAreValidDocuments(t *testing.T) {
	c := data()
	if len(c.managed) < 1000 {
		t.Fatalf("%d managed policies", len(c.managed))
	}
	for key, doc := range c.managed {
		var d struct {
			Statement json.RawMessage
		}
		if err := json.Unmarshal(doc, &d); err != nil || len(d.Statement) == 0 {
			t.Errorf("%s: not a policy document (%v)", key, err)
		}
	}
}
