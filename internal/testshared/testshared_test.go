package testshared

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissingSkipsOrFails runs a test that needs shared material at a path
// that does not exist, in a child process: without SAMTHREAT_REQUIRE_SHARED
// it is skipped with a message, with it it fails.
func TestMissingSkipsOrFails(t *testing.T) {
	if os.Getenv("TESTSHARED_CHILD") != "" {
		Missing(t, "/nonexistent/shared")
		return
	}
	for _, c := range []struct {
		require  string
		wantFail bool
		want     string
	}{
		{"", false, "--- SKIP: TestMissingSkipsOrFails"},
		{"1", true, "--- FAIL: TestMissingSkipsOrFails"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingSkipsOrFails$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTSHARED_CHILD=1", RequireEnv+"="+c.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.wantFail || !strings.Contains(string(out), c.want) || !strings.Contains(string(out), "/nonexistent/shared") {
			t.Errorf("%s=%q: err %v, output:\n%s", RequireEnv, c.require, err, out)
		}
	}
}
