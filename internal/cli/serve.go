package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/app"
	"github.com/samthreat/samthreat/frontend"
	"github.com/samthreat/samthreat/internal/web"
)

func init() { register(newServeCmd) }

func newServeCmd() *cobra.Command {
	var addr, workspace, token string
	var allow []string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Open the workbench in a browser (web mode)",
		Long: `Serve the workbench (the same frontend and services as the desktop app) over HTTP.

It binds to loopback by default. Bound to any other address it requires a
token: given with --token, or generated and printed. The workspace (projects,
revisions, triage) is a SQLite file in your config folder unless --workspace
chooses one; a new workspace starts with the bundled Fresh Tracks example.`,
		Example: `  samthreat serve
  samthreat serve --addr 127.0.0.1:9000 --workspace ./team.db
  samthreat serve --addr 0.0.0.0:8080 --token "$(openssl rand -hex 16)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cmd, addr, workspace, token, allow)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&workspace, "workspace", "", "workspace file (default: your config folder's samthreat/workspace.db)")
	f.StringVar(&token, "token", "", "token required by every request (generated when binding beyond loopback)")
	f.StringArrayVar(&allow, "allow", nil, "folder the workbench may read templates and code from (repeatable); uploads naming a file inside it are analysed with their code, and folder imports are limited to it")
	return cmd
}

func serve(ctx context.Context, cmd *cobra.Command, addr, workspace, token string, allow []string) error {
	out := cmd.OutOrStdout()
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErr("--addr %q: want host:port (e.g. 127.0.0.1:8080)", addr)
	}
	loopback := web.IsLoopback(addr)
	if !loopback && token == "" {
		if token, err = web.NewToken(); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usageErr("listening on %s: %v", addr, err)
	}
	defer ln.Close()
	broker := web.NewBroker()
	for i, a := range allow {
		abs, err := filepath.Abs(a)
		if st, serr := os.Stat(abs); err != nil || serr != nil || !st.IsDir() {
			return usageErr("--allow %s: not a folder", a)
		}
		allow[i] = abs
	}
	wb, err := app.New(app.Config{Workspace: workspace, Mode: "web", Version: Version, Events: broker.Publish, Allow: allow})
	if err != nil {
		return usageErr("%v", err)
	}
	defer app.Shutdown(wb)
	assets, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return err
	}
	bound := ln.Addr().String()
	h, err := web.NewHandler(web.Options{Addr: bound, Hosts: []string{host}, Token: token, Assets: assets, Events: broker, Workbench: wb}, wb)
	if err != nil {
		return err
	}
	srv := web.NewServer(h)
	st, _ := wb.Status()
	_, port, _ := net.SplitHostPort(bound)
	shown := host
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if shown, err = os.Hostname(); err != nil {
			shown = "127.0.0.1"
		}
	}
	url := "http://" + net.JoinHostPort(shown, port) + "/"
	if token != "" {
		url += "?token=" + token
	}
	fmt.Fprintf(out, "samthreat workbench: %s\nworkspace: %s\n", url, st.Workspace)
	if !loopback {
		fmt.Fprintln(out, "listening beyond loopback: every request needs the token above")
	}
	fmt.Fprintln(out, "press Ctrl+C to stop")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serving: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	fmt.Fprintln(out, "samthreat: stopped")
	return nil
}
