package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/internal/sam"
)

// logGroups links AWS::Logs::LogGroup resources named /aws/lambda/<function>
// to their function (retention and encryption rules read Function.LogGroup).
func (b *builder) logGroups() {
	for _, r := range b.t.Resources {
		if r.Type != "AWS::Logs::LogGroup" {
			continue
		}
		v := b.t.Resolve(sam.Get(r.Properties, "LogGroupName"))
		if !strings.HasPrefix(v.Text, "/aws/lambda/") {
			continue
		}
		for _, ref := range v.Refs {
			if f := b.fns[ref.ID]; f != nil && f.LogGroup == "" {
				f.LogGroup = r.ID
			}
		}
		if v.Known {
			name := strings.TrimPrefix(v.Text, "/aws/lambda/")
			if id, ok := b.names[name]; ok {
				if f := b.fns[id]; f != nil && f.LogGroup == "" {
					f.LogGroup = r.ID
				}
			}
		}
	}
}
