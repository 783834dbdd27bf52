package code

// Flows of the handler's event through one module, for the rules of issue 16
// (sensitive data written to logs; injection into SQL, DynamoDB expressions,
// message JSON, IoT topics, URLs and file paths). Added by the recall helper
// (internal/rules/checks reads it); the walk is in taint.go.

// Taint kinds: how much of the event a value carries.
const (
	// TaintWhole is the event itself or one of its containers (body,
	// Records, detail, headers...), parsed or not.
	TaintWhole = "whole"
	// TaintDerived is what a call returned when given event values (an
	// object read with a key from the event, a model's answer...).
	TaintDerived = "derived"
	// TaintField is one field of the event (event["url"], body.prompt).
	TaintField = "field"
)

// Sink kinds.
const (
	SinkLog     = "log"      // print, console.log, logger.info...
	SinkURL     = "url"      // requests.get, fetch, axios, http.request...
	SinkPath    = "path"     // open(), Path.open, fs.writeFile...
	SinkSQL     = "sql"      // cursor.execute, execute_statement, ExecuteStatementCommand
	SinkDDBExpr = "dynamodb" // FilterExpression, UpdateExpression... built from strings
	SinkMessage = "message"  // Message/MessageBody/Input built as a string
	SinkTopic   = "iot-topic"
)

// Flow is one call where a value from the event reaches a sink.
type Flow struct {
	Sink   string `json:"sink"`
	Callee string `json:"callee"` // as written: "print", "requests.get", "cursor.execute"
	Line   int    `json:"line"`
	Kind   string `json:"kind"`   // Taint* of the value that arrives
	Value  string `json:"value"`  // the argument's source text (trimmed)
	Built  bool   `json:"built"`  // the argument is built by concatenation, formatting or a template
	Source string `json:"source"` // the event name the value comes from
}
