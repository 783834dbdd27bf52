package blast

import (
	"fmt"

	"github.com/samthreat/samthreat/internal/model"
)

// estimateUnknown gives every function whose code samthreat could not read
// (not found, not parsed) a c_f that does not flatter it: the highest c_f
// measured in the same application, so that a function nobody could read
// never ranks as the safest, and recomputes its blast radius. The function
// stays marked estimated, with the basis in ComplexityBasis. When no
// function of the application was measured there is nothing to borrow: c_f
// stays 1, said to be a lower bound. Functions whose code this build cannot
// parse (CodeNotRead, no cgo) keep their own lower-bound treatment.
func estimateUnknown(m *model.Model) {
	var top *model.Function
	for _, f := range m.Functions {
		if b := f.Blast; b != nil && !b.ComplexityEstimated && !b.CodeNotRead && (top == nil || b.Complexity > top.Complexity) {
			top = f
		}
	}
	for _, f := range m.Functions {
		b := f.Blast
		if b == nil || !b.ComplexityEstimated || b.CodeNotRead {
			continue
		}
		if top == nil {
			b.ComplexityBasis = "estimated: no function of this application has code samthreat could read, so c_f is shown as 1, a lower bound"
			continue
		}
		if top.Complexity > b.Complexity {
			b.Complexity = top.Complexity
		}
		b.ComplexityBasis = fmt.Sprintf("estimated: code not read, counted as the highest c_f measured in this application (%d, %s) so that it never ranks as the safest", top.Complexity, top.ID)
		b.BlastRadius = int64(b.Complexity) * int64(b.Dependencies) * int64(b.ResourceCount)
		b.BlastScore = Score(b.BlastRadius)
	}
}
