package adapt

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestDeclaredThirdParties: outside hosts named in resources are third
// parties with an outbound edge from whoever calls them.
func TestDeclaredThirdParties(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "thirdparties.yaml"))
	tests := []struct{ from, to, via string }{
		{"ToCrm", "crm.example.com", "API destination CrmDestination (connection CrmConnection, OAUTH_CLIENT_CREDENTIALS)"},
		{"ToCrm", "login.crm.example.com", "OAuth of connection CrmConnection"},
		{"ToPartner", "api-destination:PartnerDestination", "endpoint from parameter PartnerEndpoint"},
		{"Alerts", "alerts.example.net", ""},
		{"Alerts", "pager.example.io", ""},
		{"Http GET /status", "status.vendor.example.com", ""},
		{"Enrich", "hooks.slack.example.com", "WEBHOOK"},
		{"Crm", "crm.example.com", ""},
	}
	tps := map[string]*model.ThirdParty{}
	for _, tp := range m.ThirdParties {
		tps[tp.ID] = tp
	}
	for _, tc := range tests {
		t.Run(tc.from+"->"+tc.to, func(t *testing.T) {
			tp := tps[tc.to]
			if tp == nil {
				t.Fatalf("no third party; have %v", keys(tps))
			}
			if tc.via != "" && !strings.Contains(tp.Via, tc.via) {
				t.Errorf("via %q, want %q", tp.Via, tc.via)
			}
			if edgeOf(m, tc.from, tc.to, model.EdgeOutbound) == nil {
				t.Errorf("no outbound edge; from %s: %v", tc.from, edgesFrom(m, tc.from))
			}
		})
	}
	for _, r := range m.Resources {
		if r.Type == "AWS::Events::ApiDestination" || r.Type == "AWS::Events::Connection" {
			t.Errorf("%s is drawn as a resource node: it is the third party it calls", r.ID)
		}
	}
}
