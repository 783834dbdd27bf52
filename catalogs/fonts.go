package catalogs

import (
	"embed"
	"fmt"
)

// The DejaVu Sans family (Bitstream Vera licence, see fonts/LICENSE), embedded
// so PDF reports can typeset any UTF-8 text the template holds without relying
// on the fonts installed on the machine.

//go:embed fonts/*.ttf fonts/LICENSE
var fontsFS embed.FS

// Font files shipped in fonts/.
const (
	FontSans        = "DejaVuSans.ttf"
	FontSansBold    = "DejaVuSans-Bold.ttf"
	FontSansOblique = "DejaVuSans-Oblique.ttf"
	FontMono        = "DejaVuSansMono.ttf"
)

// Font returns the bytes of one of the embedded TrueType fonts.
func Font(name string) ([]byte, error) {
	data, err := fontsFS.ReadFile("fonts/" + name)
	if err != nil {
		return nil, fmt.Errorf("embedded font %s: %w", name, err)
	}
	return data, nil
}

// FontLicense is the licence of the embedded fonts.
func FontLicense() []byte {
	data, _ := fontsFS.ReadFile("fonts/LICENSE")
	return data
}
