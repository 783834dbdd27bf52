package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/testshared"
)

func TestFreshTracksPDF(t *testing.T) {
	for _, name := range []string{"template.yaml", "template-least-privilege.yaml", "template-monolith.yaml"} {
		t.Run(name, func(t *testing.T) {
			m := analyse(t, testshared.FreshTracks(t, name))
			if len(m.Findings) == 0 || len(m.Functions) == 0 {
				t.Fatalf("fixture gave %d functions, %d findings", len(m.Functions), len(m.Findings))
			}
			var buf bytes.Buffer
			var steps []string
			o := testOptions()
			o.Progress = func(s string) { steps = append(steps, s) }
			if err := WritePDF(context.Background(), m, &buf, o); err != nil {
				t.Fatal(err)
			}
			info := readPDF(t, buf.Bytes())
			if info.Pages < 5 {
				t.Errorf("%d pages, want at least 5", info.Pages)
			}
			if len(info.Images) < 1 || len(info.Images) > 4 {
				t.Fatalf("%d images in the PDF, want the diagram on one to four pages", len(info.Images))
			}
			for _, im := range info.Images {
				if w := im[0]; w < 800 {
					t.Errorf("diagram is %d pixels wide: too coarse to read", w)
				}
			}
			texts := map[string]string{"internal reader": info.Text}
			if pt, ok := pdftotext(t, buf.Bytes()); ok {
				texts["pdftotext"] = pt
			} else {
				t.Log("pdftotext not installed (scripts/deps.sh installs poppler-utils): checked with the internal reader only")
			}
			for reader, text := range texts {
				flat := squash(text)
				for _, n := range needles(t, m) {
					if !strings.Contains(flat, squash(n)) {
						t.Errorf("%s: PDF text lacks %q", reader, n)
					}
				}
				for _, bad := range []string{"{toc:", "{nb}", zendeskSecret, "could not be drawn"} {
					if strings.Contains(text, bad) {
						t.Errorf("%s: PDF text contains %q", reader, bad)
					}
				}
			}
			if !strings.Contains(strings.Join(steps, ","), "writing PDF") {
				t.Errorf("progress steps %v lack the writing step", steps)
			}
		})
	}
}

// The contents list every part with the page it starts on, and each
// number is right: the heading is on that page.
func TestContentsPageNumbers(t *testing.T) {
	m := goldenModel(t)
	d, err := build(context.Background(), m, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, b := range flatten(d.Blocks) {
		if h, ok := b.(heading); ok && h.TOC && h.Level <= 2 {
			titles = append(titles, headingText(h))
		}
	}
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), m, &buf, testOptions()); err != nil {
		t.Fatal(err)
	}
	info := readPDF(t, buf.Bytes())
	if len(info.Page) != info.Pages {
		t.Fatalf("%d page texts for %d pages", len(info.Page), info.Pages)
	}
	// The contents are on the cover when they fit, else after the executive summary.
	tocPage := -1
	for i, text := range info.Page {
		if strings.HasPrefix(strings.TrimSpace(text), "Contents") || strings.Contains(text, "\nContents\n") {
			tocPage = i
			break
		}
	}
	if tocPage < 0 {
		t.Fatal("no contents page")
	}
	// The numbers are written last on each contents page, after its footer.
	var numbers []string
	for pg := tocPage; len(numbers) < len(titles) && pg < len(info.Page); pg++ {
		lines := strings.Split(strings.TrimRight(info.Page[pg], "\n"), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, fmt.Sprintf("Page %d of ", pg+1)) {
				numbers = append(numbers, lines[i+1:]...)
				break
			}
		}
	}
	if len(numbers) < len(titles) {
		t.Fatalf("contents list %d page numbers for %d entries", len(numbers), len(titles))
	}
	last := 0
	for i, title := range titles {
		n, err := strconv.Atoi(numbers[i])
		if err != nil || n < 2 || n > info.Pages {
			t.Fatalf("entry %q has page %q", title, numbers[i])
		}
		if n < last {
			t.Errorf("entry %q on page %d comes before the previous entry's page %d", title, n, last)
		}
		last = n
		if !strings.Contains(info.Page[n-1], title) {
			t.Errorf("entry %q says page %d, which does not show it", title, n)
		}
	}
	for n, text := range info.Page[1:] {
		if want := fmt.Sprintf("Page %d of %d", n+2, info.Pages); !strings.Contains(text, want) {
			t.Errorf("page %d has no footer %q", n+2, want)
		}
	}
}

func TestPDFSafe(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	sans, mono := fonts["sans"], fonts["mono"]
	tests := []struct {
		font      *pdfFont
		in, want  string
		multiline bool
	}{
		{sans, "plain ASCII", "plain ASCII", false},
		{sans, "Привет, Ελληνικά, Ünïcödé", "Привет, Ελληνικά, Ünïcödé", false},
		{sans, "fire 🔥", "fire [U+1F525]", false},
		{sans, "你好", "[U+4F60][U+597D]", false},
		{sans, "bell\a nul\x00", "bell[U+0007] nul[U+0000]", false},
		{sans, "rtl\u202eoverride", "rtl[U+202E]override", false},
		{sans, "zero\u200bwidth", "zero[U+200B]width", false},
		{sans, "a\r\nb\tc", "a b    c", false},
		{sans, "a\nb", "a\nb", true},
		{sans, "bad \xff byte", "bad \uFFFD byte", false},
		{mono, "mono 😀", "mono [U+1F600]", false},
	}
	for _, tt := range tests {
		if got := pdfSafe(tt.font, tt.in, tt.multiline); got != tt.want {
			t.Errorf("pdfSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrapNeverOverflows(t *testing.T) {
	p := newTestPDF(t)
	inputs := []string{
		"short",
		strings.Repeat("averyveryverylongidentifierwithoutanybreaks", 5),
		"arn:aws:dynamodb:us-east-1:123456789012:table/FreshTracksDatabaseTable/index/*",
		"words and words " + strings.Repeat("x", 300) + " more words",
		"Привет мир " + strings.Repeat("Ж", 200),
		"",
	}
	for _, family := range []string{"sans", "mono"} {
		for _, w := range []float64{8, 25, 60, 174} {
			p.setFont(family, "", 8)
			for _, in := range inputs {
				lines := p.wrap(p.safe(in, false), w)
				joined := squash(strings.Join(lines, ""))
				if joined != squash(p.safe(in, false)) {
					t.Errorf("%s %.0f: wrapping lost text of %.20q", family, w, in)
				}
				for _, l := range lines {
					if lw := p.width(l); lw > w+0.01 && len([]rune(l)) > 1 {
						t.Errorf("%s %.0f: line %.20q is %.1f mm wide", family, w, l, lw)
					}
				}
			}
		}
	}
}

func TestYAMLHighlighting(t *testing.T) {
	tests := []struct {
		line string
		want []segment
	}{
		{"  Type: AWS::S3::Bucket", []segment{{"  ", colText}, {"Type:", colKey}, {" AWS::S3::Bucket", colText}}},
		{"- Effect: Allow", []segment{{"- ", colText}, {"Effect:", colKey}, {" Allow", colText}}},
		{"RestApiId: !Ref FreshTracksAPI", []segment{{"", colText}, {"RestApiId:", colKey}, {" !Ref", colTag}, {" FreshTracksAPI", colText}}},
		{"  Resource: \"*\"", []segment{{"  ", colText}, {"Resource:", colKey}, {" \"*\"", colString}}},
		{"  # a comment: with colon", []segment{{"  # a comment: with colon", colComment}}},
		{"  - iot:Publish", []segment{{"  - iot:Publish", colText}}},
		{"Properties:", []segment{{"", colText}, {"Properties:", colKey}, {"", colText}}},
	}
	for _, tt := range tests {
		got := yamlSegments(tt.line, true)
		var joined string
		for _, s := range got {
			joined += s.text
		}
		if joined != tt.line {
			t.Errorf("%q: segments lose text: %q", tt.line, joined)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: segments %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestColumnWidthsFillTheLine(t *testing.T) {
	p := newTestPDF(t)
	tables := []table{
		{Cols: []column{{Title: "A"}, {Title: "B", Right: true}}, Rows: [][]string{{"x", "1"}}},
		{Cols: []column{{Title: "Function", Mono: true}, {Title: "Code", Mono: true}, {Title: "n", Right: true}},
			Rows: [][]string{{strings.Repeat("LongIdentifier", 12), "src/" + strings.Repeat("dir/", 30) + "x.handler", "12"}}},
		{Cols: []column{{Title: "Only"}}, Rows: nil},
	}
	for i, tb := range tables {
		ws := p.columnWidths(tb, 174)
		var sum float64
		for _, w := range ws {
			if w <= 0 {
				t.Errorf("table %d: a column of width %.2f", i, w)
			}
			sum += w
		}
		if sum < 173.99 || sum > 174.01 {
			t.Errorf("table %d: widths add up to %.2f, want 174", i, sum)
		}
	}
}

func newTestPDF(t *testing.T) *pdfDoc {
	t.Helper()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	f, err := newFpdf(fonts, fixedDate)
	if err != nil {
		t.Fatal(err)
	}
	f.AddPage()
	return &pdfDoc{f: f, fonts: fonts, widths: map[string]map[rune]float64{}}
}

// ---------------------------------------------------------------- helpers

func tinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for x := 0; x < 1200; x++ {
		img.Set(x, 300, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TestFreshTracksReadable holds the report to what a reviewer reads
// (issue 13): the Fresh Tracks PDF in at most 25 pages, the top-risks
// table on page 1 or 2, and the contents on the cover when they fit.
func TestFreshTracksReadable(t *testing.T) {
	m := analyse(t, testshared.FreshTracks(t, "template.yaml"))
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), m, &buf, testOptions()); err != nil {
		t.Fatal(err)
	}
	info := readPDF(t, buf.Bytes())
	if info.Pages > 25 {
		t.Errorf("%d pages, want at most 25", info.Pages)
	}
	top := -1
	for i, text := range info.Page {
		if strings.Contains(text, "Top risks") {
			top = i + 1
			break
		}
	}
	if top < 1 || top > 2 {
		t.Errorf("top-risks table on page %d, want 1 or 2", top)
	}
	if !strings.Contains(info.Page[0], "Contents") {
		t.Error("the contents are not on the cover, though they fit there")
	}
}
