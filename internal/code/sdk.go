package code

import (
	"strings"
	"sync"
	"unicode"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
)

// sdkIndex answers "which SDK service is this name in this language" and
// "which IAM actions does this method need", from the embedded catalog.
type sdkIndex struct {
	byLang map[string]map[string]*catalogs.SDKService // lang -> lower-case name -> service
	byID   map[string]*catalogs.SDKService
	ignore map[string]bool
	stdlib map[string]map[string]bool
	err    error
}

var (
	sdkOnce sync.Once
	sdk     sdkIndex
)

func index() *sdkIndex {
	sdkOnce.Do(func() {
		sdk = sdkIndex{byLang: map[string]map[string]*catalogs.SDKService{}, byID: map[string]*catalogs.SDKService{},
			ignore: map[string]bool{}, stdlib: map[string]map[string]bool{}}
		c, err := catalogs.SDK()
		if err != nil {
			sdk.err = err
			return
		}
		for _, s := range c.Services {
			sdk.byID[s.ID] = s
			for lang, names := range s.Names {
				if sdk.byLang[lang] == nil {
					sdk.byLang[lang] = map[string]*catalogs.SDKService{}
				}
				for _, n := range names {
					sdk.byLang[lang][strings.ToLower(n)] = s
				}
			}
		}
		for _, m := range c.Ignore {
			sdk.ignore[m] = true
		}
		for lang, names := range c.Stdlib {
			sdk.stdlib[lang] = map[string]bool{}
			for _, n := range names {
				sdk.stdlib[lang][n] = true
			}
		}
	})
	return &sdk
}

// service finds the catalog entry for an SDK name in a language.
func (ix *sdkIndex) service(lang, name string) *catalogs.SDKService {
	return ix.byLang[lang][strings.ToLower(name)]
}

// Service returns the catalog entry with the id (nil when unknown).
func Service(id string) *catalogs.SDKService { return index().byID[id] }

// actions maps a call of method (as written in any SDK's casing) on a service
// to IAM actions; ok is false when the method is not an API call.
func (ix *sdkIndex) actions(s *catalogs.SDKService, method string) (api string, actions []string, ok bool) {
	m := Pascal(method)
	if m == "" {
		return "", nil, false
	}
	if acts, ok := s.Methods[m]; ok {
		return m, acts, true
	}
	// Suffixes some SDKs add to the API name: .NET's Async, Go v1's
	// WithContext/Request/Pages, JS v2's Promise.
	for _, suf := range []string{"WithContext", "Async", "Request", "PagesWithContext", "Pages", "Promise"} {
		if base := strings.TrimSuffix(m, suf); base != m && base != "" {
			if acts, ok := s.Methods[base]; ok {
				return base, acts, true
			}
			if !s.Strict && !ix.ignore[base] {
				m = base
				break
			}
		}
	}
	if s.Strict || ix.ignore[m] {
		return "", nil, false
	}
	// The default mapping (<iam>:<Method>) names an IAM action only when the
	// IAM catalog knows it: a client helper or an SDK-specific variant with
	// no entry in `methods` is kept as a call with no action, never as an
	// invented one (the least-privilege comparison then says nothing of it).
	if a, ok := iam.Canonical(s.IAM + ":" + m); ok {
		return m, []string{a}, true
	}
	return m, nil, true
}

// Pascal turns putObject, put_object, PutObject, put-object into PutObject.
func Pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '_' || r == '-' || r == ' ' {
			up = true
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return ""
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramKey normalises a request key for comparison: TableName, tableName,
// table_name and TABLE_NAME are one key.
func paramKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// isResourceParam reports whether key names the service's resource.
func isResourceParam(s *catalogs.SDKService, key string) (string, bool) {
	k := paramKey(key)
	for _, p := range s.ResourceParams {
		if paramKey(p) == k {
			return p, true
		}
	}
	return "", false
}

// isPresign names the helpers that take the API name as a string
// (s3.getSignedUrl('putObject', ...), generate_presigned_url('put_object', ...)).
func isPresign(method string) bool {
	switch Pascal(method) {
	case "GetSignedUrl", "GetSignedUrlPromise", "GeneratePresignedUrl", "GeneratePresignedPost":
		return true
	}
	return false
}

// presignedMethod: generate_presigned_post is always a PutObject.
func presignedMethod(helper, arg string) string {
	if Pascal(helper) == "GeneratePresignedPost" {
		return "PutObject"
	}
	return arg
}
