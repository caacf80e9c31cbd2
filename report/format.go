package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// notAvailable stands for an undefined number in every report.
const notAvailable = "n/a"

// fixed prints x with prec decimals, or n/a.
func fixed(x Float, prec int) string {
	if !x.Valid() {
		return notAvailable
	}
	return strconv.FormatFloat(float64(x), 'f', prec, 64)
}

// pct prints a share as a percentage with one decimal, or n/a.
func pct(x Float) string {
	if !x.Valid() {
		return notAvailable
	}
	return strconv.FormatFloat(100*float64(x), 'f', 1, 64) + "%"
}

// scoreRange prints an inclusive range of scores, "600–649", or one score.
func scoreRange(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
}

// truncate shortens s to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// bar draws share (0–1) as up to width '#' characters.
func bar(share float64, width int) string {
	k := int(share*float64(width) + 0.5)
	if k == 0 && share > 0 {
		k = 1
	}
	return strings.Repeat("#", min(k, width))
}

// errWriter keeps the first write error so that a writer can print freely
// and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (ew *errWriter) printf(format string, args ...any) {
	if ew.err == nil {
		_, ew.err = fmt.Fprintf(ew.w, format, args...)
	}
}

func (ew *errWriter) Write(p []byte) (int, error) {
	if ew.err != nil {
		return 0, ew.err
	}
	n, err := ew.w.Write(p)
	ew.err = err
	return n, err
}
