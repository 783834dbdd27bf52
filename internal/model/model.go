// Package model holds samthreat's threat model of one serverless application:
// the functions, what triggers them, what they can reach and how, the third
// parties they talk to, and (filled by later stages) blast-radius figures and
// findings. Every element carries the Source it was read from so that reports
// and SARIF can point at the template line.
//
// The JSON encoding of Model is a public contract (`samthreat analyze --format
// json`): keys are only ever added, never renamed or removed.
package model

// Source says where an element was declared.
type Source struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column,omitempty"`
	LogicalID string `json:"logicalId,omitempty"`
}

// Trust boundaries, outermost first.
const (
	BoundaryInternet   = "internet"
	BoundaryAccount    = "aws-account"
	BoundaryVPC        = "vpc"
	BoundaryThirdParty = "third-party"
)

// Edge kinds.
const (
	EdgeTrigger     = "trigger"
	EdgeAccess      = "access"
	EdgeInvoke      = "invoke"
	EdgeOutbound    = "outbound"
	EdgeDestination = "destination"
)

// Access levels, the IAM service authorization reference's five levels.
const (
	AccessRead        = "read"
	AccessWrite       = "write"
	AccessList        = "list"
	AccessTagging     = "tagging"
	AccessPermissions = "permissions"
)

// Model is the threat model of one template.
type Model struct {
	Template     string        `json:"template"`
	Description  string        `json:"description,omitempty"`
	SAM          bool          `json:"sam"`
	Checksum     string        `json:"checksum"` // sha256 of the template bytes
	Functions    []*Function   `json:"functions"`
	Resources    []*Resource   `json:"resources"`
	EntryPoints  []*EntryPoint `json:"entryPoints"`
	ThirdParties []*ThirdParty `json:"thirdParties"`
	Clients      []*Client     `json:"clients"`
	Edges        []*Edge       `json:"edges"`
	Findings     []*Finding    `json:"findings"`
	// Principals are the holders of IAM permissions other than functions:
	// state machines, pipes, schedules, rule targets, API integration roles
	// and every other role of the template (filled by internal/adapt).
	Principals []*Principal `json:"principals,omitempty"`
	// Hardening is the per-application checklist of baseline controls
	// (tracing, retention, code signing...): shown once, not as findings
	// (filled by internal/rules).
	Hardening   []*HardeningControl `json:"hardening,omitempty"`
	Diagnostics []Diagnostic        `json:"diagnostics,omitempty"`
	Summary     Summary             `json:"summary"`
	// TemplateText is the template's text as read, for outputs that quote
	// evidence lines (never serialised; internal/redact masks it before it is
	// shown). Empty for a model decoded from JSON.
	TemplateText string `json:"-"`
	// NoEchoDefaults are the defaults of NoEcho parameters with their lines:
	// secret values the template holds (never serialised; internal/redact
	// masks them in every output).
	NoEchoDefaults []TemplateSecret `json:"-"`
	// Secrets are the secret values the rules found in the template (never
	// serialised): internal/redact masks them in every output.
	Secrets []string `json:"-"`
}

// CodeNotRead is the words every output uses for a function whose code was
// found but that this build of samthreat cannot parse (compiled without cgo,
// which the tree-sitter grammars need); diagnostics about it start with them.
const CodeNotRead = "code not read by this build"

// Diagnostic records something samthreat could not model exactly, so that
// reports can say honestly what was not analysed.
type Diagnostic struct {
	Level   string `json:"level"` // info | warning
	Message string `json:"message"`
	Source  Source `json:"source"`
}

// Function is one Lambda function (AWS::Serverless::Function or AWS::Lambda::Function).
type Function struct {
	ID             string        `json:"id"`
	Type           string        `json:"type"`
	Runtime        string        `json:"runtime,omitempty"`
	Handler        string        `json:"handler,omitempty"`
	CodeURI        string        `json:"codeUri,omitempty"`
	InlineCode     bool          `json:"inlineCode,omitempty"`
	PackageType    string        `json:"packageType,omitempty"` // Zip | Image
	ImageURI       string        `json:"imageUri,omitempty"`
	BuildMethod    string        `json:"buildMethod,omitempty"` // Metadata.BuildMethod (esbuild, makefile, ...)
	EntryPoints    []string      `json:"buildEntryPoints,omitempty"`
	Layers         []string      `json:"layers,omitempty"`
	MemorySize     int           `json:"memorySize,omitempty"`
	Timeout        int           `json:"timeout,omitempty"`
	Architectures  []string      `json:"architectures,omitempty"`
	Environment    []EnvVar      `json:"environment,omitempty"`
	KMSKeyArn      string        `json:"kmsKeyArn,omitempty"`
	VPC            *VPCConfig    `json:"vpc,omitempty"`
	Tracing        string        `json:"tracing,omitempty"`
	ReservedConc   *int          `json:"reservedConcurrency,omitempty"`
	URL            *FunctionURL  `json:"functionUrl,omitempty"`
	Role           string        `json:"role,omitempty"` // logical id of the role in the template, or its ARN
	RoleInTemplate bool          `json:"roleInTemplate,omitempty"`
	Policies       []PolicyRef   `json:"policies,omitempty"`
	Statements     []Statement   `json:"statements,omitempty"` // effective, after expansion
	Grants         []Grant       `json:"grants,omitempty"`     // one per (action, target)
	Granted        []string      `json:"granted"`              // distinct expanded actions, sorted
	DeadLetter     string        `json:"deadLetter,omitempty"`
	Destinations   []string      `json:"destinations,omitempty"`
	CodeSigning    string        `json:"codeSigningConfig,omitempty"`
	LogGroup       string        `json:"logGroup,omitempty"` // logical id of an AWS::Logs::LogGroup for this function, if any
	Events         []Event       `json:"events,omitempty"`
	Condition      string        `json:"condition,omitempty"` // non-empty when the function is conditional
	Suppressions   []Suppression `json:"suppressions,omitempty"`
	Source         Source        `json:"-"`
	File           string        `json:"file"`
	Line           int           `json:"line"`

	// Filled by internal/risk after the rules: one ranking of functions by
	// risk (1 = riskiest), from the worst open finding's severity, the
	// exposure class (public | authenticated | private | internal) and the
	// blast radius; see internal/risk.
	RiskRank      int      `json:"riskRank,omitempty"`
	RiskScore     int      `json:"riskScore,omitempty"`
	Exposure      string   `json:"exposure,omitempty"`
	WorstSeverity Severity `json:"worstSeverity,omitempty"`

	// Filled by the blast stage.
	*Blast
}

// EnvVar is one environment variable. Value is what the template says, with
// intrinsics rendered as ${...}; secrets are masked by renderers, never here,
// so rules can measure them.
type EnvVar struct {
	Name    string   `json:"name"`
	Value   string   `json:"value"`
	Kind    string   `json:"kind"` // literal | ref | dynamic-ref | expression
	Refs    []string `json:"refs,omitempty"`
	Dynamic string   `json:"dynamic,omitempty"` // secretsmanager | ssm | ssm-secure for {{resolve:...}}
	Source  Source   `json:"source"`
	// Masked is set by the rules stage (the last one) when Value held a
	// plaintext secret: Value then carries the masked form, so no renderer
	// can echo the secret.
	Masked bool `json:"masked,omitempty"`
	// Raw is the value as written in the template (never serialised):
	// internal/redact masks it everywhere when Masked is set.
	Raw string `json:"-"`
}

// TemplateSecret is a secret value the template holds and its line.
type TemplateSecret struct {
	Value string
	Line  int
}

// VPCConfig places a function inside a VPC boundary.
type VPCConfig struct {
	SecurityGroups []string `json:"securityGroups,omitempty"`
	Subnets        []string `json:"subnets,omitempty"`
	VPC            string   `json:"vpc,omitempty"` // logical id when it can be traced
}

// FunctionURL is a Lambda function URL (FunctionUrlConfig or AWS::Lambda::Url).
type FunctionURL struct {
	AuthType    string   `json:"authType"`
	CorsOrigins []string `json:"corsOrigins,omitempty"`
	CorsCreds   bool     `json:"corsAllowCredentials,omitempty"`
	Source      Source   `json:"source"`
}

// PolicyRef is one entry of a function's permissions as written.
type PolicyRef struct {
	Kind   string            `json:"kind"` // template | managed | inline | role-inline | role-managed | attached
	Name   string            `json:"name,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	Known  bool              `json:"known"` // false: unknown template/managed policy name (kept, reported)
	Source Source            `json:"source"`
}

// Statement is one IAM statement of a function's effective policy.
type Statement struct {
	Effect       string   `json:"effect"`
	Actions      []string `json:"actions,omitempty"` // as written
	NotActions   []string `json:"notActions,omitempty"`
	Resources    []string `json:"resources,omitempty"` // rendered, ${Logical} for references
	NotResources []string `json:"notResources,omitempty"`
	Targets      []string `json:"targets,omitempty"` // logical ids / external:<service> / *
	Condition    bool     `json:"condition,omitempty"`
	Origin       string   `json:"origin"` // which PolicyRef it came from, e.g. "DynamoDBCrudPolicy"
	Source       Source   `json:"source"`
}

// Grant is one expanded action on one target, after wildcards are expanded.
type Grant struct {
	Action string `json:"action"`
	Access string `json:"access"` // read | write | list | tagging | permissions
	Target string `json:"target"` // logical id, external:<service>, or *
	Origin string `json:"origin"`
	Source Source `json:"source"`
}

// Event is one trigger declared on a function (SAM Events) or wired in plain
// CloudFormation (event source mappings, permissions, subscriptions, rules...).
type Event struct {
	Name   string `json:"name"`
	Type   string `json:"type"`             // Api, HttpApi, S3, SQS, SNS, DynamoDB, Kinesis, Schedule, EventBridgeRule, ...
	Source string `json:"source,omitempty"` // logical id of the node that triggers (resource or entry point)
	Detail string `json:"detail,omitempty"` // e.g. "POST /activities", "rate(5 minutes)"
	Async  bool   `json:"async"`            // invoked asynchronously (S3, SNS, EventBridge, Schedule, ...)
	// ExternalInput is set when the payload can carry data from outside the
	// account (an API request, an object upload, a queue message...), from the
	// trigger catalog (catalogs/triggers.yaml): rules read it instead of
	// keeping their own list of event types.
	ExternalInput bool   `json:"externalInput,omitempty"`
	Condition     string `json:"condition,omitempty"`
	Where         Source `json:"where"`
}

// EntryPoint is how the outside world reaches a function: an API route, a
// function URL, a schedule, a partner event bus rule...
type EntryPoint struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`              // route | function-url | schedule | ...
	API      string `json:"api,omitempty"`     // logical id of the API (implicit: ServerlessRestApi / ServerlessHttpApi)
	APIType  string `json:"apiType,omitempty"` // rest | http | websocket
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	Auth     string `json:"auth"` // NONE, AWS_IAM, COGNITO, JWT, LAMBDA:<name>, API_KEY ...
	Public   bool   `json:"public"`
	Function string `json:"function"`
	HasBody  bool   `json:"hasBody,omitempty"`
	// Integration says what a route without a function integrates with:
	// aws:<service> (a direct AWS service integration), http or mock.
	Integration string `json:"integration,omitempty"`
	// Private is set on routes of a PRIVATE REST API: reachable only through
	// a VPC endpoint (never public, no internet client). AllowedFrom lists
	// who its resource policy lets in (aws:SourceVpce / aws:SourceVpc /
	// aws:SourceIp values), when it says.
	Private     bool     `json:"private,omitempty"`
	AllowedFrom []string `json:"allowedFrom,omitempty"`
	Validated   bool     `json:"validated,omitempty"`
	Condition   string   `json:"condition,omitempty"`
	Source      Source   `json:"source"`
}

// Resource is anything a function can be triggered by or reach: data stores,
// queues, topics, APIs, keys, secrets... External resources (wildcards, ARNs
// outside the template) have External set and ID "external:<service>".
type Resource struct {
	ID           string        `json:"id"`
	Type         string        `json:"type"`
	Kind         string        `json:"kind"`              // table, bucket, queue, topic, stream, bus, statemachine, secret, parameter, key, api, database, cache, search, iot, userpool, function, loggroup, role, pipe, schedule, rule, other
	Service      string        `json:"service,omitempty"` // IAM service prefix: s3, dynamodb...
	External     bool          `json:"external,omitempty"`
	Boundary     string        `json:"boundary"`
	Condition    string        `json:"condition,omitempty"`
	Suppressions []Suppression `json:"suppressions,omitempty"`
	Source       Source        `json:"-"`
	File         string        `json:"file"`
	Line         int           `json:"line"`
}

// ThirdParty is a service outside AWS that the application talks to or hears from.
type ThirdParty struct {
	ID        string         `json:"id"`
	Host      string         `json:"host,omitempty"`
	URL       string         `json:"url,omitempty"`
	Scheme    string         `json:"scheme,omitempty"` // https | http | "" (partner bus, account)
	Kind      ThirdPartyKind `json:"kind"`             // http | partner-event-bus | foreign-account-layer | foreign-account | kafka
	Via       string         `json:"via,omitempty"`    // env var name, parameter, event bus name...
	Functions []string       `json:"functions,omitempty"`
	Source    Source         `json:"source"`
}

// Client is who calls the application from outside.
type Client struct {
	ID       string `json:"id"` // internet | authenticated-users
	Label    string `json:"label"`
	Boundary string `json:"boundary"`
}

// Edge is one data flow.
type Edge struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Kind      string   `json:"kind"` // trigger | access | invoke | outbound | destination
	Access    []string `json:"access,omitempty"`
	Actions   []string `json:"actions,omitempty"`
	Label     string   `json:"label,omitempty"`
	Condition string   `json:"condition,omitempty"`
	Source    Source   `json:"source"`
}

// Suppression is a finding the template owner has declared acceptable.
type Suppression struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Source Source `json:"source"`
}

// Blast holds a function's blast-radius figures (c_f, d_f, r_f) and its
// least-privilege comparison. Filled by internal/blast.
type Blast struct {
	Complexity          int  `json:"complexity"`
	ComplexityEstimated bool `json:"complexityEstimated,omitempty"`
	// ComplexityBasis says how an estimated c_f was chosen (never 1 for
	// unread code when the application has measured functions: the highest
	// c_f measured in it, so an unread function never ranks as the safest).
	ComplexityBasis   string            `json:"complexityBasis,omitempty"`
	CodeFiles         []string          `json:"codeFiles,omitempty"`
	ModuleComplexity  map[string]int    `json:"moduleComplexity,omitempty"` // per code file (a Go package's files share their package's figure on the first file), for merging functions
	Language          string            `json:"language,omitempty"`
	CodeParsed        bool              `json:"codeParsed,omitempty"` // every module of the code parsed
	CodeNote          string            `json:"codeNote,omitempty"`
	Dependencies      int               `json:"dependencies"`
	DependencyNames   []string          `json:"dependencyNames,omitempty"`
	ImportedDeps      []string          `json:"importedDependencies,omitempty"`
	Manifest          string            `json:"manifest,omitempty"`
	ResourceCount     int               `json:"resources"`
	ReachedResources  []string          `json:"reachedResources,omitempty"`
	ResourcesByAccess map[string]int    `json:"resourcesByAccess,omitempty"`
	BlastRadius       int64             `json:"blastRadius"`
	BlastScore        int               `json:"blastScore"` // 0-100, for display
	SDKCalls          []SDKCall         `json:"sdkCalls,omitempty"`
	Endpoints         []CodeEndpoint    `json:"endpoints,omitempty"` // outside endpoints the code names or calls (third parties)
	Used              []string          `json:"used"`
	Unused            []string          `json:"unused"`
	NotGranted        []string          `json:"notGranted,omitempty"`
	SuggestedPolicies []SuggestedPolicy `json:"suggestedPolicies"`

	// CodeNotRead: the code was found but this build of samthreat cannot
	// parse its language (compiled without cgo): the complexity is unknown
	// and no least-privilege comparison was made.
	CodeNotRead bool `json:"codeNotRead,omitempty"`
}

// SDKCall is one AWS SDK call found in a function's code.
type SDKCall struct {
	Service string   `json:"service"` // SDK client, e.g. DynamoDB.DocumentClient
	Method  string   `json:"method"`
	Actions []string `json:"actions"`
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Target  string   `json:"target,omitempty"` // logical id the call reaches, where traceable
}

// CodeEndpoint is an outside endpoint a function's code names or calls: a
// URL or host in a string literal, an HTTP call whose URL comes from an
// environment variable (Env, resolved to the variable's template value), or
// an HTTP call to a URL built at run time (no Host: samthreat cannot know).
type CodeEndpoint struct {
	Host string `json:"host,omitempty"`
	URL  string `json:"url,omitempty"`
	Env  string `json:"env,omitempty"`
	File string `json:"file"`
	Line int    `json:"line"`
	Call bool   `json:"call,omitempty"` // an HTTP client call's argument
}

// SuggestedPolicy is a least-privilege replacement: a SAM policy template
// (Template set) or an inline statement (Statement set).
type SuggestedPolicy struct {
	Template  string            `json:"template,omitempty"`
	Params    map[string]string `json:"params,omitempty"`
	Statement *Statement        `json:"statement,omitempty"`
	SAM       string            `json:"sam"` // ready-to-paste YAML under Policies:
}

// Finding is one risk, mapped to the OWASP Serverless Top Ten.
type Finding struct {
	RuleID         string     `json:"rule"`
	Title          string     `json:"title"`
	OWASP          string     `json:"owasp"` // S1..S10
	STRIDE         []string   `json:"stride,omitempty"`
	Severity       Severity   `json:"severity"` // critical | high | medium | low | info
	Resource       string     `json:"resource"`
	Message        string     `json:"message"`
	Evidence       []Location `json:"evidence"`
	Remediation    string     `json:"remediation,omitempty"`
	Fingerprint    string     `json:"fingerprint"`
	Suppressed     bool       `json:"suppressed,omitempty"`
	SuppressReason string     `json:"suppressReason,omitempty"`
	Triage         *Triage    `json:"triage,omitempty"`
}

// Location is a file:line piece of evidence, in the template or in code.
type Location struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Snippet string `json:"snippet,omitempty"`
	// Sensitive marks a line that holds a secret value: its value is masked
	// in every excerpt (the template text the workbench serves included).
	Sensitive bool `json:"sensitive,omitempty"`
}

// Triage is a reviewer's decision on a finding, kept in the workspace.
type Triage struct {
	Status        string   `json:"status"` // open | needs-investigation | mitigated | accepted | false-positive
	Justification string   `json:"justification,omitempty"`
	Owner         string   `json:"owner,omitempty"`
	Due           string   `json:"due,omitempty"`      // YYYY-MM-DD
	Ticket        string   `json:"ticket,omitempty"`   // issue tracker URL or key
	Severity      Severity `json:"severity,omitempty"` // severity override (the rule's stays in Finding.Severity)
}

// Principal kinds: who assumes a role and acts with its grants.
const (
	PrincipalFunction       = "function"
	PrincipalStateMachine   = "statemachine"
	PrincipalPipe           = "pipe"
	PrincipalSchedule       = "schedule"
	PrincipalRule           = "rule"            // an EventBridge rule's target role
	PrincipalAPIIntegration = "api-integration" // an API Gateway integration's Credentials
	PrincipalTopicRule      = "iot-topic-rule"
	PrincipalRole           = "role" // a role no modelled resource assumes (its trust policy says who can)
)

// Principal is a holder of IAM permissions that is not a function (functions
// carry their own grants): a state machine, pipe, schedule, API integration,
// or any other role of the template. Rules judge its grants like a function's.
type Principal struct {
	ID         string      `json:"id"`   // logical id of the state machine / pipe / API / role
	Kind       string      `json:"kind"` // one of the Principal* kinds
	Role       string      `json:"role,omitempty"`
	AssumedBy  []string    `json:"assumedBy,omitempty"` // service principals of the trust policy (states.amazonaws.com, ...)
	Policies   []PolicyRef `json:"policies,omitempty"`
	Statements []Statement `json:"statements,omitempty"`
	Grants     []Grant     `json:"grants,omitempty"`
	Granted    []string    `json:"granted"`
	Source     Source      `json:"source"`
}

// HardeningControl is one baseline control (a hardening rule) with the
// resources it applies to, covered or not: a checklist row, not a threat.
type HardeningControl struct {
	RuleID   string            `json:"rule"`
	Title    string            `json:"title"`
	OWASP    string            `json:"owasp"`
	Severity Severity          `json:"severity"` // what it would be if raised to a threat
	Covered  []string          `json:"covered"`  // resources that have the control
	Missing  []HardeningGap    `json:"missing"`  // resources that lack it
	Remedy   string            `json:"remediation,omitempty"`
	Extra    map[string]string `json:"extra,omitempty"`
}

// HardeningGap is one resource lacking a hardening control.
type HardeningGap struct {
	Resource    string   `json:"resource"`
	Message     string   `json:"message"`
	Evidence    Location `json:"evidence"`
	Fingerprint string   `json:"fingerprint"`
	Suppressed  bool     `json:"suppressed,omitempty"`
	// SuppressReason is the template owner's reason, as for findings.
	SuppressReason string `json:"suppressReason,omitempty"`
}

// Summary holds the application figures.
type Summary struct {
	Functions       int            `json:"functions"`
	Resources       int            `json:"resources"`
	EntryPoints     int            `json:"entryPoints"`
	ThirdParties    int            `json:"thirdParties"`
	Edges           int            `json:"edges"`
	Principals      int            `json:"principals,omitempty"` // holders of IAM permissions other than functions
	CodeFound       int            `json:"codeFound"`
	CodeParsed      int            `json:"codeParsed"`
	AttackSurface   int64          `json:"attackSurface,omitempty"`
	MonolithImpact  int64          `json:"monolithImpact,omitempty"`
	SplitImpact     int64          `json:"splitImpact,omitempty"`
	FindingsBySev   map[string]int `json:"findingsBySeverity,omitempty"`
	FindingsByOWASP map[string]int `json:"findingsByOwasp,omitempty"`
	// HardeningControls is how many baseline controls apply to the
	// application; HardeningGaps how many resources lack one (suppressed
	// gaps excluded). Findings count threats only.
	HardeningControls int `json:"hardeningControls,omitempty"`
	HardeningGaps     int `json:"hardeningGaps,omitempty"`

	CodeNotRead int `json:"codeNotRead,omitempty"` // functions whose code this build cannot parse (no cgo)
	// ComplexityEstimated counts the functions whose c_f is an estimate (their
	// code was not found or not parsed): the application figures include them.
	ComplexityEstimated int `json:"complexityEstimated,omitempty"`
}
