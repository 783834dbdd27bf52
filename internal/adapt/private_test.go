package adapt

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestPrivateAPIs: routes of PRIVATE REST APIs are not public and are called
// by the VPC-endpoint client, never the internet; the entry point says who
// the resource policy lets in.
func TestPrivateAPIs(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "private-api.yaml"))
	tests := []struct {
		route           string
		private, public bool
		allowed         []string
	}{
		{"Internal GET /items", true, false, []string{"aws:SourceVpce vpce-0abc"}},
		{"StringForm GET /items", true, false, nil},
		{"Plain GET /", true, false, []string{"aws:SourceVpce vpce-0abc"}},
		{"Regional GET /items", false, true, []string{"aws:SourceIp 10.20.30.40/32"}},
		{"InDefinition GET /health", true, false, []string{"aws:SourceVpc vpc-0123"}},
	}
	eps := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		eps[ep.ID] = ep
	}
	for _, tc := range tests {
		t.Run(tc.route, func(t *testing.T) {
			ep := eps[tc.route]
			if ep == nil {
				t.Fatalf("no entry point in %v", keys(eps))
			}
			if ep.Private != tc.private || ep.Public != tc.public || !slices.Equal(ep.AllowedFrom, tc.allowed) {
				t.Errorf("private %v public %v allowed %v", ep.Private, ep.Public, ep.AllowedFrom)
			}
			fromInternet := edgeOf(m, "internet", tc.route, model.EdgeTrigger) != nil || edgeOf(m, "authenticated-users", tc.route, model.EdgeTrigger) != nil
			fromVPC := edgeOf(m, ClientVPCEndpoint, tc.route, model.EdgeTrigger) != nil
			if fromInternet == tc.private || fromVPC != tc.private {
				t.Errorf("internet edge %v, vpc-endpoint edge %v", fromInternet, fromVPC)
			}
		})
	}
	var vpc *model.Client
	for _, c := range m.Clients {
		if c.ID == ClientVPCEndpoint {
			vpc = c
		}
	}
	if vpc == nil || vpc.Boundary != model.BoundaryVPC {
		t.Errorf("VPC endpoint client: %+v", vpc)
	}
}
