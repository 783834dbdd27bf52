package report

import "testing"

// PDFText is the text of a PDF for the external tests: pdftotext's when it
// is installed, else the text-showing operators of the content streams.
func PDFText(t *testing.T, data []byte) string {
	t.Helper()
	if s, ok := pdftotext(t, data); ok {
		return s
	}
	return readPDF(t, data).Text
}
