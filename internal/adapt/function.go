package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// function models an AWS::Serverless::Function or AWS::Lambda::Function from
// its properties (Globals already applied by the loader).
func (b *builder) function(r *sam.Resource) *model.Function {
	p := r.Properties
	t := b.t
	f := &model.Function{ID: r.ID, Type: r.Type, Condition: r.Condition, File: t.File, Line: r.Line,
		Source:       model.Source{File: t.File, Line: r.Line, Column: r.Column, LogicalID: r.ID},
		Suppressions: b.suppressions(r.Metadata), Granted: []string{}}
	str := func(key string) string { return t.Resolve(sam.Get(p, key)).Text }
	f.Runtime = str("Runtime")
	f.Handler = str("Handler")
	f.PackageType = str("PackageType")
	b.functionCode(f, r)
	f.MemorySize = b.intProp(p, "MemorySize")
	f.Timeout = b.intProp(p, "Timeout")
	for _, a := range t.ResolveList(sam.Get(p, "Architectures")) {
		f.Architectures = append(f.Architectures, a.Text)
	}
	f.Environment = b.environment(r.ID, sam.Get(p, "Environment", "Variables"))
	if k := sam.Get(p, "KmsKeyArn"); k != nil {
		f.KMSKeyArn = t.Resolve(k).Text
	}
	f.VPC = b.vpcConfig(sam.Get(p, "VpcConfig"))
	b.functionSettings(f, r)
	return f
}

// functionCode reads where the function's code is: CodeUri/InlineCode (SAM),
// Code (plain CloudFormation), the image and its Docker context, the build
// method and entry points, the layers.
func (b *builder) functionCode(f *model.Function, r *sam.Resource) {
	p := r.Properties
	t := b.t
	if img := sam.Get(p, "ImageUri"); img != nil {
		f.ImageURI = t.Resolve(img).Text
	}
	if r.Type == "AWS::Serverless::Function" {
		b.samCode(f, p)
	} else {
		b.cfnCode(f, sam.Get(p, "Code"))
	}
	if f.PackageType == "" && f.ImageURI != "" {
		f.PackageType = "Image"
	}
	if f.ImageURI != "" && f.CodeURI == "" {
		f.CodeURI = sam.Str(sam.Get(r.Metadata, "DockerContext"))
	}
	f.BuildMethod = sam.Str(sam.Get(r.Metadata, "BuildMethod"))
	for _, e := range sam.Items(sam.Get(r.Metadata, "BuildProperties", "EntryPoints")) {
		if s := sam.Str(e); s != "" {
			f.EntryPoints = append(f.EntryPoints, s)
		}
	}
	for _, l := range t.ResolveList(sam.Get(p, "Layers")) {
		f.Layers = append(f.Layers, l.Text)
	}
}

// samCode reads an AWS::Serverless::Function's CodeUri (a path or an S3
// location) and InlineCode.
func (b *builder) samCode(f *model.Function, p *yaml.Node) {
	t := b.t
	code := sam.Get(p, "CodeUri")
	switch {
	case code != nil && code.Kind == yaml.MappingNode && !sam.IsIntrinsic(code):
		bucket := t.Resolve(sam.Get(code, "Bucket")).Text
		key := t.Resolve(sam.Get(code, "Key")).Text
		f.CodeURI = "s3://" + bucket + "/" + key
	case code != nil:
		f.CodeURI = t.Resolve(code).Text
	}
	if sam.Get(p, "InlineCode") != nil {
		f.InlineCode = true
	}
}

// cfnCode reads an AWS::Lambda::Function's Code.
func (b *builder) cfnCode(f *model.Function, code *yaml.Node) {
	t := b.t
	if sam.Get(code, "ZipFile") != nil {
		f.InlineCode = true
	} else if img := sam.Get(code, "ImageUri"); img != nil {
		f.ImageURI = t.Resolve(img).Text
	} else if bucket := sam.Get(code, "S3Bucket"); bucket != nil {
		f.CodeURI = "s3://" + t.Resolve(bucket).Text + "/" + t.Resolve(sam.Get(code, "S3Key")).Text
	} else if code != nil && code.Kind == yaml.ScalarNode {
		f.CodeURI = t.Resolve(code).Text // a local path packaged by `aws cloudformation package`
	}
}

// intProp reads an integer property, literal or resolved (a parameter's
// default); 0 when it is absent or not a number.
func (b *builder) intProp(p *yaml.Node, key string) int {
	n, _ := sam.Int(sam.Get(p, key))
	if n == 0 {
		if v := b.t.Resolve(sam.Get(p, key)); v.Known {
			n, _ = atoi(v.Text)
		}
	}
	return n
}

// vpcConfig reads VpcConfig (security groups, subnets and the VPC of the
// first subnet declared in the template); nil when it names neither.
func (b *builder) vpcConfig(vpc *yaml.Node) *model.VPCConfig {
	t := b.t
	if vpc == nil || vpc.Kind != yaml.MappingNode {
		return nil
	}
	vc := &model.VPCConfig{}
	for _, v := range t.ResolveList(sam.Get(vpc, "SecurityGroupIds")) {
		vc.SecurityGroups = append(vc.SecurityGroups, v.Text)
	}
	for _, v := range t.ResolveList(sam.Get(vpc, "SubnetIds")) {
		vc.Subnets = append(vc.Subnets, v.Text)
		for _, ref := range v.Refs {
			if sn := t.Resource(ref.ID); sn != nil && sn.Type == "AWS::EC2::Subnet" && vc.VPC == "" {
				if vv := t.Resolve(sam.Get(sn.Properties, "VpcId")); len(vv.Refs) > 0 {
					vc.VPC = vv.Refs[0].ID
				}
			}
		}
	}
	if len(vc.SecurityGroups)+len(vc.Subnets) == 0 {
		return nil
	}
	return vc
}

// functionSettings reads tracing, reserved concurrency, the function URL,
// code signing, the dead-letter target, the role and the log group.
func (b *builder) functionSettings(f *model.Function, r *sam.Resource) {
	p := r.Properties
	t := b.t
	if tr := sam.Get(p, "Tracing"); tr != nil {
		f.Tracing = t.Resolve(tr).Text
	} else if tr := sam.Get(p, "TracingConfig", "Mode"); tr != nil {
		f.Tracing = t.Resolve(tr).Text
	}
	if rc, ok := sam.Int(sam.Get(p, "ReservedConcurrentExecutions")); ok {
		f.ReservedConc = &rc
	}
	if u := sam.Get(p, "FunctionUrlConfig"); u != nil && u.Kind == yaml.MappingNode {
		f.URL = b.functionURL(r.ID, u)
	}
	if cs := sam.Get(p, "CodeSigningConfigArn"); cs != nil {
		f.CodeSigning = t.Resolve(cs).Text
	}
	if dlq := sam.Get(p, "DeadLetterQueue"); dlq != nil {
		f.DeadLetter = t.Resolve(sam.Get(dlq, "TargetArn")).Text
	} else if dlq := sam.Get(p, "DeadLetterConfig", "TargetArn"); dlq != nil {
		f.DeadLetter = t.Resolve(dlq).Text
	}
	b.functionRole(f, sam.Get(p, "Role"))
	if lg := sam.Get(p, "LoggingConfig", "LogGroup"); lg != nil {
		if v := t.Resolve(lg); len(v.Refs) > 0 {
			f.LogGroup = v.Refs[0].ID
		}
	}
}

// functionRole reads Role: the logical id of an AWS::IAM::Role in the
// template, or the ARN as written.
func (b *builder) functionRole(f *model.Function, role *yaml.Node) {
	if role == nil {
		return
	}
	v := b.t.Resolve(role)
	f.Role = v.Text
	for _, ref := range v.Refs {
		if rr := b.t.Resource(ref.ID); rr != nil && rr.Type == "AWS::IAM::Role" {
			f.Role, f.RoleInTemplate = ref.ID, true
			break
		}
	}
}

func atoi(s string) (int, bool) {
	n := 0
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// environment reads Environment.Variables.
func (b *builder) environment(id string, vars *yaml.Node) []model.EnvVar {
	var out []model.EnvVar
	for _, kv := range sam.Pairs(vars) {
		v := b.t.Resolve(kv.Value)
		ev := model.EnvVar{Name: kv.Key, Value: v.Text, Raw: sam.Str(kv.Value), Dynamic: v.Dynamic, Source: b.src(kv.KeyN, id)}
		for _, r := range v.Refs {
			ref := r.ID
			if r.Attr != "" {
				ref += "." + r.Attr
			}
			ev.Refs = append(ev.Refs, ref)
		}
		switch {
		case v.Dynamic != "":
			ev.Kind = "dynamic-ref"
		case !sam.IsIntrinsic(kv.Value):
			ev.Kind = "literal"
		case v.IsRef() || isPlainRef(kv.Value):
			ev.Kind = "ref"
		default:
			ev.Kind = "expression"
		}
		out = append(out, ev)
	}
	return out
}

func isPlainRef(n *yaml.Node) bool {
	name, _, ok := sam.Intrinsic(n)
	return ok && (name == "Ref" || name == "Fn::GetAtt" || name == "Fn::ImportValue")
}

// functionURL reads FunctionUrlConfig / AWS::Lambda::Url properties.
func (b *builder) functionURL(id string, u *yaml.Node) *model.FunctionURL {
	fu := &model.FunctionURL{AuthType: strings.ToUpper(b.t.Resolve(sam.Get(u, "AuthType")).Text), Source: b.src(u, id)}
	for _, o := range b.t.ResolveList(sam.Get(u, "Cors", "AllowOrigins")) {
		fu.CorsOrigins = append(fu.CorsOrigins, o.Text)
	}
	fu.CorsCreds, _ = sam.Bool(sam.Get(u, "Cors", "AllowCredentials"))
	return fu
}
