package analysis

import (
	"bytes"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/safefs"
)

// FindTemplates walks dir for files that look like CloudFormation templates
// (YAML or JSON mentioning AWSTemplateFormatVersion, or Resources with an
// AWS:: type), skipping dependency and build folders, sorted. The CLI's
// `analyze DIR` and the workbench's folder import both use it, so they see
// the same files.
func FindTemplates(dir string) ([]string, error) {
	var out []string
	fsys, err := safefs.New(dir)
	if err != nil {
		return nil, err
	}
	err = fsys.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", ".aws-sam", "vendor", "__pycache__", "cdk.out":
				if p != dir {
					return filepath.SkipDir
				}
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		if !fsys.Contains(p) {
			return nil // a symbolic link out of the folder: not followed
		}
		if LooksLikeTemplate(FileHead(p)) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// FileHead is the first 256 KiB of a file (nil when it cannot be read, or
// is not a regular file: a FIFO is never waited on): what LooksLikeTemplate
// needs.
func FileHead(path string) []byte {
	f, err := safefs.OpenFile(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 256<<10))
	return b
}

// LooksLikeTemplate judges a file's head: it mentions AWSTemplateFormatVersion,
// or Resources with an AWS:: type.
func LooksLikeTemplate(head []byte) bool {
	if bytes.Contains(head, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return bytes.Contains(head, []byte("Resources")) && bytes.Contains(head, []byte("AWS::"))
}
