package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
)

func init() { register(newRulesCmd) }

// ruleListing is one line of `samthreat rules`, also its JSON shape.
type ruleListing struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	OWASP       string         `json:"owasp"`
	Severity    model.Severity `json:"severity"`
	STRIDE      []string       `json:"stride"`
	CWE         []string       `json:"cwe,omitempty"`
	Equivalents []string       `json:"equivalents,omitempty"`
	// EquivalentsChecked says, for each equivalent, what the scanner checks
	// and whether it matches the rule exactly or in part.
	EquivalentsChecked []rules.Equivalent `json:"equivalentsChecked,omitempty"`
	User               bool               `json:"user,omitempty"`
	Check              string             `json:"check,omitempty"`
}

func newRulesCmd() *cobra.Command {
	var format, rulesDir string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog (id, title, OWASP category, severity)",
		Long: `List samthreat's rules. Each maps to a category of the OWASP Serverless Top Ten
(S1-S10) and names the equivalent checkov, cfn_nag or cfn-lint checks. With --rules DIR the
user rules of that folder are listed too (and validated).`,
		Example: "  samthreat rules\n  samthreat rules --format json\n  samthreat rules --rules ./my-rules",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := rules.Catalog()
			if err != nil {
				return err
			}
			user, err := rules.LoadUserRules(rulesDir)
			if err != nil {
				return usageErr("%v", err)
			}
			var list []ruleListing
			for _, r := range append(append([]*rules.Rule{}, cat...), user...) {
				list = append(list, ruleListing{ID: r.ID, Title: r.Title, OWASP: r.OWASP, Severity: r.Severity,
					STRIDE: r.STRIDE, CWE: r.CWE, Equivalents: r.Equivalents, EquivalentsChecked: rules.EquivalentsOf(r.ID), User: r.User, Check: r.Check})
			}
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(list)
			case "text", "":
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tOWASP\tSEVERITY\tTITLE\tEQUIVALENT TO")
				for _, r := range list {
					title := r.Title
					if r.User {
						title += " (user rule)"
					}
					eqs := make([]string, 0, len(r.Equivalents))
					for _, e := range r.Equivalents {
						for _, c := range r.EquivalentsChecked {
							if c.Ref() == e && c.Match == "partial" {
								e += " (partial)"
							}
						}
						eqs = append(eqs, e)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.OWASP, r.Severity, title, strings.Join(eqs, " "))
				}
				return tw.Flush()
			default:
				return usageErr("unknown --format %q (text or json)", format)
			}
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&rulesDir, "rules", "", "folder of extra user rules to list and validate")
	return cmd
}
