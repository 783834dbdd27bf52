package sam

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestShortFormTags(t *testing.T) {
	src := `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      A: !Ref X
      B: !GetAtt T.Arn
      C: !Sub "x"
      D: !If [C, a, b]
      E: !Join ["", [a]]
      F: !Select [0, [a]]
      G: !FindInMap [M, a, b]
      H: !ImportValue x
      I: !Split [",", "a"]
      J: !Base64 x
      K: !Equals [a, b]
      L: !Not [!Condition C]
      M: !And [!Condition C, !Condition D]
      N: !Or [!Condition C, !Condition D]
      O: !Condition C
      P: !Cidr [a, 1, 2]
      Q: !GetAZs ""
`
	tmpl, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "Ref", "B": "Fn::GetAtt", "C": "Fn::Sub", "D": "Fn::If", "E": "Fn::Join", "F": "Fn::Select",
		"G": "Fn::FindInMap", "H": "Fn::ImportValue", "I": "Fn::Split", "J": "Fn::Base64", "K": "Fn::Equals", "L": "Fn::Not",
		"M": "Fn::And", "N": "Fn::Or", "O": "Condition", "P": "Fn::Cidr", "Q": "Fn::GetAZs"}
	p := tmpl.Resource("Fn").Properties
	for key, fn := range want {
		name, _, ok := Intrinsic(Get(p, key))
		if !ok || name != fn {
			t.Errorf("%s: got %q, want %s", key, name, fn)
		}
	}
	if Line(Get(p, "Q")) != 21 {
		t.Errorf("line numbers must be kept: Q at %d", Line(Get(p, "Q")))
	}
}

func TestJSONTemplate(t *testing.T) {
	src := `{
  "Transform": ["AWS::Serverless-2016-10-31"],
  "Parameters": {"P": {"Type": "String", "Default": "v", "NoEcho": true}},
  "Resources": {
    "Fn": {"Type": "AWS::Serverless::Function", "Condition": "C", "DependsOn": "T",
           "Properties": {"Handler": {"Fn::Sub": "${P}.handler"}}},
    "T": {"Type": "AWS::DynamoDB::Table"}
  }
}`
	tmpl, err := Parse("t.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	fn := tmpl.Resource("Fn")
	if !tmpl.IsSAM() || fn.Line != 5 || fn.Condition != "C" || len(fn.DependsOn) != 1 || !tmpl.Parameters[0].NoEcho {
		t.Fatalf("JSON template not read fully: %+v %+v", fn, tmpl.Parameters[0])
	}
	if v := tmpl.Resolve(Get(fn.Properties, "Handler")); v.Text != "v.handler" {
		t.Fatalf("handler: %+v", v)
	}
}

func TestGlobalsMerge(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Layers: [GlobalLayer]
    Environment:
      Variables: {A: global, B: global}
    Tags: {team: x}
  Api:
    Auth: {DefaultAuthorizer: AWS_IAM}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Layers: [OwnLayer]
      Environment:
        Variables: {B: own}
  Plain:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 3}
  Api:
    Type: AWS::Serverless::Api
`
	tmpl, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := tmpl.Resource("Fn").Properties
	checks := map[string]string{
		"Runtime": "python3.12", "Timeout": "30",
		"Environment.Variables.A": "global", "Environment.Variables.B": "own", "Tags.team": "x",
	}
	for path, want := range checks {
		if got := Str(Get(p, strings.Split(path, ".")...)); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	var layers []string
	for _, l := range Items(Get(p, "Layers")) {
		layers = append(layers, l.Value)
	}
	if strings.Join(layers, ",") != "GlobalLayer,OwnLayer" {
		t.Errorf("lists are concatenated, globals first: %v", layers)
	}
	if Get(tmpl.Resource("Plain").Properties, "Runtime") != nil {
		t.Error("Globals must not apply to plain CloudFormation")
	}
	if Str(Get(tmpl.Resource("Api").Properties, "Auth", "DefaultAuthorizer")) != "AWS_IAM" {
		t.Error("Api globals must apply to an Api without Properties")
	}
	// the template's own nodes are untouched
	if Get(tmpl.Resource("Fn").Node, "Properties", "Runtime") != nil {
		t.Error("Globals must be merged into a copy")
	}
}

func TestErrors(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"bad yaml":           {"Resources:\n  A: [\n", "t.yaml:"},
		"not a mapping":      {"- a\n- b\n", "t.yaml:1: template is not a mapping"},
		"resource no type":   {"Resources:\n  A:\n    Properties: {}\n", "t.yaml:2: resource A has no Type"},
		"resources list":     {"Resources:\n  - A\n", "t.yaml:2: Resources must be a mapping"},
		"empty":              {"", "t.yaml: empty template"},
		"globals not dict":   {"Globals: [1]\nResources: {}\n", "t.yaml:1: Globals must be a mapping"},
		"event without type": {"Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E: {Properties: {}}\n", "t.yaml:6: F: event E has no Type"},
		"duplicate key":      {"Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies: []\n      Policies: ['*']\n", "t.yaml:6: duplicate key Resources.F.Properties.Policies (first at line 5)"},
		"duplicate top key":  {"Resources: {}\nOutputs: {A: 1}\nOutputs: {A: 2}\n", "t.yaml:3: duplicate key Outputs (first at line 2)"},
		"duplicate in json":  {`{"Resources": {"A": {"Type": "X", "Type": "Y"}}}`, "t.yaml:1: duplicate key Resources.A.Type"},
		"duplicate resource": {"Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", "t.yaml:3: resource A is defined twice"},
		"binary":             {"Resources:\n  A: \x00\x01", "t.yaml:2: binary data (byte 0x00 at offset 16)"},
		"utf-16 no bom":      {"R\x00e\x00s\x00", "t.yaml:1: UTF-16 text without a byte-order mark"},
		"deep flow":          {"Resources:\n  A: " + strings.Repeat("[", MaxDepth+5), "t.yaml:2: document nested deeper than"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(c.src))
			var se *Error
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want prefix %q", err, c.want)
			}
		})
	}
}

// TestHostileDocuments: alias bombs and deep nesting are refused quickly.
func TestHostileDocuments(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for i, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		_ = i
		fmt.Fprintf(&bomb, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	bomb.WriteString("Resources: {}\n")
	deepFlow := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	for name, src := range map[string]string{
		"billion laughs":    bomb.String(),
		"10k deep flow":     "Resources: " + deepFlow + "\n",
		"10k deep mappings": strings.Repeat("{k: ", 10000) + "v" + strings.Repeat("}", 10000),
		"10k deep block":    "Resources:\n  " + strings.Repeat("- ", 10000) + "x\n",
		"oversized":         strings.Repeat("#", MaxFileSize+1),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("t.yaml", []byte(src))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("want a *sam.Error, got %v", err)
			}
			t.Logf("%v in %v", err, time.Since(start))
		})
	}
}

// TestDuplicateSameValue: a key repeated with the same value (a copied line)
// cannot change the answer and is accepted.
func TestDuplicateSameValue(t *testing.T) {
	src := "Mappings:\n  M:\n    eu-west-3: {AMI: ami-1}\n    eu-west-3: {AMI: ami-1}\nResources: {}\n"
	if _, err := Parse("t.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "missing.yaml: no such file") {
		t.Fatalf("got %v", err)
	}
	_, err = Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("got %v", err)
	}
}

func TestNodeHelpersNilSafe(t *testing.T) {
	if Get(nil, "a") != nil || Items(nil) != nil || Str(nil) != "" || Pairs(nil) != nil || Line(nil) != 0 {
		t.Fatal("helpers must be nil-safe")
	}
	if _, ok := Bool(nil); ok {
		t.Fatal("Bool(nil)")
	}
	if _, ok := Int(nil); ok {
		t.Fatal("Int(nil)")
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: "X", Tag: "!Ref"}
	if Str(n) != "" || RefName(n) != "X" {
		t.Fatal("a tagged scalar is an intrinsic, not a string")
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{intrinsicsTemplate, "Resources: {}", "{\"Resources\": {\"A\": {\"Type\": \"X\"}}}", "a: &a [*a]"} {
		f.Add([]byte(seed))
	}
	if files, err := filepath.Glob(filepath.Join("testdata", "*.yaml")); err == nil {
		for _, p := range files {
			if d, err := os.ReadFile(p); err == nil {
				f.Add(d)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := Parse("fuzz.yaml", data)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *sam.Error: %v", err)
			}
			return
		}
		for _, r := range tmpl.Resources {
			if r.Properties == nil {
				t.Fatal("nil Properties")
			}
			tmpl.Resolve(r.Properties)
		}
	})
}

func FuzzResolve(f *testing.F) {
	for _, seed := range []string{`!Sub "${A.Arn}/*"`, `!Join ["", [!Ref A, !GetAtt A.B]]`, `!If [C, !Select [0, !Split [",", x]], !FindInMap [M, a, b]]`,
		`{"Fn::Sub": ["${x}", {"x": {"Ref": "A"}}]}`, `!Sub "${!x}${"`} {
		f.Add(seed)
	}
	tmpl, err := Parse("t.yaml", []byte(intrinsicsTemplate))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		var n yaml.Node
		if yaml.Unmarshal([]byte(expr), &n) != nil || len(n.Content) == 0 {
			return
		}
		if checkShape("x", n.Content[0]) != nil {
			return
		}
		tmpl.Resolve(n.Content[0])
		tmpl.ResolveList(n.Content[0])
	})
}

func TestLongLinesAreNotNesting(t *testing.T) {
	src := "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Description: |\n        " +
		strings.Repeat("-", 2000) + "\n" + strings.Repeat(" ", 8) + strings.Repeat("=", 500) + "\n"
	if _, err := Parse("t.yaml", []byte(src)); err != nil {
		t.Fatalf("a long rule line in a block scalar is text: %v", err)
	}
}

// TestEmptySections: an empty Parameters section is read with a note; a
// Parameters section of another kind is still refused.
func TestEmptySections(t *testing.T) {
	for _, c := range []struct {
		name, src string
		notes     int
		wantErr   string
	}{
		{"empty parameters", "Parameters:\nResources:\n  Q: {Type: AWS::SQS::Queue}\n", 1, ""},
		{"parameters list", "Parameters: [a]\nResources:\n  Q: {Type: AWS::SQS::Queue}\n", 0, "t.yaml:1: Parameters must be a mapping"},
		{"no parameters", "Resources:\n  Q: {Type: AWS::SQS::Queue}\n", 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := Parse("t.yaml", []byte(c.src))
			if c.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
					t.Fatalf("got %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tmpl.Notes) != c.notes || len(tmpl.Resources) != 1 {
				t.Fatalf("notes %v, resources %d", tmpl.Notes, len(tmpl.Resources))
			}
			if c.notes > 0 && tmpl.Notes[0].Line != 1 {
				t.Errorf("note line %d", tmpl.Notes[0].Line)
			}
		})
	}
}
