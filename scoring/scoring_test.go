package scoring_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/ingest"
	"github.com/opencredit/opencredit/scoring"
)

// memStore is an in-memory scoring.Store: consents and events in maps, and
// features recomputed from the subject's events at every read, so it needs
// no driver and cannot drift from the feature definitions. It holds no
// disputes or reviews: Disputes lists none, and the other methods of
// DisputeStore and ReviewStore are the nil interfaces', which panic (the
// tests of disputes and reviews use the SQLite store).
type memStore struct {
	opencredit.DisputeStore
	opencredit.ReviewStore
	mu       sync.Mutex
	consents []opencredit.Consent
	freezes  []opencredit.Freeze
	events   map[string][]opencredit.StoredEvent // by subject
}

func (m *memStore) Frozen(_ context.Context, subject string, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.ContainsFunc(m.freezes, func(f opencredit.Freeze) bool { return f.Subject == subject && f.Active(at) }), nil
}

func (m *memStore) HasConsent(_ context.Context, subject, counterparty, purpose string, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.ContainsFunc(m.consents, func(c opencredit.Consent) bool {
		return c.Subject == subject && c.Counterparty == counterparty && c.Purpose == purpose && c.Active(at)
	}), nil
}

func (m *memStore) Consents(_ context.Context, subject string) ([]opencredit.Consent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []opencredit.Consent
	for _, c := range m.consents {
		if c.Subject == subject {
			out = append(out, c)
		}
	}
	return out, nil
}

func (m *memStore) Features(_ context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, err := ingest.RebuildState(m.events[subject])
	if err != nil {
		return opencredit.FeatureVector{}, err
	}
	return st.Compute(subject, asOf, features.DefaultConfig()), nil
}

// Ingest stores each event once by (source, id), in time order.
func (m *memStore) Ingest(_ context.Context, batch []opencredit.Event) ([]opencredit.IngestResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]opencredit.IngestResult, len(batch))
	for i, e := range batch {
		evs := m.events[e.Subject]
		if slices.ContainsFunc(evs, func(s opencredit.StoredEvent) bool { return s.Source == e.Source && s.ID == e.ID }) {
			out[i] = opencredit.IngestResult{Status: opencredit.Duplicate}
			continue
		}
		evs = append(evs, opencredit.StoredEvent{Event: e, ReceivedAt: e.Time})
		slices.SortStableFunc(evs, func(a, b opencredit.StoredEvent) int { return a.Time.Compare(b.Time) })
		m.events[e.Subject] = evs
		out[i] = opencredit.IngestResult{Status: opencredit.Accepted}
	}
	return out, nil
}

func (m *memStore) Disputes(context.Context, opencredit.DisputeFilter) ([]opencredit.Dispute, error) {
	return nil, nil
}

func (m *memStore) Events(_ context.Context, subject string) ([]opencredit.StoredEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.events[subject]), nil
}

// fixtureStore holds what apitest.Start puts in its SQLite store: Own's
// consents and its two hard inquiries from Furnisher.
func fixtureStore() *memStore {
	past := time.Now().Add(-48 * time.Hour)
	m := &memStore{events: map[string][]opencredit.StoredEvent{}}
	for _, p := range []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver, opencredit.PurposeAccountReview} {
		m.consents = append(m.consents, opencredit.Consent{Subject: apitest.Own, Counterparty: apitest.Lender, Purpose: p, GrantedAt: past})
	}
	m.consents = append(m.consents, opencredit.Consent{Subject: apitest.Own, Counterparty: apitest.Furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past})
	if _, err := m.Ingest(context.Background(), []opencredit.Event{
		apitest.Inquiry(apitest.Furnisher, apitest.Own, "inq-0"), apitest.Inquiry(apitest.Furnisher, apitest.Own, "inq-1"),
	}); err != nil {
		panic(err)
	}
	return m
}

// The fixture's clients, as the API authenticates them.
var (
	lender = opencredit.Client{ID: apitest.Lender, Name: "Lender A", Role: opencredit.RoleLender,
		Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver}}
	self = opencredit.Client{ID: apitest.Self, Name: "Own subject", Role: opencredit.RoleSubject, Subject: apitest.Own}
)

// newService is the use case over an in-memory store and audit log.
func newService(t *testing.T, st scoring.Store) (*scoring.Service, *audit.Log) {
	t.Helper()
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(context.Background(), audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Programs: programs, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return svc, log
}

// records reads every record of the log, without the time and request id
// (which differ between two runs of the same requests).
func records(t *testing.T, log *audit.Log) []audit.Record {
	t.Helper()
	var out []audit.Record
	for n := range log.Size() {
		b, err := log.Record(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		r, err := audit.ParseRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		r.Time, r.RequestID = time.Time{}, ""
		out = append(out, r)
	}
	return out
}

// TestUseCaseWritesWhatTheAPIWrites runs the same requests through the use
// case on an in-memory store and through the HTTP API on SQLite: the
// answers and the audit records (but for times and request ids) must be the
// same, refusals included. The scores follow from apitest.Model: Own starts
// at 580 with two inquiries; the first credit_application pull adds a third
// (540), the loan decision a fourth (still the ≥ 3 bin).
func TestUseCaseWritesWhatTheAPIWrites(t *testing.T) {
	ctx := context.Background()
	svc, log := newService(t, fixtureStore())
	by := func(c opencredit.Client, n int) scoring.Caller {
		return scoring.Caller{Client: c, RequestID: "req-" + string(rune('a'+n))}
	}
	srv := apitest.Start(t, nil)
	viaAPI := map[string]*apiclient.Client{}
	for _, id := range []string{apitest.Lender, apitest.Self} {
		viaAPI[id] = apiclient.New(srv.URL, srv.Keys[id])
	}

	type answer struct {
		score int
		code  string
	}
	steps := []struct {
		name   string
		direct func(n int) answer
		api    func() answer
		want   answer
	}{
		{"credit application pull",
			func(n int) answer {
				sc, err := svc.Score(ctx, by(lender, n), apitest.Own, opencredit.PurposeCreditApplication)
				return answer{sc.Result.Score, opencredit.ErrorCode(err)}
			},
			func() answer {
				sc, err := viaAPI[apitest.Lender].Score(ctx, apitest.Own, opencredit.PurposeCreditApplication)
				return answer{sc.Score, opencredit.ErrorCode(err)}
			}, answer{580, ""}},
		{"deposit waiver pull counts the new inquiry",
			func(n int) answer {
				sc, err := svc.Score(ctx, by(lender, n), apitest.Own, opencredit.PurposeRentalDepositWaiver)
				return answer{sc.Result.Score, opencredit.ErrorCode(err)}
			},
			func() answer {
				sc, err := viaAPI[apitest.Lender].Score(ctx, apitest.Own, opencredit.PurposeRentalDepositWaiver)
				return answer{sc.Score, opencredit.ErrorCode(err)}
			}, answer{540, ""}},
		{"bike declined",
			func(n int) answer {
				d, err := svc.Decide(ctx, by(lender, n), apitest.Own, "bike")
				return answer{d.Decision.Score, opencredit.ErrorCode(err)}
			},
			func() answer {
				d, err := viaAPI[apitest.Lender].Decide(ctx, apitest.Own, "bike")
				return answer{d.Decision.Score, opencredit.ErrorCode(err)}
			}, answer{540, ""}},
		{"loan approved",
			func(n int) answer {
				d, err := svc.Decide(ctx, by(lender, n), apitest.Own, "loan")
				return answer{d.Decision.Score, opencredit.ErrorCode(err)}
			},
			func() answer {
				d, err := viaAPI[apitest.Lender].Decide(ctx, apitest.Own, "loan")
				return answer{d.Decision.Score, opencredit.ErrorCode(err)}
			}, answer{540, ""}},
		{"refused purpose",
			func(n int) answer {
				_, err := svc.Score(ctx, by(lender, n), apitest.Own, "employment")
				return answer{0, opencredit.ErrorCode(err)}
			},
			func() answer {
				_, err := viaAPI[apitest.Lender].Score(ctx, apitest.Own, "employment")
				return answer{0, opencredit.ErrorCode(err)}
			}, answer{0, opencredit.EREFUSED}},
		{"no consent",
			func(n int) answer {
				_, err := svc.Score(ctx, by(lender, n), apitest.Other, opencredit.PurposeCreditApplication)
				return answer{0, opencredit.ErrorCode(err)}
			},
			func() answer {
				_, err := viaAPI[apitest.Lender].Score(ctx, apitest.Other, opencredit.PurposeCreditApplication)
				return answer{0, opencredit.ErrorCode(err)}
			}, answer{0, opencredit.EFORBIDDEN}},
		{"unknown program",
			func(n int) answer {
				_, err := svc.Decide(ctx, by(lender, n), apitest.Own, "yacht")
				return answer{0, opencredit.ErrorCode(err)}
			},
			func() answer {
				_, err := viaAPI[apitest.Lender].Decide(ctx, apitest.Own, "yacht")
				return answer{0, opencredit.ErrorCode(err)}
			}, answer{0, opencredit.ENOTFOUND}},
		{"own score",
			func(n int) answer {
				sc, err := svc.Score(ctx, by(self, n), apitest.Own, opencredit.PurposeSubjectSelfAccess)
				return answer{sc.Result.Score, opencredit.ErrorCode(err)}
			},
			func() answer {
				sc, err := viaAPI[apitest.Self].Score(ctx, apitest.Own, opencredit.PurposeSubjectSelfAccess)
				return answer{sc.Score, opencredit.ErrorCode(err)}
			}, answer{540, ""}},
		{"own data",
			func(n int) answer {
				_, err := svc.SubjectData(ctx, by(self, n), apitest.Own)
				return answer{0, opencredit.ErrorCode(err)}
			},
			func() answer {
				_, err := viaAPI[apitest.Self].SubjectData(ctx, apitest.Own)
				return answer{0, opencredit.ErrorCode(err)}
			}, answer{0, ""}},
		{"another subject's data",
			func(n int) answer {
				_, err := svc.SubjectData(ctx, by(self, n), apitest.Other)
				return answer{0, opencredit.ErrorCode(err)}
			},
			func() answer {
				_, err := viaAPI[apitest.Self].SubjectData(ctx, apitest.Other)
				return answer{0, opencredit.ErrorCode(err)}
			}, answer{0, opencredit.EFORBIDDEN}},
	}
	for n, s := range steps {
		if got := s.direct(n); got != s.want {
			t.Errorf("%s, use case: %+v, want %+v", s.name, got, s.want)
		}
		if got := s.api(); got != s.want {
			t.Errorf("%s, API: %+v, want %+v", s.name, got, s.want)
		}
	}
	direct, served := records(t, log), records(t, srv.Audit)
	// Every step leaves one record, the refusals too: four pulls and
	// decisions, a refused purpose, a pull without consent, an unknown
	// program, an own score, an own data read and a read of another's data.
	if len(direct) != len(steps) {
		t.Fatalf("the use case wrote %d records, want %d, one a step", len(direct), len(steps))
	}
	if !reflect.DeepEqual(direct, served) {
		t.Errorf("audit records differ:\nuse case %+v\nAPI      %+v", direct, served)
	}
	if want := (audit.Result{Score: 540, Band: "poor", Decision: decision.Declined, Reasons: []string{"NC01", "PH01"}, Model: direct[0].Result.Model}); !reflect.DeepEqual(direct[2].Result, want) {
		t.Errorf("the decline's record holds %+v, want %+v", direct[2].Result, want)
	}
	// The refusals, each under the refused client with its code.
	for _, want := range []audit.Record{
		{Client: apitest.Lender, Role: opencredit.RoleLender, Purpose: "employment", Subject: apitest.Own,
			Action: audit.ActionScore, Result: audit.Result{Error: opencredit.EREFUSED}},
		{Client: apitest.Lender, Role: opencredit.RoleLender, Purpose: opencredit.PurposeCreditApplication, Subject: apitest.Other,
			Action: audit.ActionScore, Result: audit.Result{Error: opencredit.EFORBIDDEN}},
		{Client: apitest.Lender, Role: opencredit.RoleLender, Purpose: "", Subject: apitest.Own,
			Action: audit.ActionDecision, Result: audit.Result{Error: opencredit.ENOTFOUND}},
		{Client: apitest.Self, Role: opencredit.RoleSubject, Purpose: opencredit.PurposeSubjectSelfAccess, Subject: apitest.Other,
			Action: audit.ActionSubjectData, Result: audit.Result{Error: opencredit.EFORBIDDEN}},
	} {
		if !slices.ContainsFunc(direct, func(r audit.Record) bool { return reflect.DeepEqual(r, want) }) {
			t.Errorf("no record of the refusal %+v among %+v", want, direct)
		}
	}
}

// TestDeclineHasNotice: a decline carries its adverse-action notice, naming
// the furnishers whose events are on file and never the platform itself.
func TestDeclineHasNotice(t *testing.T) {
	svc, _ := newService(t, fixtureStore())
	d, err := svc.Decide(context.Background(), scoring.Caller{Client: lender, RequestID: "r1"}, apitest.Own, "bike")
	if err != nil {
		t.Fatal(err)
	}
	if d.Decision.Outcome != decision.Declined || d.Notice == nil {
		t.Fatalf("bike at 580: %+v", d)
	}
	if want := []decision.Contact{{Name: apitest.Furnisher}}; !reflect.DeepEqual(d.Notice.Furnishers, want) {
		t.Errorf("notice furnishers %+v, want %+v", d.Notice.Furnishers, want)
	}
	if d.Notice.Counterparty.Name != "Lender A" {
		t.Errorf("notice counterparty %q, want the lender's name", d.Notice.Counterparty.Name)
	}
}

// failingLog refuses every append.
type failingLog struct{}

func (failingLog) Append(context.Context, ...audit.Record) (int64, error) {
	return 0, errors.New("disk full")
}

func (failingLog) Record(context.Context, int64) ([]byte, error) {
	return nil, errors.New("disk full")
}

// TestNothingUnrecorded: when the audit record cannot be written, no score
// and no decision is returned.
func TestNothingUnrecorded(t *testing.T) {
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: fixtureStore(), Model: apitest.Model(t), Programs: programs, Log: failingLog{}})
	if err != nil {
		t.Fatal(err)
	}
	by := scoring.Caller{Client: lender, RequestID: "r1"}
	if sc, err := svc.Score(context.Background(), by, apitest.Own, opencredit.PurposeRentalDepositWaiver); err == nil || sc.Result.Score != 0 {
		t.Errorf("score without a record: %d, %v", sc.Result.Score, err)
	}
	if d, err := svc.Decide(context.Background(), by, apitest.Own, "bike"); err == nil || d.Notice != nil {
		t.Errorf("decision without a record: %+v, %v", d, err)
	}
}

// TestNewRefusesIncompleteConfig: a service without a store, a model or a
// log is an error at start, not a panic at the first request.
func TestNewRefusesIncompleteConfig(t *testing.T) {
	m := apitest.Model(t)
	for name, c := range map[string]scoring.Config{
		"no store": {Model: m, Log: failingLog{}},
		"no model": {Store: fixtureStore(), Log: failingLog{}},
		"no log":   {Store: fixtureStore(), Model: m},
	} {
		if _, err := scoring.New(c); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}
