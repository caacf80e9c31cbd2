package main

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/bench"
)

// TestBenchLoad runs bench load for two seconds on 200 people, and its baseline for two more, and checks
// that it measured both operations, answered every request, and that its
// consistency check passed with counts that agree with the figures it
// printed: every answer left one audit record, and every subject's features
// were recomputed (200 is under the default --sample). On SQLite, and on
// PostgreSQL when OPENCREDIT_TEST_POSTGRES is set.
func TestBenchLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("bench load runs for two seconds")
	}
	stores := [][]string{{"--store", "sqlite"}}
	if dsn := os.Getenv("OPENCREDIT_TEST_POSTGRES"); dsn != "" {
		stores = append(stores, []string{"--store", "postgres", "--postgres", dsn})
	}
	for _, flags := range stores {
		t.Run(flags[1], func(t *testing.T) { testBenchLoad(t, flags) })
	}
}

func testBenchLoad(t *testing.T, flags []string) {
	args := append([]string{"bench", "load", "--duration", "2s", "--subjects", "200", "--writers", "2", "--readers", "4", "--json"}, flags...)
	code, out, errOut := cli(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res bench.LoadResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not one JSON object: %v: %s", err, out)
	}
	if res.Store != flags[1] || res.Subjects != 200 || res.Writers != 2 || res.Readers != 4 || res.DurationS < 2 {
		t.Errorf("subjects, writers, readers, duration = %d, %d, %d, %.2fs; want 200, 2, 4, at least 2s", res.Subjects, res.Writers, res.Readers, res.DurationS)
	}
	if res.EventsPerSec <= 0 || res.ScoresPerSec <= 0 {
		t.Errorf("events/s %.0f, scores/s %.0f: want both positive", res.EventsPerSec, res.ScoresPerSec)
	}
	for name, op := range map[string]bench.LoadOp{"post_events": res.Events, "get_score": res.Scores} {
		if op.Requests == 0 || len(op.Errors) != 0 {
			t.Errorf("%s: %d answered, errors %v; want some and none", name, op.Requests, op.Errors)
		}
		if !(0 < op.P50ms && op.P50ms <= op.P90ms && op.P90ms <= op.P99ms && op.P99ms <= op.MaxMs) {
			t.Errorf("%s: p50 %.3f, p90 %.3f, p99 %.3f, max %.3f ms: want positive and non-decreasing", name, op.P50ms, op.P90ms, op.P99ms, op.MaxMs)
		}
	}
	answered := res.Events.Requests + res.Scores.Requests
	if want := float64(answered) / res.DurationS / res.BaselinePerSec; res.BaselinePerSec <= 0 || math.Abs(res.Ratio-want) > 1e-9*want {
		t.Errorf("baseline %.0f req/s, ratio %.4f: want a positive baseline and the ratio %.4f of requests answered per second to it", res.BaselinePerSec, res.Ratio, want)
	}
	c := res.Check
	if !c.OK || len(c.Problems) != 0 {
		t.Fatalf("check %+v: want it passed", c)
	}
	if c.EventsAccepted == 0 || c.EventsStored != c.EventsAccepted {
		t.Errorf("events accepted %d, stored %d: want equal and positive", c.EventsAccepted, c.EventsStored)
	}
	// Each batch is 100 generated events, all valid and consented to.
	if c.EventsAccepted != 100*res.Events.Requests {
		t.Errorf("%d events accepted from %d batches of 100", c.EventsAccepted, res.Events.Requests)
	}
	if c.FeaturesChecked != 200 || len(c.FeaturesDiffer) != 0 {
		t.Errorf("features checked %d, differing %v: want all 200, none", c.FeaturesChecked, c.FeaturesDiffer)
	}
	if c.AuditAnswered != answered || c.AuditRecords != answered || c.AuditRefusals != 0 || c.AuditSize != int64(answered) || !c.AuditVerified {
		t.Errorf("audit %+v: want %d answers, as many records, no refusals, verified", c, answered)
	}
	// A record is a few hundred bytes of JSON and its hashes: anything
	// from 50 bytes to 10 kB a record is plausible, 0 is not measured.
	if res.AuditBytesPerRecord < 50 || res.AuditBytesPerRecord > 10000 {
		t.Errorf("audit bytes per record = %.0f, want between 50 and 10,000", res.AuditBytesPerRecord)
	}
}

// TestBenchLoadCheckFails injects an inconsistency of each kind the check
// looks for, through benchLoadHook, and expects exit status 1 with the
// check's problem printed: an event stored that the API never
// acknowledged, an audit record no request answered, and a recomputation
// that disagrees with the live features.
func TestBenchLoadCheckFails(t *testing.T) {
	if testing.Short() {
		t.Skip("bench load runs for a second each time")
	}
	t.Cleanup(func() { benchLoadHook = nil })
	cases := []struct {
		name string
		hook func(cfg *bench.LoadConfig, open *bench.OpenFunc)
		want string
	}{
		{"unacknowledged event", func(cfg *bench.LoadConfig, _ *bench.OpenFunc) {
			cfg.AfterLoad = func(ctx context.Context, st opencredit.Store, _ *audit.Log) error {
				e := opencredit.Event{SpecVersion: opencredit.SpecVersion, ID: "injected-1", Source: "furnisher-01",
					Type: opencredit.TypeInquiry, Subject: "s0000001", Time: time.Now().UTC().Add(-time.Hour),
					Data: json.RawMessage(`{"kind":"hard","purpose":"credit_application","counterparty":"lender-x"}`)}
				res, err := st.Ingest(ctx, []opencredit.Event{e})
				if err == nil && res[0].Status != opencredit.Accepted {
					t.Errorf("the injected event was not stored: %+v", res[0])
				}
				return err
			}
		}, "events: "},
		{"unanswered audit record", func(cfg *bench.LoadConfig, _ *bench.OpenFunc) {
			cfg.AfterLoad = func(ctx context.Context, _ opencredit.Store, log *audit.Log) error {
				_, err := log.Append(ctx, audit.Record{Time: time.Now().UTC(), Client: "load-lender", Role: opencredit.RoleLender,
					Purpose: opencredit.PurposeAccountReview, Subject: "s0000001", Action: audit.ActionScore,
					Result: audit.Result{Score: 600, Band: "good"}})
				return err
			}
		}, "audit: "},
		{"features differ", func(_ *bench.LoadConfig, open *bench.OpenFunc) {
			inner := *open
			*open = func(ctx context.Context, name, dir string) (opencredit.Store, error) {
				st, err := inner(ctx, name, dir)
				if err != nil {
					return nil, err
				}
				return skewedStore{st}, nil
			}
		}, "features: 1 of 200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			benchLoadHook = tc.hook
			code, out, errOut := cli("bench", "load", "--duration", "1s", "--subjects", "200", "--writers", "1", "--readers", "2", "--baseline=false")
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s", code, errOut)
			}
			if !strings.Contains(out, "check FAILED") || !strings.Contains(out, "problem: "+tc.want) ||
				!strings.Contains(errOut, "consistency check failed") {
				t.Errorf("want the check failed with a problem %q; stdout:\n%s\nstderr:\n%s", tc.want, out, errOut)
			}
			if strings.Count(out, "problem: ") != 1 {
				t.Errorf("want only the injected problem:\n%s", out)
			}
		})
	}
}

// skewedStore recomputes one subject's features wrong: one more hard
// inquiry in 12 months than its events hold.
type skewedStore struct{ opencredit.Store }

func (s skewedStore) Register(ctx context.Context, subjects []string, at time.Time, consents []opencredit.Consent) error {
	return s.Store.(opencredit.Registrar).Register(ctx, subjects, at, consents)
}

func (s skewedStore) RecomputeFeatures(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	fv, err := s.Store.RecomputeFeatures(ctx, subject, asOf)
	if err == nil && subject == "s0000001" {
		fv.Values = maps.Clone(fv.Values)
		if fv.Values == nil {
			fv.Values = map[string]float64{}
		}
		fv.Values["hard_inquiries_12m"]++
	}
	return fv, err
}

// TestBenchLoadFlags: bad numbers are refused with exit 2, naming the flag,
// before anything is opened.
func TestBenchLoadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--subjects", "10"}, "--duration"},
		{[]string{"--duration", "1s", "--subjects", "0"}, "--subjects"},
		{[]string{"--duration", "1s", "--writers", "0", "--readers", "0"}, "--writers"},
		{[]string{"--duration", "1s", "--batch", "10001"}, "--batch"},
		{[]string{"--duration", "1s", "--sample", "-1"}, "--sample"},
		{[]string{"--duration", "1s", "--store", "mysql"}, "--store"},
	} {
		code, _, errOut := cli(append([]string{"bench", "load"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.args, code, errOut, tc.want)
		}
	}
}
