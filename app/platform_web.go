//go:build !desktop

package app

import "errors"

var errNoDialogs = errors.New("native dialogs exist only in the desktop app: type a path or upload the file")

// OpenFileDialog asks for a template or project file (desktop only); "" when cancelled.
func (w *Workbench) OpenFileDialog(title string) (string, error) { return "", errNoDialogs }

// OpenFolderDialog asks for a folder of templates (desktop only); "" when cancelled.
func (w *Workbench) OpenFolderDialog(title string) (string, error) { return "", errNoDialogs }

// SaveFileDialog asks where to save a file (desktop only); "" when cancelled.
func (w *Workbench) SaveFileDialog(title, defaultName string) (string, error) {
	return "", errNoDialogs
}

func (w *Workbench) desktopEvents(string, any) {}
