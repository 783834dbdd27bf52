package diagram

import "github.com/samthreat/samthreat/internal/gvcache"

// go-graphviz has compiled Graphviz by now, with its cache in the user's own
// cache folder (see internal/gvcache): give $TMPDIR back.
func init() { gvcache.Restore() }
