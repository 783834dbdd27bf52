package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// server is a running `samthreat serve`.
type server struct {
	cmd       *exec.Cmd
	url       string // as printed, with ?token= when there is one
	base      string // scheme://host:port
	workspace string
	out       *bytes.Buffer
	done      chan error
}

func startServe(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: &bytes.Buffer{}, done: make(chan error, 1)}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for s.url == "" || s.workspace == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("serve exited before printing its URL; stderr: %s", stderr.String())
			}
			s.out.WriteString(l + "\n")
			if u, ok := strings.CutPrefix(l, "samthreat workbench: "); ok {
				s.url = u
			}
			if w, ok := strings.CutPrefix(l, "workspace: "); ok {
				s.workspace = w
			}
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("serve printed no URL within 60 s")
		}
	}
	go func() {
		for l := range lines {
			s.out.WriteString(l + "\n")
		}
		s.done <- cmd.Wait()
	}()
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	s.base = u.Scheme + "://" + u.Host
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return s
}

// stop interrupts the server as Ctrl+C would and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve exited with %v; output:\n%s", err, s.out)
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		t.Fatal("serve did not stop on SIGINT")
	}
}

func (s *server) call(t *testing.T, header http.Header, method string, args ...any) (int, json.RawMessage, string) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest("POST", s.base+"/api/Workbench/"+method, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %d %q is not JSON", method, res.StatusCode, b)
	}
	return res.StatusCode, out.Result, out.Error
}

func serveEnv(t *testing.T) (env []string, config string) {
	config = t.TempDir()
	return []string{"XDG_CONFIG_HOME=" + config, "XDG_CACHE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}, config
}

func TestServeWorkbench(t *testing.T) {
	env, config := serveEnv(t)
	start := time.Now()
	s := startServe(t, env, "--addr", "127.0.0.1:0")
	t.Logf("serve ready in %v (new workspace with the example analysed)", time.Since(start))
	if want := filepath.Join(config, "samthreat", "workspace.db"); s.workspace != want {
		t.Errorf("default workspace %s, want %s", s.workspace, want)
	}
	if strings.Contains(s.url, "token=") {
		t.Errorf("loopback serve printed a token: %s", s.url)
	}
	code, res, msg := s.call(t, nil, "Status")
	var st struct {
		ExampleLoaded     bool  `json:"exampleLoaded"`
		ExampleRevisionID int64 `json:"exampleRevisionId"`
	}
	if err := json.Unmarshal(res, &st); err != nil || code != 200 || !st.ExampleLoaded {
		t.Fatalf("Status: %d %s %s", code, res, msg)
	}
	// The page, and the report download the browser would use.
	resp, err := http.Get(s.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /: %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Get(fmt.Sprintf("%s/api/export?rev=%d&format=json", s.base, st.ExampleRevisionID))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Functions []struct{ ID string } `json:"functions"`
		Findings  []struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	var ids []string
	for _, f := range m.Functions {
		ids = append(ids, f.ID)
	}
	for _, want := range []string{"publishToIoT", "getActivity", "parseGPX"} {
		if !strings.Contains(strings.Join(ids, " "), want) {
			t.Errorf("exported model lacks %s: %v", want, ids)
		}
	}
	// DNS rebinding: a foreign Host is refused.
	req, _ := http.NewRequest("GET", s.base+"/", nil)
	req.Host = "rebind.example:80"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Errorf("foreign Host: %v %v", resp.StatusCode, err)
	}
	// Triage a finding, stop, start again on the same workspace: it is kept.
	code, res, _ = s.call(t, nil, "ListProjects")
	var ps []struct {
		ID     int64 `json:"id"`
		Latest struct {
			ID int64 `json:"id"`
		} `json:"latest"`
	}
	json.Unmarshal(res, &ps)
	var pid int64
	for _, p := range ps {
		if p.Latest.ID == st.ExampleRevisionID {
			pid = p.ID
		}
	}
	fp := m.Findings[0].Fingerprint
	if code, _, msg := s.call(t, nil, "SetTriage", pid, fp, "accepted", "reviewed in design review", "ana"); code != 200 {
		t.Fatalf("SetTriage: %d %s", code, msg)
	}
	s.stop(t)
	if !strings.Contains(s.out.String(), "stopped") {
		t.Errorf("no stop message: %s", s.out)
	}
	s2 := startServe(t, env, "--addr", "127.0.0.1:0", "--workspace", s.workspace)
	_, res, _ = s2.call(t, nil, "Triage", pid)
	var tri []struct{ Fingerprint, Status, Owner string }
	json.Unmarshal(res, &tri)
	if len(tri) != 1 || tri[0].Fingerprint != fp || tri[0].Status != "accepted" || tri[0].Owner != "ana" {
		t.Errorf("triage after restart = %+v", tri)
	}
	_, res, _ = s2.call(t, nil, "ListProjects")
	json.Unmarshal(res, &ps)
	if len(ps) != 3 {
		t.Errorf("%d projects after restart, want the example's 3", len(ps))
	}
	s2.stop(t)
}

func TestServeBeyondLoopbackNeedsToken(t *testing.T) {
	env, _ := serveEnv(t)
	s := startServe(t, env, "--addr", "0.0.0.0:0", "--workspace", filepath.Join(t.TempDir(), "ws.db"))
	u, _ := url.Parse(s.url)
	token := u.Query().Get("token")
	if len(token) < 32 {
		t.Fatalf("no generated token in %s", s.url)
	}
	// Reach it through loopback (allowed Host) with and without the token.
	_, port, _ := strings.Cut(u.Host, ":")
	s.base = "http://127.0.0.1:" + port
	if code, _, msg := s.call(t, nil, "Version"); code != 401 || !strings.Contains(msg, "token") {
		t.Errorf("without token: %d %s", code, msg)
	}
	if code, res, _ := s.call(t, http.Header{"Authorization": {"Bearer " + token}}, "Version"); code != 200 || len(res) == 0 {
		t.Errorf("with token: %d %s", code, res)
	}
	s.stop(t)

	s = startServe(t, env, "--addr", "0.0.0.0:0", "--token", "chosen-token", "--workspace", filepath.Join(t.TempDir(), "ws.db"))
	if !strings.HasSuffix(s.url, "?token=chosen-token") {
		t.Errorf("url %s", s.url)
	}
	s.stop(t)
}

func TestServeBadFlags(t *testing.T) {
	env, _ := serveEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "nonsense"}, "want host:port"},
		{[]string{"serve", "extra"}, "unknown command"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--workspace", "/proc/not/allowed/ws.db"}, "workspace"},
	} {
		cmd := exec.Command(binary, c.args...)
		cmd.Env = append(os.Environ(), env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: exit %v, want 2", c.args, err)
		}
		msg := strings.TrimSpace(errb.String())
		if !strings.Contains(msg, c.want) || strings.Count(msg, "\n") > 0 {
			t.Errorf("%v: stderr %q, want one line with %q", c.args, msg, c.want)
		}
	}
}
