//go:build unix

package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const childEnv = "SAMTHREAT_STORE_KILL_CHILD"

// killChild is the child process: it writes revisions and triage in a loop
// and prints "committed N" only after each transaction has committed.
func killChild(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	ctx := context.Background()
	pad := strings.Repeat("# padding so a revision spans several pages\n", 1500) // ~66 KB
	start, _ := strconv.Atoi(os.Getenv(childEnv + "_START"))
	for i := start; ; i++ {
		content := fmt.Sprintf("Description: revision %d\n%s", i, pad)
		r, _, err := s.AddRevision(ctx, "/kill/template.yaml", "kill", "template.yaml", "", []byte(content), "")
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		if _, err := s.SetTriage(ctx, Triage{ProjectID: r.ProjectID, Fingerprint: fmt.Sprintf("F%d", i), Status: StatusAccepted, Justification: content[:40]}); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("committed %d\n", i)
	}
}

// TestKillDuringWrite starts a child process writing in a loop, SIGKILLs it
// mid-stream (several times, at different moments), then checks the
// workspace opens, passes integrity_check, and holds every write the child
// reported as committed.
func TestKillDuringWrite(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		killChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	committed := map[int]bool{}
	next := 0
	for round, after := range []int{3, 17, 41} { // writes to let through before the kill
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringWrite$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+path, fmt.Sprintf("%s_START=%d", childEnv, next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		seen := 0
		deadline := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
		for sc.Scan() {
			line := sc.Text()
			n, ok := strings.CutPrefix(line, "committed ")
			if !ok {
				t.Fatalf("round %d: child said %q", round, line)
			}
			i, _ := strconv.Atoi(n)
			committed[i] = true
			if i >= next {
				next = i + 1
			}
			if seen++; seen == after {
				// Kill while the next write is in flight.
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		deadline.Stop()
		err = cmd.Wait()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want killed", round, err)
		}
		if seen < after {
			t.Fatalf("round %d: child committed only %d writes", round, seen)
		}
		// Everything reported so far must be there after each kill.
		s, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: workspace does not open after kill: %v", round, err)
		}
		ctx := context.Background()
		if err := s.Check(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		p, ok, err := s.ProjectByKey(ctx, "/kill/template.yaml")
		if err != nil || !ok {
			t.Fatalf("round %d: project missing (%v)", round, err)
		}
		revs, err := s.Revisions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, r := range revs {
			b, err := s.Content(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if Hash(b) != r.SHA256 {
				t.Fatalf("revision %d content does not match its hash", r.ID)
			}
			have[strings.SplitN(string(b), "\n", 2)[0]] = true
		}
		tri, err := s.Triage(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		fps := map[string]bool{}
		for _, x := range tri {
			fps[x.Fingerprint] = true
		}
		for i := range committed {
			if !have[fmt.Sprintf("Description: revision %d", i)] {
				t.Errorf("round %d: committed revision %d lost", round, i)
			}
			if !fps[fmt.Sprintf("F%d", i)] {
				t.Errorf("round %d: committed triage F%d lost", round, i)
			}
		}
		s.Close()
		t.Logf("round %d: %d writes committed in total, %d revisions on disk", round, len(committed), len(revs))
	}
}
