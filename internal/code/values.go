package code

import (
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/safefs"
)

// What an expression evaluates to, as far as SDK detection cares.
type valKind int

const (
	vNone     valKind = iota
	vSDK              // the SDK namespace: require('aws-sdk'), boto3, Aws
	vPkg              // a v3 package namespace (@aws-sdk/client-s3)
	vClass            // an SDK client class (AWS.S3, S3Client)
	vClient           // a client instance
	vCommand          // a v3 command class (PutObjectCommand)
	vResource         // a boto3 resource factory (boto3.resource('s3'))
	vPresign          // @aws-sdk/s3-request-presigner getSignedUrl
	vEnv              // the environment map (process.env, os.environ, ENV)
)

type val struct {
	kind   valKind
	svc    *catalogs.SDKService
	method string // vCommand: the API name
	client string // how the client was written
	refs   []Ref  // resources bound at construction (boto3 Table(name), Bucket(name))
}

// collector gathers one module's findings.
type collector struct {
	fs       *safefs.FS // what the analysis may read: imports are resolved through it
	path     string
	calls    []Call
	packages map[string]bool
	local    map[string]bool
}

func newCollector(fsys *safefs.FS, path string) *collector {
	return &collector{fs: fsys, path: path, packages: map[string]bool{}, local: map[string]bool{}}
}

func (c *collector) call(v val, method string, line int, refs []Ref) {
	if v.svc == nil {
		return
	}
	api, acts, ok := index().actions(v.svc, method)
	if !ok {
		return
	}
	refs = append(append([]Ref(nil), v.refs...), refs...)
	c.calls = append(c.calls, Call{Service: v.svc.ID, Client: v.client, Method: api, Actions: append([]string(nil), acts...),
		File: c.path, Line: line, Refs: dedupeRefs(refs)})
}

func (c *collector) module(m *module) *module {
	m.calls = c.calls
	for p := range c.packages {
		m.packages = append(m.packages, p)
	}
	sort.Strings(m.packages)
	for p := range c.local {
		m.local = append(m.local, p)
	}
	sort.Strings(m.local)
	return m
}

func dedupeRefs(refs []Ref) []Ref {
	var out []Ref
	seen := map[Ref]bool{}
	for _, r := range refs {
		if r.Env == "" && r.Literal == "" || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}

// literalPattern renders a string with run-time parts as * ("freshtracks/*").
func literalPattern(parts []string) string {
	s := strings.Join(parts, "")
	for strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "*")
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
