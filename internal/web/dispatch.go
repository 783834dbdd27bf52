package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// API calls the exported methods of bound services by name, with JSON
// arguments, the way Wails calls them from the desktop frontend: each method
// is written once (in app/) and reached from both.
type API struct {
	services map[string]map[string]reflect.Value // service -> method -> bound method value
}

var errorType = reflect.TypeFor[error]()

// NewAPI binds every exported method of each service (a pointer to a
// struct). A method whose signature cannot cross JSON is a programming
// error reported here, not at call time.
func NewAPI(services ...any) (*API, error) {
	a := &API{services: map[string]map[string]reflect.Value{}}
	for _, svc := range services {
		v := reflect.ValueOf(svc)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("bind: %T is not a pointer to a struct", svc)
		}
		name := v.Elem().Type().Name()
		methods := map[string]reflect.Value{}
		t := v.Type()
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			if err := checkSignature(m.Type); err != nil {
				return nil, fmt.Errorf("bind %s.%s: %w", name, m.Name, err)
			}
			methods[m.Name] = v.Method(i)
		}
		a.services[name] = methods
	}
	return a, nil
}

func checkSignature(t reflect.Type) error {
	for i := 1; i < t.NumIn(); i++ { // 0 is the receiver
		if !jsonable(t.In(i)) {
			return fmt.Errorf("argument %d (%s) cannot be decoded from JSON", i, t.In(i))
		}
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if t.Out(0) != errorType && !jsonable(t.Out(0)) {
			return fmt.Errorf("result %s cannot be encoded as JSON", t.Out(0))
		}
	case 2:
		if t.Out(1) != errorType {
			return errors.New("the second result must be an error")
		}
		if !jsonable(t.Out(0)) {
			return fmt.Errorf("result %s cannot be encoded as JSON", t.Out(0))
		}
	default:
		return errors.New("more than two results")
	}
	return nil
}

func jsonable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return jsonable(t.Elem())
	case reflect.Map:
		return jsonable(t.Elem())
	}
	return true
}

// Methods lists "Service.Method" names, sorted.
func (a *API) Methods() []string {
	var out []string
	for s, ms := range a.services {
		for m := range ms {
			out = append(out, s+"."+m)
		}
	}
	sort.Strings(out)
	return out
}

// CallError is a failed call: Status is the HTTP status to answer with.
type CallError struct {
	Status int
	Msg    string
}

func (e *CallError) Error() string { return e.Msg }

// Call runs service.method with the JSON array body as arguments and
// returns the result to encode. A panic in the method becomes an error.
func (a *API) Call(service, method string, body []byte) (result any, err error) {
	ms, ok := a.services[service]
	if !ok {
		return nil, &CallError{404, fmt.Sprintf("no service %q", service)}
	}
	fn, ok := ms[method]
	if !ok {
		return nil, &CallError{404, fmt.Sprintf("no method %s.%s", service, method)}
	}
	t := fn.Type()
	var raw []json.RawMessage
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("[]")
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, &CallError{400, fmt.Sprintf("%s: the body must be a JSON array of arguments: %v", method, oneLine(err.Error()))}
	}
	if len(raw) != t.NumIn() {
		return nil, &CallError{400, fmt.Sprintf("%s takes %d argument(s), got %d", method, t.NumIn(), len(raw))}
	}
	args := make([]reflect.Value, t.NumIn())
	for i := range raw {
		p := reflect.New(t.In(i))
		dec := json.NewDecoder(bytes.NewReader(raw[i]))
		if err := dec.Decode(p.Interface()); err != nil {
			return nil, &CallError{400, fmt.Sprintf("%s: argument %d: want %s: %v", method, i+1, jsType(t.In(i)), oneLine(err.Error()))}
		}
		args[i] = p.Elem()
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = nil, &CallError{500, fmt.Sprintf("%s: internal error: %v", method, r)}
		}
	}()
	out := fn.Call(args)
	if n := len(out); n > 0 && t.Out(n-1) == errorType {
		if e, _ := out[n-1].Interface().(error); e != nil {
			return nil, e
		}
		out = out[:n-1]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0].Interface(), nil
}

func jsType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// oneLine folds an error message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
