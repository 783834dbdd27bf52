package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// A PDF reader for tests, independent of poppler: it inflates the content
// streams and decodes the strings of the text-showing operators (fpdf
// writes UTF-8 fonts as Identity-H with Unicode code points as CIDs). When
// pdftotext is installed (scripts/deps.sh installs poppler-utils) the tests
// read the PDF with it as well, which checks what a real reader extracts.

var (
	streamRe = regexp.MustCompile(`(?s)<<(.{0,400}?)>>\s*stream\r?\n`)
	lengthRe = regexp.MustCompile(`/Length (\d+)`)
	pageRe   = regexp.MustCompile(`/Type /Page[^s]`)
	imageRe  = regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)`)
)

type pdfInfo struct {
	Text   string   // text of every Tj, one per line, in content-stream order
	Page   []string // the same per page (fpdf writes one content stream per page, in order)
	Pages  int
	Images [][2]int // pixel sizes
}

func readPDF(t *testing.T, data []byte) pdfInfo {
	t.Helper()
	checkPDFStructure(t, data)
	var info pdfInfo
	info.Pages = len(pageRe.FindAll(data, -1))
	for _, m := range imageRe.FindAllSubmatch(data, -1) {
		w, _ := strconv.Atoi(string(m[1]))
		h, _ := strconv.Atoi(string(m[2]))
		info.Images = append(info.Images, [2]int{w, h})
	}
	var text strings.Builder
	for _, loc := range streamRe.FindAllSubmatchIndex(data, -1) {
		dict := string(data[loc[2]:loc[3]])
		// The match may start in an earlier object (a page's annotations):
		// keep the stream object's own dictionary.
		if i := strings.LastIndex(dict, " obj"); i >= 0 {
			dict = dict[i:]
		}
		lm := lengthRe.FindStringSubmatch(dict)
		if lm == nil {
			t.Fatalf("stream without /Length: %q", dict)
		}
		n, _ := strconv.Atoi(lm[1])
		start := loc[1]
		if start+n > len(data) {
			t.Fatalf("stream runs past the end of the file")
		}
		body := data[start : start+n]
		if !bytes.HasPrefix(data[start+n:], []byte("\nendstream")) {
			t.Fatalf("stream /Length %d does not end at endstream", n)
		}
		if strings.Contains(dict, "/FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("stream is not valid zlib: %v", err)
			}
			raw, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("stream does not inflate: %v", err)
			}
			body = raw
		}
		if strings.Contains(dict, "/Subtype") || !bytes.Contains(body, []byte("Tj")) {
			continue
		}
		var page strings.Builder
		for _, s := range showStrings(body) {
			page.WriteString(s)
			page.WriteByte('\n')
		}
		info.Page = append(info.Page, page.String())
		text.WriteString(page.String())
	}
	info.Text = text.String()
	return info
}

// checkPDFStructure: header, %%EOF, and a cross-reference table whose every
// offset points at the object it names.
func checkPDFStructure(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("not a PDF: starts with %q", data[:min(8, len(data))])
	}
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte("%%EOF")) {
		t.Fatal("PDF does not end with the end-of-file marker")
	}
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		t.Fatal("PDF has no startxref")
	}
	fields := strings.Fields(string(data[i+len("startxref"):]))
	off, err := strconv.Atoi(fields[0])
	if err != nil || off <= 0 || off >= len(data) || !bytes.HasPrefix(data[off:], []byte("xref")) {
		t.Fatalf("startxref %q does not point at the xref table", fields[0])
	}
	lines := strings.Split(string(data[off:]), "\n")
	hdr := strings.Fields(lines[1])
	first, _ := strconv.Atoi(hdr[0])
	count, _ := strconv.Atoi(hdr[1])
	for k := 1; k < count; k++ {
		e := strings.Fields(lines[2+k])
		if len(e) < 3 || e[2] != "n" {
			continue
		}
		o, _ := strconv.Atoi(e[0])
		want := strconv.Itoa(first+k) + " 0 obj"
		if o <= 0 || o >= len(data) || !bytes.HasPrefix(data[o:], []byte(want)) {
			t.Fatalf("xref entry %d points at %d, which is not %q", first+k, o, want)
		}
	}
}

// showStrings decodes the (string) Tj operands of a content stream.
func showStrings(content []byte) []string {
	var out []string
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var raw []byte
		depth := 1
		j := i + 1
		for ; j < len(content) && depth > 0; j++ {
			c := content[j]
			switch c {
			case '\\':
				j++
				if j >= len(content) {
					break
				}
				switch e := content[j]; e {
				case 'n':
					raw = append(raw, '\n')
				case 'r':
					raw = append(raw, '\r')
				case 't':
					raw = append(raw, '\t')
				case 'b':
					raw = append(raw, '\b')
				case 'f':
					raw = append(raw, '\f')
				default:
					if e >= '0' && e <= '7' {
						v := 0
						k := 0
						for ; k < 3 && j+k < len(content) && content[j+k] >= '0' && content[j+k] <= '7'; k++ {
							v = v*8 + int(content[j+k]-'0')
						}
						j += k - 1
						raw = append(raw, byte(v))
					} else {
						raw = append(raw, e)
					}
				}
				continue
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					continue
				}
			}
			raw = append(raw, c)
		}
		rest := bytes.TrimLeft(content[j:], " ")
		if bytes.HasPrefix(rest, []byte("Tj")) {
			out = append(out, decodeUTF16BE(raw))
		}
		i = j - 1
	}
	return out
}

func decodeUTF16BE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// pdftotext runs poppler's extractor when it is installed; ok is false
// when it is not.
func pdftotext(t *testing.T, data []byte) (string, bool) {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", false
	}
	cmd := exec.Command(path, "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext rejects the PDF: %v: %s", err, stderr.String())
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Errorf("pdftotext complains: %s", s)
	}
	return out.String(), true
}

// squash removes whitespace so that text wrapped across lines still matches.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}
