package sam

import "gopkg.in/yaml.v3"

// intrinsic is how one CloudFormation intrinsic function resolves. eval
// renders it where a value is expected (n is the whole expression, arg its
// argument); list, when set, gives its items where a list is expected (ok
// false: the expression is resolved as one value instead).
type intrinsic struct {
	eval func(r *resolver, n, arg *yaml.Node) string
	list func(t *Template, arg *yaml.Node, vars map[string]*yaml.Node) (out []Value, ok bool)
}

// intrinsics holds one entry per intrinsic function, each in its own file
// fn_<name>.go with its own test; a function not listed (conditions such as
// Fn::Equals, or one CloudFormation adds) resolves to an unknown ${Name}.
// Filled in init because the functions call eval, which reads the table.
var intrinsics map[string]intrinsic

func init() {
	intrinsics = map[string]intrinsic{
		"Ref":              {eval: evalRef, list: listRef},
		"Fn::GetAtt":       {eval: evalGetAtt},
		"Fn::Sub":          {eval: evalSub},
		"Fn::Join":         {eval: evalJoin},
		"Fn::Select":       {eval: evalSelect},
		"Fn::Split":        {eval: evalSplit, list: listSplit},
		"Fn::Base64":       {eval: evalBase64},
		"Fn::If":           {eval: evalIf, list: listIf},
		"Fn::FindInMap":    {eval: evalFindInMap},
		"Fn::ImportValue":  {eval: evalImportValue},
		"Fn::GetAZs":       {eval: evalGetAZs},
		"Fn::Cidr":         {eval: evalCidr},
		"Fn::ToJsonString": {eval: evalToJsonString},
	}
}
