//go:build desktop

package main

import (
	"context"
	_ "embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/samthreat/samthreat/app"
	"github.com/samthreat/samthreat/frontend"
	"github.com/samthreat/samthreat/internal/cli"
)

//go:embed build/appicon.png
var appIcon []byte

// runDesktop opens the workbench window: the frontend (frontend/dist,
// embedded) with app.Workbench bound as window.go.app.Workbench. The
// workspace is the default one in the user's config folder; a new one
// starts with the bundled Fresh Tracks example analysed.
func runDesktop() int {
	assets, err := fs.Sub(frontend.Dist, "dist")
	if err == nil {
		_, err = fs.Stat(assets, "index.html")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "samthreat: this binary was built without the frontend (run 'make desktop', which builds it first)")
		return 1
	}
	wb, err := app.New(app.Config{Mode: "desktop", Version: cli.Version})
	if err != nil {
		fmt.Fprintln(os.Stderr, "samthreat:", err)
		return 1
	}
	err = wails.Run(&options.App{
		Title:            "samthreat",
		Width:            1440,
		Height:           900,
		MinWidth:         1024,
		MinHeight:        640,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 245, G: 247, B: 250, A: 255},
		OnStartup:        func(ctx context.Context) { app.Startup(wb, ctx) },
		OnShutdown:       func(context.Context) { _ = app.Shutdown(wb) },
		Bind:             []any{wb},
		// Files dropped on the window reach the frontend as paths (runtime.OnFileDrop).
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true},
		Linux: &linux.Options{
			Icon:        appIcon,
			ProgramName: "samthreat",
			// Software rendering: GPU compositing gives blank windows on many
			// Linux VMs and under Xvfb (wails issue 2977); this UI does not need it.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "samthreat:", err)
		return 1
	}
	return 0
}
