package web

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type pair struct {
	A int    `json:"a"`
	B string `json:"b"`
}

type fakeService struct{ calls int }

func (s *fakeService) Nothing()                            { s.calls++ }
func (s *fakeService) Hello() string                       { return "hello" }
func (s *fakeService) Add(a, b int64) int64                { return a + b }
func (s *fakeService) Join(xs []string, sep string) string { return strings.Join(xs, sep) }
func (s *fakeService) Pair(p pair) (*pair, error)          { p.A++; return &p, nil }
func (s *fakeService) Fail(msg string) (string, error)     { return "", errors.New(msg) }
func (s *fakeService) OnlyErr(fail bool) error {
	if fail {
		return errors.New("failed\non two lines")
	}
	return nil
}
func (s *fakeService) Boom() string { panic("kaboom") }

func TestDispatch(t *testing.T) {
	svc := &fakeService{}
	api, err := NewAPI(svc)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, body string
		want         string // JSON of the result
		status       int    // for errors
		errPart      string
	}{
		{"Hello", "[]", `"hello"`, 0, ""},
		{"Hello", "", `"hello"`, 0, ""},
		{"Nothing", "[]", `null`, 0, ""},
		{"Add", "[2, 40]", `42`, 0, ""},
		{"Join", `[["a","b"], "+"]`, `"a+b"`, 0, ""},
		{"Pair", `[{"a":1,"b":"x"}]`, `{"a":2,"b":"x"}`, 0, ""},
		{"OnlyErr", "[false]", `null`, 0, ""},
		{"OnlyErr", "[true]", "", 0, "failed\non two lines"},
		{"Fail", `["bad template.yaml:3: oops"]`, "", 0, "bad template.yaml:3: oops"},
		{"Add", "[1]", "", 400, "Add takes 2 argument(s), got 1"},
		{"Add", `[1, "x"]`, "", 400, "argument 2: want a number"},
		{"Join", `["a", "+"]`, "", 400, "argument 1: want an array"},
		{"Add", `{"a":1}`, "", 400, "must be a JSON array"},
		{"Missing", "[]", "", 404, "no method fakeService.Missing"},
		{"Boom", "[]", "", 500, "internal error: kaboom"},
	}
	for _, c := range cases {
		t.Run(c.method+c.body, func(t *testing.T) {
			res, err := api.Call("fakeService", c.method, []byte(c.body))
			if c.want != "" {
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(res)
				if string(b) != c.want {
					t.Fatalf("result %s, want %s", b, c.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Fatalf("err = %v, want %q", err, c.errPart)
			}
			if c.status != 0 && statusOf(err) != c.status {
				t.Errorf("status %d, want %d", statusOf(err), c.status)
			}
		})
	}
	if svc.calls != 1 {
		t.Errorf("Nothing called %d times", svc.calls)
	}
	if _, err := api.Call("Nope", "Hello", nil); err == nil || statusOf(err) != 404 {
		t.Errorf("unknown service: %v", err)
	}
	if got := strings.Join(api.Methods(), " "); !strings.Contains(got, "fakeService.Add") || strings.Contains(got, "fakeService.calls") {
		t.Errorf("methods = %s", got)
	}
}

type badArg struct{}

func (badArg) F(func()) {}

type badResults struct{}

func (*badResults) F() (int, int) { return 0, 0 }

type tooMany struct{}

func (*tooMany) F() (int, int, error) { return 0, 0, nil }

type chanResult struct{}

func (*chanResult) F() chan int { return nil }

func TestNewAPIRejectsUnbindable(t *testing.T) {
	for _, c := range []struct {
		svc  any
		want string
	}{
		{&struct{ badArg }{}, "cannot be decoded"},
		{&badResults{}, "second result must be an error"},
		{&tooMany{}, "more than two results"},
		{&chanResult{}, "cannot be encoded"},
		{fakeService{}, "not a pointer to a struct"},
	} {
		if _, err := NewAPI(c.svc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewAPI(%T) = %v, want %q", c.svc, err, c.want)
		}
	}
}
