//go:build unix

package hostile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/samthreat/samthreat/internal/store"
)

// server is a running `samthreat serve`.
type server struct {
	cmd  *exec.Cmd
	base string
}

func startServe(t *testing.T, dir, ws string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--workspace", ws)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(os.TempDir(), "samthreat-hostile-cache"), "XDG_CONFIG_HOME="+dir)
	out, err := cmd.StdoutPipe()
	must(t, err)
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	s := &server{cmd: cmd}
	t.Cleanup(func() { s.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "samthreat workbench: "); ok {
				found <- u
			}
		}
	}()
	select {
	case s.base = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start within 30 s")
	}
	return s
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
}

// rssMB is the server's resident memory now and at its peak (/proc).
func (s *server) rssMB() (now, peak int64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			switch f[0] {
			case "VmRSS:":
				now = kb >> 10
			case "VmHWM:":
				peak = kb >> 10
			}
		}
	}
	return now, peak
}

// call posts a Workbench method; it returns the status and the error
// message or result.
func (s *server) call(t *testing.T, method string, args ...any) (int, string) {
	t.Helper()
	body, err := json.Marshal(args)
	must(t, err)
	return s.post(t, method, body)
}

func (s *server) post(t *testing.T, method string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+"api/Workbench/"+method, bytes.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out struct {
		Error  string          `json:"error"`
		Result json.RawMessage `json:"result"`
	}
	_ = json.Unmarshal(b, &out)
	if out.Error != "" {
		return res.StatusCode, out.Error
	}
	return res.StatusCode, string(out.Result)
}

// bigTemplate has n functions with API routes and policies: an import long
// enough to be interrupted.
func bigTemplate(n int) string {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Table:\n    Type: AWS::Serverless::SimpleTable\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  Fn%d:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src%d\n      Policies:\n        - DynamoDBCrudPolicy: {TableName: !Ref Table}\n        - Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]\n      Events:\n        Api:\n          Type: Api\n          Properties: {Path: /f%d, Method: get}\n", i, i, i)
	}
	return b.String()
}

// TestServeFaults: serve answers hostile templates over HTTP, bounds
// concurrent imports and bodies in flight (429/413 with a message), gives
// memory back after a burst, and a kill -9 in the middle of an import leaves
// a workspace that opens, passes integrity_check and serves again.
func TestServeFaults(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws.db")
	s := startServe(t, dir, ws)

	// Hostile templates as text: refused with the one line, or analysed
	// without reading anything (an upload has no folder).
	for _, c := range []struct {
		name, text string
		status     int
		want       string
	}{
		{"zero.yaml", fn("/dev/zero", "app.handler"), 200, `"created":true`},
		{"etc.yaml", fn("/etc", "passwd.handler"), 200, `"created":true`},
		{"dup.yaml", "Resources:\n  A: {Type: X, Type: Y}\n", 422, "dup.yaml:2: duplicate key"},
		{"foo.yaml", "foo: bar\n", 422, "not a CloudFormation/SAM template"},
		{"deep.yaml", "Resources: " + strings.Repeat("[", 50000), 422, "nested deeper"},
	} {
		status, msg := s.call(t, "ImportText", c.name, c.text)
		if status != c.status || !strings.Contains(msg, c.want) {
			t.Errorf("ImportText %s: %d %.200s, want %d %q", c.name, status, msg, c.status, c.want)
		}
	}
	if status, msg := s.post(t, "ImportText", bytes.Repeat([]byte(" "), 41<<20)); status != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "limit") {
		t.Errorf("41 MiB body: %d %q, want 413 with a message", status, msg)
	}

	// Concurrent imports: each is imported or refused with a message.
	big := bigTemplate(150)
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status, msg := s.call(t, "ImportText", fmt.Sprintf("big%d.yaml", i), big)
			mu.Lock()
			counts[status]++
			mu.Unlock()
			if status == http.StatusTooManyRequests && !strings.Contains(msg, "imports are already running") {
				t.Errorf("429 without the message: %q", msg)
			} else if status != http.StatusOK && status != http.StatusTooManyRequests {
				t.Errorf("concurrent import: %d %q", status, msg)
			}
		}(i)
	}
	wg.Wait()
	t.Logf("8 concurrent imports: %v (status: count)", counts)
	if counts[http.StatusOK] == 0 {
		t.Error("no import got through")
	}

	// A burst of 20 concurrent 39 MiB bodies: refused or rejected, memory
	// bounded while they arrive and given back after.
	before, _ := s.rssMB()
	huge, _ := json.Marshal([]any{"huge.yaml", strings.Repeat("#", 39<<20)})
	counts = map[int]int{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := s.post(t, "ImportText", huge)
			mu.Lock()
			counts[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	after, peak := s.rssMB()
	t.Logf("burst of 20 x 39 MiB: %v; RSS %d MB before, %d MB after, peak %d MB", counts, before, after, peak)
	if peak > 700 {
		t.Errorf("peak RSS %d MB during the burst", peak)
	}
	if after > before+150 {
		t.Errorf("RSS %d MB after the burst, %d MB before", after, before)
	}
	if status, msg := s.call(t, "ListProjects"); status != 200 {
		t.Fatalf("ListProjects after the burst: %d %s", status, msg)
	}

	// kill -9 in the middle of an import.
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.call(t, "ImportText", "killed.yaml", bigTemplate(400))
	}()
	time.Sleep(400 * time.Millisecond)
	s.kill()
	<-done
	st, err := store.Open(ws)
	if err != nil {
		t.Fatalf("workspace after kill -9: %v", err)
	}
	if err := st.Check(context.Background()); err != nil {
		t.Fatalf("integrity after kill -9: %v", err)
	}
	_ = st.Close()
	s2 := startServe(t, dir, ws)
	status, msg := s2.call(t, "ListProjects")
	if status != 200 || !strings.Contains(msg, "big") {
		t.Fatalf("ListProjects after restart: %d %.200s", status, msg)
	}
}
