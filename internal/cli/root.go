// Package cli is samthreat's headless command line. Every command calls the
// same internal packages as the desktop and web workbench.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/catalogs"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...";
// without it, `samthreat version` falls back to the module version Go stamps.
var Version = defaultVersion

const defaultVersion = "0.1.0-dev"

// Exit codes, part of the CLI contract.
const (
	ExitOK       = 0
	ExitFindings = 1 // analysed, findings at or above --fail-on
	ExitUsage    = 2 // bad usage or a template that cannot be read
)

// exitError carries an exit code and a one-line message for stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, a ...any) error {
	return &exitError{code: ExitUsage, msg: fmt.Sprintf(format, a...)}
}

// commands registered by the files of this package, one file per command.
var commands []func() *cobra.Command

func register(c func() *cobra.Command) { commands = append(commands, c) }

// NewRoot builds the command tree (exported for tests and docs).
func NewRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "samthreat",
		Short: "Threat modeling for AWS SAM serverless applications",
		Long: `samthreat reads an AWS SAM or CloudFormation template and models the application:
functions, triggers, the resources each function can reach through IAM, third-party
services and trust boundaries; blast radius per function; risks mapped to the OWASP
Serverless Top Ten; diagrams and reports.

With no command it opens the desktop workbench.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentPreRun = buildLimitWarner()
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s (see '%s --help')", err, c.CommandPath())
	})
	built := make([]*cobra.Command, 0, len(commands))
	for _, c := range commands {
		built = append(built, c())
	}
	sort.Slice(built, func(i, j int) bool { return built[i].Name() < built[j].Name() })
	root.AddCommand(built...)
	return root
}

// Run executes the CLI with args and returns the process exit code. It never
// lets a panic escape as a Go stack trace: a bug becomes a one-line message.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "samthreat: internal error: %v (please report this with the template that caused it)\n", r)
			if os.Getenv("SAMTHREAT_DEBUG") != "" {
				fmt.Fprintln(stderr, string(debug.Stack()))
			}
			code = ExitUsage
		}
	}()
	// SAMTHREAT_CPUPROFILE=FILE writes a CPU profile of the command, for
	// measuring the CLI as users run it (start-up included).
	if prof := os.Getenv("SAMTHREAT_CPUPROFILE"); prof != "" {
		if f, err := os.Create(prof); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	root := NewRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "samthreat: %s\n", singleLine(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "samthreat: %s\n", singleLine(err.Error()))
	return ExitUsage
}

// exampleTemplate extracts the bundled example into the user's cache directory
// (reused when already there) and returns its template path, so commands can
// run with no arguments on a fresh machine.
func exampleTemplate() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "samthreat", "example-"+Version)
	path, err := catalogs.ExtractExamples(dir)
	if err != nil {
		return "", fmt.Errorf("extracting the bundled example: %w", err)
	}
	return path, nil
}

// templateArg is the one template a command works on: the argument, or the
// bundled example when there is none. A folder is refused with what the
// command needs instead.
func templateArg(args []string, folderErr string) (string, error) {
	if len(args) == 0 {
		p, err := exampleTemplate()
		if err != nil {
			return "", usageErr("%v", err)
		}
		return p, nil
	}
	path := args[0]
	st, err := os.Stat(path)
	if err != nil {
		return "", usageErr("%s: %v", path, unwrapPathErr(err))
	}
	if st.IsDir() {
		return "", usageErr("%s is a directory: %s", path, folderErr)
	}
	return path, nil
}

// singleLine keeps the one-line error contract whatever a library wrote:
// line breaks (a YAML decoder's list of errors) become "; ".
func singleLine(msg string) string {
	if !strings.ContainsAny(msg, "\r\n") {
		return msg
	}
	var parts []string
	for _, l := range strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
