package simulate

import (
	"bufio"
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkSimulate makes people of 24 months one after another on one
// goroutine, and reports people/s and events/s.
func BenchmarkSimulate(b *testing.B) {
	s, err := New(Config{Subjects: MaxSubjects, Months: 24, Seed: 1, End: testEnd})
	if err != nil {
		b.Fatal(err)
	}
	events := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		events += len(s.Person(i).Events)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "people/s")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// TestScale simulates a million people over 24 months with Run on every
// core, encodes every event as NDJSON to io.Discard, and logs the time,
// the rates and the peak memory. It runs only when OPENCREDIT_SIM_SCALE=1
// (OPENCREDIT_SIM_SCALE_N overrides the number of people):
//
//	OPENCREDIT_SIM_SCALE=1 go test ./simulate/ -run TestScale -v -timeout 60m
func TestScale(t *testing.T) {
	if os.Getenv("OPENCREDIT_SIM_SCALE") != "1" {
		t.Skip("set OPENCREDIT_SIM_SCALE=1 to simulate a million people")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("OPENCREDIT_SIM_SCALE_N")); err == nil && v > 0 {
		n = v
	}
	s, err := New(Config{Subjects: n, Months: 24, Seed: 1, End: testEnd})
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(io.Discard, 1<<16)
	var buf []byte
	events, consents := 0, 0
	begin := time.Now()
	err = s.Run(context.Background(), 0, func(p Person) error {
		buf = p.AppendNDJSON(buf[:0])
		if _, err := w.Write(buf); err != nil {
			return err
		}
		events += len(p.Events)
		consents += len(p.Consents)
		if p.Index%100_000 == 0 {
			t.Logf("%8d people, %10d events, %v", p.Index, events, time.Since(begin).Round(time.Second))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(begin)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d people × 24 months: %d events, %d consents in %v with %d workers: %.0f people/s, %.0f events/s",
		n, events, consents, took.Round(time.Second), runtime.GOMAXPROCS(0),
		float64(n)/took.Seconds(), float64(events)/took.Seconds())
	t.Logf("memory: HeapSys %d MiB, Sys %d MiB, peak RSS (VmHWM) %s", ms.HeapSys>>20, ms.Sys>>20, peakRSS())
}

// peakRSS returns the process's peak resident set size from
// /proc/self/status, or "unknown".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
