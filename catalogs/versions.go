package catalogs

import (
	_ "embed"
	"strings"
)

//go:embed iam/VERSIONS
var iamVersions string

// IAMDataVersions are the versions of the upstream IAM data generated into
// catalogs/iam (catalogs/iam/VERSIONS: "name: version" lines), in file order.
func IAMDataVersions() [][2]string {
	var out [][2]string
	for _, line := range strings.Split(iamVersions, "\n") {
		name, version, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(name) != "" {
			out = append(out, [2]string{strings.TrimSpace(name), strings.TrimSpace(version)})
		}
	}
	return out
}
