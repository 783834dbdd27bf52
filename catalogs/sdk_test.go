package catalogs

import "testing"

func TestSDKCatalogLoads(t *testing.T) {
	c, err := SDK()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Services) < 30 {
		t.Errorf("only %d SDK services", len(c.Services))
	}
	if len(c.Stdlib["python"]) < 100 || len(c.Stdlib["node"]) < 30 {
		t.Errorf("stdlib lists too short: %d python, %d node", len(c.Stdlib["python"]), len(c.Stdlib["node"]))
	}
}

func TestSDKServiceValidate(t *testing.T) {
	bad := []SDKService{
		{ID: "x"},
		{ID: "x", IAM: "x", Names: map[string][]string{"cobol": {"X"}}},
		{ID: "x", IAM: "x", Names: map[string][]string{"js": {"X"}}, Methods: map[string][]string{"put": {"x:Put"}}},
		{ID: "x", IAM: "x", Names: map[string][]string{"js": {"X"}}, Methods: map[string][]string{"Put": {"Put"}}},
		{ID: "x", IAM: "x", Names: map[string][]string{"js": {"X"}}, ARNs: []string{"arn:aws:x"}},
		{ID: "x", IAM: "x", Names: map[string][]string{"js": {"X"}}, Strict: true},
	}
	for i, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("case %d: invalid entry accepted: %+v", i, s)
		}
	}
}
