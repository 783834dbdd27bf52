package main

import (
	"reflect"
	"testing"
)

func TestOutsideHost(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.example.com/v1":                      "api.example.com",
		"https://API.Example.com:8443/x).":                "api.example.com",
		"https://sqs.us-east-1.amazonaws.com/1/q":         "",
		"https://bedrock-runtime.eu-west-1.amazonaws.com": "",
		"https://lambda-url.on.aws/":                      "",
		"http://localhost:3000":                           "",
		"http://169.254.169.254/latest":                   "",
		"https://${Api}.execute-api.${AWS::Region}.com":   "",
		"https://intranet":                                "",
		"http://www.w3.org/2001/XMLSchema":                "",
		"https://hooks.slack.com/services/x":              "hooks.slack.com",
	} {
		if got := outsideHost(raw); got != want {
			t.Errorf("outsideHost(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestCompareBaseline(t *testing.T) {
	c := func(total, miss int) *Count { return &Count{Total: total, Miss: miss} }
	base := Baseline{
		"a/template.yaml":    {"routes": c(2, 1), "hosts": c(3, 0)},
		"b/template.yaml":    {"code": c(4, 2)},
		"gone/template.yaml": {},
	}
	now := Baseline{
		"a/template.yaml":   {"routes": c(2, 0), "hosts": c(3, 1)},
		"b/template.yaml":   {"code": c(4, 2), "sdk": c(1, 1)}, // a measure the baseline lacks counts from 0
		"new/template.yaml": {"routes": c(1, 1)},               // not in the baseline: not compared
	}
	regress, better := compareBaseline(base, now)
	wantRegress := []string{
		"a/template.yaml: hosts misses 1, baseline 0",
		"b/template.yaml: sdk misses 1, baseline 0",
		"gone/template.yaml: no longer analysed",
	}
	wantBetter := []string{"a/template.yaml: routes misses 0, baseline 1"}
	if !reflect.DeepEqual(regress, wantRegress) || !reflect.DeepEqual(better, wantBetter) {
		t.Errorf("compareBaseline:\n regress %q\n want    %q\n better  %q\n want    %q", regress, wantRegress, better, wantBetter)
	}
}

func TestTotals(t *testing.T) {
	now := Baseline{
		"b/template.yaml": {"routes": {Total: 2, Miss: 1, Examples: []string{"R2"}}},
		"a/template.yaml": {"routes": {Total: 1, Miss: 1, Examples: []string{"R1"}}, "hosts": {Total: 5}},
	}
	tot := totals(now)
	if r := tot["routes"]; r.Total != 3 || r.Miss != 2 || !reflect.DeepEqual(r.Examples, []string{"a/template.yaml: R1", "b/template.yaml: R2"}) {
		t.Errorf("routes total %+v", r)
	}
	if h := tot["hosts"]; h.Total != 5 || h.Miss != 0 {
		t.Errorf("hosts total %+v", h)
	}
	if len(tot) != len(measures) {
		t.Errorf("totals has %d measures, want every one of %d", len(tot), len(measures))
	}
}
