package blast

import (
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestEstimateUnknown: a function whose code was not read takes the highest
// c_f measured in its application (never 1, never the safest), stays marked
// estimated with the basis, and the summary counts it; with nothing measured
// it stays 1, said to be a lower bound; code not read by a no-cgo build
// keeps its own treatment.
func TestEstimateUnknown(t *testing.T) {
	mk := func(id string, c int, est, notRead bool) *model.Function {
		return &model.Function{ID: id, Blast: &model.Blast{Complexity: c, ComplexityEstimated: est, CodeNotRead: notRead, Dependencies: 2, ResourceCount: 3,
			BlastRadius: int64(c) * 6}}
	}
	m := &model.Model{Functions: []*model.Function{mk("small", 3, false, false), mk("big", 9, false, false), mk("s3code", 1, true, false), mk("nocgo", 1, true, true)}}
	estimateUnknown(m)
	Summarize(m)
	s3 := m.Functions[2].Blast
	if s3.Complexity != 9 || !s3.ComplexityEstimated || s3.BlastRadius != 9*2*3 || !strings.Contains(s3.ComplexityBasis, "highest c_f measured in this application (9, big)") {
		t.Errorf("estimated function: %+v", s3)
	}
	if nc := m.Functions[3].Blast; nc.Complexity != 1 || nc.ComplexityBasis != "" {
		t.Errorf("no-cgo function changed: %+v", nc)
	}
	if m.Summary.ComplexityEstimated != 2 {
		t.Errorf("summary counts %d estimated functions, want 2", m.Summary.ComplexityEstimated)
	}
	none := &model.Model{Functions: []*model.Function{mk("a", 1, true, false), mk("b", 1, true, false)}}
	estimateUnknown(none)
	if b := none.Functions[0].Blast; b.Complexity != 1 || !strings.Contains(b.ComplexityBasis, "lower bound") {
		t.Errorf("nothing measured: %+v", b)
	}
}

// TestServiceWideGrant: a grant on every resource of a service (an ARN
// wildcard, not only "*") reaches every resource of that service in the
// template plus the outside ones.
func TestServiceWideGrant(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:s3:::*":                                               "s3",
		"arn:${AWS::Partition}:s3:::*/*":                               "s3",
		"arn:aws:dynamodb:*:*:table/*":                                 "dynamodb",
		"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*": "sqs",
		"arn:aws:lambda:*:*:function:*":                                "lambda",
		"arn:aws:s3:::${Bucket}/*":                                     "",
		"${Table.Arn}":                                                 "",
		"arn:aws:dynamodb:*:*:table/orders":                            "",
		"arn:aws:dynamodb:*:*:table/orders/*":                          "",
	} {
		svc, ok := serviceWide(arn)
		if got := map[bool]string{true: svc, false: ""}[ok]; got != want {
			t.Errorf("%s: %q, want %q", arn, got, want)
		}
	}
	m := &model.Model{Resources: []*model.Resource{{ID: "T1", Service: "dynamodb"}, {ID: "T2", Service: "dynamodb"}, {ID: "Q", Service: "sqs"}}}
	f := &model.Function{
		Statements: []model.Statement{{Effect: "Allow", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:*:*:table/*"}, Targets: []string{"external:dynamodb"}}},
		Grants:     []model.Grant{{Action: "dynamodb:GetItem", Access: model.AccessRead, Target: "external:dynamodb"}},
	}
	b := &model.Blast{}
	resources(f, b, newResourceIndex(m))
	if strings.Join(b.ReachedResources, ",") != "T1,T2,external:dynamodb" || b.ResourceCount != 3 {
		t.Errorf("reached %v (%d)", b.ReachedResources, b.ResourceCount)
	}
}
