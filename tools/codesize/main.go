// Command codesize measures what issue 15 sets size targets for: Go functions
// over 80 lines and over cyclomatic complexity 30 (non-test files), and Go
// files over 800 lines (tests and tools included; testdata, vendor,
// node_modules and the frontend are not project Go code).
//
//	go run ./tools/codesize .                                  # the report
//	go run ./tools/codesize -ceiling tools/codesize/ceiling.txt .   # and the ceiling
//	go run ./tools/codesize -ceiling tools/codesize/ceiling.txt -enforce .
//
// With -enforce it exits 1 when a figure is over the ceiling (make codesize,
// part of make lint). Exit 2 on a usage or reading error.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("codesize", flag.ContinueOnError)
	fl.SetOutput(stderr)
	ceilingFile := fl.String("ceiling", "", "file of ceilings (key number per line) to compare the figures with")
	enforce := fl.Bool("enforce", false, "exit 1 when a figure is over the ceiling (needs -ceiling)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 || (*enforce && *ceilingFile == "") {
		fmt.Fprintln(stderr, "usage: codesize [-ceiling FILE [-enforce]] ROOT")
		return 2
	}
	res, err := Measure(fl.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "codesize:", err)
		return 2
	}
	Report(stdout, res)
	if *ceilingFile == "" {
		return 0
	}
	f, err := os.Open(*ceilingFile)
	if err != nil {
		fmt.Fprintln(stderr, "codesize:", err)
		return 2
	}
	defer f.Close()
	ceiling, err := ParseCeiling(*ceilingFile, f)
	if err != nil {
		fmt.Fprintln(stderr, "codesize:", err)
		return 2
	}
	lines, over := Compare(res.Figures(), ceiling)
	fmt.Fprintf(stdout, "\nCeiling (%s):\n", *ceilingFile)
	for _, l := range lines {
		fmt.Fprintln(stdout, "  "+l)
	}
	if over && *enforce {
		fmt.Fprintf(stderr, "codesize: over the ceiling in %s: shorten or split the functions/files listed above\n", *ceilingFile)
		return 1
	}
	return 0
}

// Report writes the three lists and a summary line.
func Report(w io.Writer, r Result) {
	long, complex, big := r.Long(), r.Complex(), r.Big()
	fmt.Fprintf(w, "Functions over %d lines (non-test files): %d\n", MaxFuncLines, len(long))
	writeFuncs(w, long)
	fmt.Fprintf(w, "\nFunctions over cyclomatic complexity %d (non-test files): %d\n", MaxCyclomatic, len(complex))
	writeFuncs(w, complex)
	fmt.Fprintf(w, "\nFiles over %d lines (tests and tools included): %d\n", MaxFileLines, len(big))
	if len(big) > 0 {
		fmt.Fprintf(w, "  %5s  %s\n", "lines", "file")
	}
	for _, f := range big {
		fmt.Fprintf(w, "  %5d  %s\n", f.Lines, f.Path)
	}
	fmt.Fprintf(w, "\nSummary: %d functions over %d lines (issue 15 target <= 10), %d over cyclomatic %d (target 0), %d files over %d lines (target 0); %d functions in %d Go files\n",
		len(long), MaxFuncLines, len(complex), MaxCyclomatic, len(big), MaxFileLines, len(r.Funcs), len(r.Files))
}

func writeFuncs(w io.Writer, fs []Func) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(w, "  %5s  %3s  %s\n", "lines", "cyc", "function")
	for _, f := range fs {
		fmt.Fprintf(w, "  %5d  %3d  %s:%d %s\n", f.Lines, f.Cyc, f.File, f.Line, f.Name)
	}
}
