package catalogs

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The AWS SDK catalog: which SDK clients exist in each language, what IAM
// actions their methods need and how to scope a statement to the resources
// they reach. Read by internal/code (detection) and internal/blast
// (least privilege).

//go:embed sdk/services.yaml
var sdkServicesYAML []byte

//go:embed sdk/stdlib.yaml
var stdlibYAML []byte

//go:embed sdk/runtime.yaml
var runtimeActionsYAML []byte

// RuntimeActions are the actions the Lambda service needs from a function's
// role (logs, tracing, VPC networking, event source polling, destinations).
type RuntimeActions struct {
	Always       []string            `yaml:"always"`
	Tracing      []string            `yaml:"tracing"`
	VPC          []string            `yaml:"vpc"`
	Events       map[string][]string `yaml:"events"`
	Destinations map[string][]string `yaml:"destinations"`
}

// SDKService is one AWS SDK client (or a higher-level helper such as the
// DynamoDB document client) and the IAM knowledge attached to it.
type SDKService struct {
	ID             string              `yaml:"id"`
	IAM            string              `yaml:"iam"`
	Strict         bool                `yaml:"strict,omitempty"` // only the listed methods are API calls
	Names          map[string][]string `yaml:"names"`
	ResourceParams []string            `yaml:"resourceParams,omitempty"`
	TemplateParam  *TemplateParam      `yaml:"templateParam,omitempty"`
	ARNs           []string            `yaml:"arns,omitempty"`
	LiteralARNs    []string            `yaml:"literalArns,omitempty"`
	WildcardOnly   []string            `yaml:"wildcardOnly,omitempty"`
	Methods        map[string][]string `yaml:"methods,omitempty"`
}

// TemplateParam is the SAM policy-template parameter that names a resource of
// the service, and the value that fills it ({id}: the resource's logical id).
type TemplateParam struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

// SDKLanguages are the keys of SDKService.Names.
var SDKLanguages = []string{"js", "jsv3", "python", "go", "java", "ruby", "dotnet"}

// Validate checks one entry; messages start with its id.
func (s *SDKService) Validate() error {
	if s.ID == "" || s.IAM == "" {
		return fmt.Errorf("%q: id and iam are required", s.ID)
	}
	for lang := range s.Names {
		if !slices.Contains(SDKLanguages, lang) {
			return fmt.Errorf("%s: unknown language %q in names", s.ID, lang)
		}
	}
	if len(s.Names) == 0 {
		return fmt.Errorf("%s: no SDK names", s.ID)
	}
	for m, acts := range s.Methods {
		if m == "" || strings.ToUpper(m[:1]) != m[:1] {
			return fmt.Errorf("%s: method %q must be PascalCase", s.ID, m)
		}
		for _, a := range acts {
			if !strings.Contains(a, ":") {
				return fmt.Errorf("%s: method %s: action %q is not service:Action", s.ID, m, a)
			}
		}
	}
	if s.Strict && len(s.Methods) == 0 {
		return fmt.Errorf("%s: strict without methods", s.ID)
	}
	if s.TemplateParam != nil && (s.TemplateParam.Name == "" || !strings.Contains(s.TemplateParam.Value, "{id}")) {
		return fmt.Errorf("%s: templateParam needs a name and a value with {id}", s.ID)
	}
	for _, a := range s.ARNs {
		if !strings.Contains(a, "{id}") {
			return fmt.Errorf("%s: arn %q has no {id}", s.ID, a)
		}
	}
	for _, a := range s.LiteralARNs {
		if !strings.Contains(a, "{value}") {
			return fmt.Errorf("%s: literal arn %q has no {value}", s.ID, a)
		}
	}
	return nil
}

// SDKCatalog is the decoded catalog.
type SDKCatalog struct {
	Ignore   []string      `yaml:"ignore"`
	Services []*SDKService `yaml:"services"`
	// Stdlib lists standard-library modules per language (python, node).
	Stdlib map[string][]string `yaml:"-"`
	// Runtime lists what the Lambda service itself needs from the role.
	Runtime RuntimeActions `yaml:"-"`
}

// Baseline reports whether an action is part of what the Lambda service needs
// from every function's role on "*" (its logs, X-Ray traces, VPC network
// interfaces): SAM grants these itself, so they say nothing about what a
// function's code can reach.
func (r RuntimeActions) Baseline(action string) bool {
	for _, list := range [][]string{r.Always, r.Tracing, r.VPC} {
		for _, a := range list {
			if strings.EqualFold(a, action) {
				return true
			}
		}
	}
	return false
}

var (
	sdkOnce sync.Once
	sdkCat  *SDKCatalog
	sdkErr  error
)

func loadSDK() {
	var c SDKCatalog
	dec := yaml.NewDecoder(bytes.NewReader(sdkServicesYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		sdkErr = fmt.Errorf("sdk/services.yaml: %w", err)
		return
	}
	ids := map[string]bool{}
	for _, s := range c.Services {
		if err := s.Validate(); err != nil {
			sdkErr = fmt.Errorf("sdk/services.yaml: %w", err)
			return
		}
		if ids[s.ID] {
			sdkErr = fmt.Errorf("sdk/services.yaml: %s: duplicate id", s.ID)
			return
		}
		ids[s.ID] = true
	}
	dec = yaml.NewDecoder(bytes.NewReader(stdlibYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&c.Stdlib); err != nil {
		sdkErr = fmt.Errorf("sdk/stdlib.yaml: %w", err)
		return
	}
	dec = yaml.NewDecoder(bytes.NewReader(runtimeActionsYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&c.Runtime); err != nil {
		sdkErr = fmt.Errorf("sdk/runtime.yaml: %w", err)
		return
	}
	if len(c.Runtime.Always) == 0 {
		sdkErr = fmt.Errorf("sdk/runtime.yaml: always: empty")
		return
	}
	sdkCat = &c
}

// SDK returns the SDK catalog, decoded and validated on first use.
func SDK() (*SDKCatalog, error) {
	sdkOnce.Do(loadSDK)
	return sdkCat, sdkErr
}
