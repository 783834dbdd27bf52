//go:build desktop

package app

import (
	"errors"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

var errNoRuntime = errors.New("native dialogs need the desktop window (Startup has not run)")

func (w *Workbench) desktopReady() bool { return w.runtimeCtx != nil }

// OpenFileDialog asks for a template or project file (desktop only); "" when cancelled.
func (w *Workbench) OpenFileDialog(title string) (string, error) {
	if !w.desktopReady() {
		return "", errNoRuntime
	}
	return runtime.OpenFileDialog(w.runtimeCtx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "Templates and project files (*.yaml, *.yml, *.json, *.template)", Pattern: "*.yaml;*.yml;*.json;*.template"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
}

// OpenFolderDialog asks for a folder of templates (desktop only); "" when cancelled.
func (w *Workbench) OpenFolderDialog(title string) (string, error) {
	if !w.desktopReady() {
		return "", errNoRuntime
	}
	return runtime.OpenDirectoryDialog(w.runtimeCtx, runtime.OpenDialogOptions{Title: title})
}

// SaveFileDialog asks where to save a file (desktop only); "" when cancelled.
func (w *Workbench) SaveFileDialog(title, defaultName string) (string, error) {
	if !w.desktopReady() {
		return "", errNoRuntime
	}
	return runtime.SaveFileDialog(w.runtimeCtx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
}

// desktopEvents routes events to the Wails runtime once Startup has run.
func (w *Workbench) desktopEvents(name string, data any) {
	if w.runtimeCtx != nil {
		runtime.EventsEmit(w.runtimeCtx, name, data)
	}
}
