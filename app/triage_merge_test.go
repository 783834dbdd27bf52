package app

import (
	"testing"
	"time"

	"github.com/samthreat/samthreat/internal/store"
)

func TestMergedTriage(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	accepted := func(fp string, d int) store.Triage {
		return store.Triage{Fingerprint: fp, Status: store.StatusAccepted, Justification: fp, Updated: day(d)}
	}
	for _, tc := range []struct {
		name   string
		ts     []store.Triage
		fp     string
		want   bool
		justif string
	}{
		{"no older finding", []store.Triage{accepted("SLS-API-001@Other#GET /", 1)}, "SLS-API-001@Fn", false, ""},
		{"one route accepted", []store.Triage{accepted("SLS-API-001@Fn#GET /x", 1)}, "SLS-API-001@Fn", true, "SLS-API-001@Fn#GET /x"},
		{"every route accepted: the latest decision", []store.Triage{accepted("SLS-API-001@Fn#GET /x", 1), accepted("SLS-API-001@Fn#POST /x", 3)}, "SLS-API-001@Fn", true, "SLS-API-001@Fn#POST /x"},
		{"one route still open", []store.Triage{accepted("SLS-API-001@Fn#GET /x", 1), {Fingerprint: "SLS-API-001@Fn#POST /x", Status: store.StatusOpen, Updated: day(2)}}, "SLS-API-001@Fn", false, ""},
		{"a longer resource name is another resource", []store.Triage{accepted("SLS-API-001@FnTwo#GET /x", 1)}, "SLS-API-001@Fn", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := mergedTriage(tc.ts, tc.fp)
			if ok != tc.want || (ok && got.Justification != tc.justif) {
				t.Errorf("mergedTriage = %+v, %v; want %v with %q", got, ok, tc.want, tc.justif)
			}
		})
	}
}
