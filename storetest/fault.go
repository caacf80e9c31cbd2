package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model/modeltest"
)

// FaultStore is what the fault workload writes through.
type FaultStore interface {
	opencredit.Store
	opencredit.Registrar
	opencredit.ModelRegistry
}

// FaultRun is one store prepared by a FaultOpener.
type FaultRun struct {
	Store FaultStore
	// Writes reports the row writes counted so far.
	Writes func() int
	// Disarm stops the failures (the counting may go on).
	Disarm func()
	// Reopen opens the same store afresh, after Store is closed.
	Reopen func() FaultStore
}

// FaultOpener returns a new, empty store whose nth row write fails, and
// every one after it, inside the store's own statements (n = 0: none).
type FaultOpener func(t *testing.T, n int) FaultRun

// RunNthWriteFaults (issue 15: a store that fails its Nth write) runs a
// workload — registration, a person with PII, consents, three ingestion
// batches with a duplicate, a suppression, two models added, approved and
// activated, an erasure — once to count its row writes, then once for
// every N from 1 to that count on a store whose Nth row write fails. Each
// time, whatever the operations answered, the store holds no partial
// state: every person's live features equal their recomputation from the
// stored events, on the store that saw the failure and on a fresh one; a
// failed batch left none of its events and a successful one all; the
// registry's states are what its transitions say, with at most one model
// active; an erasure took all or nothing.
func RunNthWriteFaults(t *testing.T, open FaultOpener) {
	ctx := context.Background()
	r := open(t, 0)
	for _, o := range workload(ctx, t, r.Store) {
		if o.err != nil {
			t.Fatalf("without a fault, %s: %v", o.name, o.err)
		}
	}
	writes := r.Writes()
	r.Store.Close()
	if writes < 50 {
		t.Fatalf("the workload made %d row writes; the injection is not counting", writes)
	}
	failed := 0
	for n := 1; n <= writes; n++ {
		r := open(t, n)
		outs := workload(ctx, t, r.Store)
		r.Disarm()
		byName := map[string]error{}
		for _, o := range outs {
			if o.err != nil {
				failed++
				if !strings.Contains(o.err.Error(), "injected fault") && opencredit.ErrorCode(o.err) != opencredit.ENOTFOUND &&
					opencredit.ErrorCode(o.err) != opencredit.ECONFLICT {
					t.Errorf("N=%d, %s: %v, want the injected fault or a consequence of an earlier one", n, o.name, o.err)
				}
			}
			byName[o.name] = o.err
		}
		checkWhole(ctx, t, n, r.Store, byName)
		r.Store.Close()
		again := r.Reopen()
		checkWhole(ctx, t, n, again, byName)
		again.Close()
		if t.Failed() {
			t.Fatalf("stopped at N=%d", n)
		}
	}
	t.Logf("%d row writes, each failed in turn; %d operations failed in all, no partial state", writes, failed)
}

func faultEvent(id, subject string, at time.Time) opencredit.Event {
	raw, _ := json.Marshal(opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
	return opencredit.Event{SpecVersion: "1.0", ID: id, Source: "f1", Subject: subject, Type: opencredit.TypeInquiry, Time: at,
		DataContentType: "application/json", Data: raw}
}

// outcome is what one operation of the workload did: nil, or its error.
type outcome struct {
	name string
	err  error
}

// workload runs the same operations on st every time and returns each one's
// outcome, going on after a failure as a client would.
func workload(ctx context.Context, t *testing.T, st FaultStore) []outcome {
	t.Helper()
	var out []outcome
	do := func(name string, err error) { out = append(out, outcome{name, err}) }
	past := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var consents []opencredit.Consent
	for i := range 4 {
		consents = append(consents, opencredit.Consent{Subject: fmt.Sprint("s", i), Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: past})
	}
	do("register", st.Register(ctx, []string{"s0", "s1", "s2", "s3"}, past, consents))
	do("subject s4", st.CreateSubject(ctx, "s4", opencredit.PII{Name: "Ann"}, past))
	do("consent s4", st.GrantConsent(ctx, opencredit.Consent{Subject: "s4", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: past}))
	for b := range 3 {
		var batch []opencredit.Event
		for i := range 12 {
			batch = append(batch, faultEvent(fmt.Sprintf("b%d-e%d", b, i), fmt.Sprint("s", i%5), past.AddDate(0, b+1, i)))
		}
		batch = append(batch, batch[0]) // a duplicate in the batch
		_, err := st.Ingest(ctx, batch)
		do(fmt.Sprint("ingest ", b), err)
	}
	do("suppress", st.SuppressEvent(ctx, "f1", "b0-e1"))
	for _, base := range []int{500, 530} {
		m, err := modeltest.Scorecard(base, modeltest.Step("hard_inquiries_12m", "new_credit", "HI", []float64{1}, []int{30, 0}, 10))
		if err != nil {
			t.Fatal(err)
		}
		v, err := lifecycle.Add(ctx, st, m, "", "alice", nil, past)
		do("add model", err)
		if err == nil {
			do("approve", lifecycle.Approve(ctx, st, v.ID, "bob", "ok", "", past))
			do("activate", lifecycle.Activate(ctx, st, v.ID, "bob", "", past))
		}
	}
	do("erase s2", st.DeleteSubject(ctx, "s2", past.AddDate(1, 0, 0)))
	return out
}

func checkWhole(ctx context.Context, t *testing.T, n int, st FaultStore, outcomes map[string]error) {
	t.Helper()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stored := map[string]bool{}
	err := st.Subjects(ctx, func(s opencredit.Subject) error {
		live, err := st.Features(ctx, s.ID, asOf)
		if err != nil {
			return err
		}
		re, err := st.RecomputeFeatures(ctx, s.ID, asOf)
		if err != nil {
			return err
		}
		if !maps.Equal(live.Values, re.Values) {
			t.Errorf("N=%d, %s: live features %v, recomputed %v", n, s.ID, live.Values, re.Values)
		}
		evs, err := st.Events(ctx, s.ID)
		if err != nil {
			return err
		}
		for _, e := range evs {
			stored[e.ID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("N=%d: reading back: %v", n, err)
	}
	for b := range 3 {
		ok := outcomes[fmt.Sprint("ingest ", b)] == nil
		for i := range 12 {
			id := fmt.Sprintf("b%d-e%d", b, i)
			subject := fmt.Sprint("s", i%5)
			erased := subject == "s2" && outcomes["erase s2"] == nil
			if stored[id] && !ok {
				t.Errorf("N=%d: batch %d failed but event %s is stored", n, b, id)
			}
			// A batch that succeeded stored every event of a registered,
			// consenting, not erased person.
			registered := (subject == "s4" && outcomes["subject s4"] == nil && outcomes["consent s4"] == nil) || (subject != "s4" && outcomes["register"] == nil)
			if ok && registered && !erased && !stored[id] {
				t.Errorf("N=%d: batch %d succeeded but event %s is missing", n, b, id)
			}
		}
	}
	if outcomes["erase s2"] == nil {
		if evs, err := st.Events(ctx, "s2"); err == nil && len(evs) > 0 {
			t.Errorf("N=%d: s2 erased but %d events remain", n, len(evs))
		}
	}
	vs, err := st.ModelVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := st.ModelTransitions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, v := range vs {
		want[v.ID] = opencredit.ModelDraft
	}
	for _, tr := range ts {
		if want[tr.Model] != tr.From {
			t.Errorf("N=%d: transition %+v from a state the model was not in (%s)", n, tr, want[tr.Model])
		}
		want[tr.Model] = tr.To
	}
	active := 0
	for _, v := range vs {
		if v.State != want[v.ID] {
			t.Errorf("N=%d: model %s is %s, its transitions say %s", n, v.ID, v.State, want[v.ID])
		}
		if v.State == opencredit.ModelActive {
			active++
		}
	}
	if active > 1 {
		t.Errorf("N=%d: %d active models", n, active)
	}
}
