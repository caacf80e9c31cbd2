package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func registry(t *testing.T, st opencredit.Store) opencredit.ModelRegistry {
	t.Helper()
	reg, ok := st.(opencredit.ModelRegistry)
	if !ok {
		t.Fatalf("%T does not keep a model registry (opencredit.ModelRegistry)", st)
	}
	return reg
}

func version(id string, at time.Time) opencredit.ModelVersion {
	return opencredit.ModelVersion{ID: id, Kind: "scorecard", Name: "m " + id, Author: "op-a", CreatedAt: at, DataSHA256: "ab12",
		Metrics: map[string]float64{"train_auc": 0.75}, State: opencredit.ModelDraft, UpdatedAt: at,
		Fairness: []opencredit.FairnessCheck{{Attribute: "sex", Group: "f", Cutoff: 600, Rows: 40, AIR: 0.91}}}
}

func move(id, from, to string, at time.Time) opencredit.ModelTransition {
	return opencredit.ModelTransition{Model: id, From: from, To: to, By: "op-b", At: at, Note: from + " to " + to}
}

// testModelRegistry: versions round-trip with their artifacts; a transition
// applies only from the state it names; activating one model puts the
// active one back to approved in the same step, recorded.
func testModelRegistry(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	reg := registry(t, newStore(t))
	at := created
	a, b := version("scorecard-aaaaaaaaaaaa", at), version("scorecard-bbbbbbbbbbbb", at.Add(time.Hour))
	check(t, reg.AddModel(ctx, a, []byte(`{"kind":"scorecard"}`)))
	check(t, reg.AddModel(ctx, b, []byte(`{"kind":"b"}`)))
	mustCode(t, reg.AddModel(ctx, a, []byte(`{}`)), opencredit.ECONFLICT, "adding a model twice")
	got, art, err := reg.ModelVersion(ctx, a.ID)
	check(t, err)
	if string(art) != `{"kind":"scorecard"}` || got.Name != a.Name || got.Author != "op-a" || got.Metrics["train_auc"] != 0.75 ||
		len(got.Fairness) != 1 || got.Fairness[0] != a.Fairness[0] || !got.CreatedAt.Equal(at) || got.State != opencredit.ModelDraft {
		t.Fatalf("read back %+v (artifact %s), want %+v", got, art, a)
	}
	_, _, err = reg.ModelVersion(ctx, "scorecard-none")
	mustCode(t, err, opencredit.ENOTFOUND, "an unknown model")
	vs, err := reg.ModelVersions(ctx)
	check(t, err)
	if len(vs) != 2 || vs[0].ID != a.ID || vs[1].ID != b.ID {
		t.Fatalf("versions %v, want a then b", vs)
	}

	// Compare-and-set.
	t1 := at.Add(2 * time.Hour)
	check(t, reg.TransitionModel(ctx, move(a.ID, opencredit.ModelDraft, opencredit.ModelApproved, t1)))
	mustCode(t, reg.TransitionModel(ctx, move(a.ID, opencredit.ModelDraft, opencredit.ModelApproved, t1)), opencredit.ECONFLICT, "approving an approved model")
	mustCode(t, reg.TransitionModel(ctx, move("scorecard-none", opencredit.ModelDraft, opencredit.ModelApproved, t1)), opencredit.ECONFLICT, "an unknown model")
	check(t, reg.TransitionModel(ctx, move(b.ID, opencredit.ModelDraft, opencredit.ModelApproved, t1)))
	check(t, reg.TransitionModel(ctx, move(a.ID, opencredit.ModelApproved, opencredit.ModelActive, t1.Add(time.Minute))))
	check(t, reg.TransitionModel(ctx, move(b.ID, opencredit.ModelApproved, opencredit.ModelActive, t1.Add(2*time.Minute))))
	states := map[string]string{}
	vs, err = reg.ModelVersions(ctx)
	check(t, err)
	for _, v := range vs {
		states[v.ID] = v.State
	}
	if states[a.ID] != opencredit.ModelApproved || states[b.ID] != opencredit.ModelActive {
		t.Fatalf("after activating b: %v, want a approved and b active", states)
	}
	ts, err := reg.ModelTransitions(ctx, "")
	check(t, err)
	var seq []string
	for _, tr := range ts {
		seq = append(seq, fmt.Sprintf("%s:%s>%s", tr.Model[10:11], tr.From, tr.To))
	}
	want := []string{"a:draft>approved", "b:draft>approved", "a:approved>active", "a:active>approved", "b:approved>active"}
	if !slices.Equal(seq, want) {
		t.Fatalf("transitions %v, want %v", seq, want)
	}
	if ts[3].Note != "replaced by "+b.ID || ts[3].By != "op-b" || !ts[3].At.Equal(t1.Add(2*time.Minute)) {
		t.Errorf("the demotion is recorded as %+v", ts[3])
	}
	onlyA, err := reg.ModelTransitions(ctx, a.ID)
	check(t, err)
	if len(onlyA) != 3 {
		t.Errorf("a's transitions: %v, want 3", onlyA)
	}
}

// testModelActivationRace: operators activating different models at once
// leave exactly one active model, and every activation that succeeded
// demoted the one before it: the transitions chain without a gap.
func testModelActivationRace(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	reg := registry(t, newStore(t))
	const n = 8
	var ids []string
	for i := range n {
		v := version(fmt.Sprintf("scorecard-%012d", i), created.Add(time.Duration(i)*time.Minute))
		check(t, reg.AddModel(ctx, v, []byte("{}")))
		check(t, reg.TransitionModel(ctx, move(v.ID, opencredit.ModelDraft, opencredit.ModelApproved, created)))
		ids = append(ids, v.ID)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, id := range ids {
		wg.Go(func() {
			errs[i] = reg.TransitionModel(ctx, move(id, opencredit.ModelApproved, opencredit.ModelActive, day0))
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
		} else if code(err) != opencredit.ECONFLICT {
			t.Errorf("activation %d: %v, want success or conflict", i, err)
		}
	}
	vs, err := reg.ModelVersions(ctx)
	check(t, err)
	active := 0
	for _, v := range vs {
		if v.State == opencredit.ModelActive {
			active++
		}
	}
	if active != 1 || won < 1 {
		t.Fatalf("%d active after %d successful activations, want exactly 1", active, won)
	}
	ts, err := reg.ModelTransitions(ctx, "")
	check(t, err)
	var cur string
	for _, tr := range ts[n:] { // after the n approvals
		switch {
		case tr.To == opencredit.ModelActive:
			if cur != "" {
				t.Fatalf("%s activated while %s was still active", tr.Model, cur)
			}
			cur = tr.Model
		case tr.From == opencredit.ModelActive:
			if tr.Model != cur {
				t.Fatalf("%s demoted but %s was active", tr.Model, cur)
			}
			cur = ""
		}
	}
}
