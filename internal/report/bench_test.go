package report

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/testshared"
)

// Benchmarks of the three formats on Fresh Tracks and on the 1000-function
// synthetic template (go test ./internal/report -bench . -run '^$').
// The analysis runs once, outside the timer; the diagram is drawn by the
// real renderer inside it. Output size is reported as a metric.

func benchWrite(b *testing.B, m *model.Model, write func(context.Context, *model.Model, io.Writer, Options) error) {
	b.Helper()
	var size int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := write(context.Background(), m, &buf, Options{Date: fixedDate, Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

func BenchmarkFreshTracks(b *testing.B) {
	m := analyse(b, testshared.FreshTracks(b, "template.yaml"))
	b.Run("pdf", func(b *testing.B) { benchWrite(b, m, WritePDF) })
	b.Run("markdown", func(b *testing.B) { benchWrite(b, m, WriteMarkdown) })
	b.Run("html", func(b *testing.B) { benchWrite(b, m, WriteHTML) })
}

func BenchmarkFunctions1000(b *testing.B) {
	m := analyse(b, testshared.Path(b, "corpus", "synthetic", "functions-1000.yaml"))
	b.Run("pdf", func(b *testing.B) { benchWrite(b, m, WritePDF) })
	b.Run("markdown", func(b *testing.B) { benchWrite(b, m, WriteMarkdown) })
	b.Run("html", func(b *testing.B) { benchWrite(b, m, WriteHTML) })
}
