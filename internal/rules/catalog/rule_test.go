package catalog

import (
	"strings"
	"testing"
)

func TestCatalogStrictDecoding(t *testing.T) {
	_, err := Decode("x.yaml", []byte("id: SLS-IAM-001\ntitel: typo\n"), false)
	if err == nil || !strings.Contains(err.Error(), "titel") {
		t.Errorf("unknown field not rejected: %v", err)
	}
}
