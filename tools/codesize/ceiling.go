package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Ceiling is the most the repository may hold of each kind of oversized code.
// It only goes down: when a figure falls below it, lower the file in the same
// commit so the gain cannot be spent again.
type Ceiling struct {
	Long, Complex, Big int
}

// Figures are the counts a Result gives, in Ceiling's shape.
func (r Result) Figures() Ceiling {
	return Ceiling{Long: len(r.Long()), Complex: len(r.Complex()), Big: len(r.Big())}
}

var ceilingKeys = []struct {
	key   string
	field func(*Ceiling) *int
	what  string
}{
	{"functions-over-80-lines", func(c *Ceiling) *int { return &c.Long }, "functions over 80 lines"},
	{"functions-over-cyclomatic-30", func(c *Ceiling) *int { return &c.Complex }, "functions over cyclomatic 30"},
	{"files-over-800-lines", func(c *Ceiling) *int { return &c.Big }, "files over 800 lines"},
}

// ParseCeiling reads "key number" lines (# comments and blank lines allowed);
// every key must be given once. name is used in errors.
func ParseCeiling(name string, r io.Reader) (Ceiling, error) {
	var c Ceiling
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return c, fmt.Errorf("%s:%d: want \"key number\", got %q", name, ln, line)
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < 0 {
			return c, fmt.Errorf("%s:%d: %s: %q is not a count", name, ln, fields[0], fields[1])
		}
		found := false
		for _, k := range ceilingKeys {
			if k.key == fields[0] {
				if seen[k.key] {
					return c, fmt.Errorf("%s:%d: %s given twice", name, ln, k.key)
				}
				seen[k.key], found = true, true
				*k.field(&c) = n
			}
		}
		if !found {
			return c, fmt.Errorf("%s:%d: unknown key %q", name, ln, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("%s: %w", name, err)
	}
	for _, k := range ceilingKeys {
		if !seen[k.key] {
			return c, fmt.Errorf("%s: %s missing", name, k.key)
		}
	}
	return c, nil
}

// Compare says, one line per figure, how got stands against the ceiling;
// over is true when any figure is above it.
func Compare(got, ceiling Ceiling) (lines []string, over bool) {
	for _, k := range ceilingKeys {
		g, c := *k.field(&got), *k.field(&ceiling)
		switch {
		case g > c:
			over = true
			lines = append(lines, fmt.Sprintf("OVER  %s: %d, ceiling %d", k.what, g, c))
		case g < c:
			lines = append(lines, fmt.Sprintf("below %s: %d, ceiling %d (lower %s to %d)", k.what, g, c, k.key, g))
		default:
			lines = append(lines, fmt.Sprintf("ok    %s: %d, ceiling %d", k.what, g, c))
		}
	}
	return lines, over
}
