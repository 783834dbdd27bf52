package report

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/samthreat/samthreat/catalogs"
)

// The PDF embeds DejaVu Sans (and Mono) from catalogs/fonts. Characters the
// font has no glyph for (emoji, CJK) and characters the PDF library cannot
// encode (outside the Basic Multilingual Plane) are written as [U+XXXX], so
// the reader sees that something is there and what it is, instead of an
// empty box or a silent gap.

type pdfFont struct {
	family, style, file string
	data                []byte
	sf                  *sfnt.Font
	mu                  sync.Mutex
	has                 map[rune]bool
	buf                 sfnt.Buffer
}

var (
	fontsOnce sync.Once
	fontsErr  error
	fontSet   map[string]*pdfFont // key: family+style
)

func loadFonts() (map[string]*pdfFont, error) {
	fontsOnce.Do(func() {
		fontSet = map[string]*pdfFont{}
		for _, f := range []struct{ family, style, file string }{
			{"sans", "", catalogs.FontSans},
			{"sans", "B", catalogs.FontSansBold},
			{"sans", "I", catalogs.FontSansOblique},
			{"mono", "", catalogs.FontMono},
		} {
			data, err := catalogs.Font(f.file)
			if err != nil {
				fontsErr = err
				return
			}
			sf, err := sfnt.Parse(data)
			if err != nil {
				fontsErr = fmt.Errorf("embedded font %s: %w", f.file, err)
				return
			}
			fontSet[f.family+f.style] = &pdfFont{family: f.family, style: f.style, file: f.file, data: data, sf: sf, has: map[rune]bool{}}
		}
	})
	return fontSet, fontsErr
}

func (p *pdfFont) covers(r rune) bool {
	if r < 0x7f && r >= 0x20 {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.has[r]; ok {
		return v
	}
	gi, err := p.sf.GlyphIndex(&p.buf, r)
	v := err == nil && gi != 0
	p.has[r] = v
	return v
}

// pdfSafe makes s printable with font f: control and format characters and
// characters without a glyph become [U+XXXX]; tabs become spaces; newlines
// are kept only when multiline is set.
func pdfSafe(f *pdfFont, s string, multiline bool) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteString("    ")
		case r == utf8RuneError:
			b.WriteRune(r) // invalid bytes show as the replacement character
		case r > 0xFFFF, unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r),
			r >= 0xFFF0, !f.covers(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const utf8RuneError = '\uFFFD'
