package lifecycle_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

func newRegistry(t *testing.T) opencredit.ModelRegistry {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// scorecard returns a small valid model; base varies it, so that each base
// gives another id.
func scorecard(t *testing.T, base int) *model.Model {
	t.Helper()
	m, err := modeltest.Scorecard(base, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func code(err error) string { return opencredit.ErrorCode(err) }

var at = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// TestFourEyes: the author cannot approve their own model; another operator
// can, with a justification, once.
func TestFourEyes(t *testing.T) {
	ctx := context.Background()
	reg := newRegistry(t)
	v, err := lifecycle.Add(ctx, reg, scorecard(t, 500), "first", "alice", nil, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := lifecycle.Approve(ctx, reg, v.ID, "alice", "looks fine", "", at); code(err) != opencredit.EFORBIDDEN || !strings.Contains(err.Error(), "four-eyes") {
		t.Fatalf("the author approving: %v, want forbidden (four-eyes)", err)
	}
	if err := lifecycle.Approve(ctx, reg, v.ID, "bob", "  ", "", at); code(err) != opencredit.EINVALID {
		t.Fatalf("no justification: %v, want invalid", err)
	}
	if err := lifecycle.Approve(ctx, reg, v.ID, "bob", "validated on the 2026 holdout", "", at); err != nil {
		t.Fatal(err)
	}
	if err := lifecycle.Approve(ctx, reg, v.ID, "carol", "again", "", at); code(err) != opencredit.ECONFLICT {
		t.Fatalf("approving twice: %v, want conflict", err)
	}
	ts, err := reg.ModelTransitions(ctx, v.ID)
	if err != nil || len(ts) != 1 || ts[0].By != "bob" || ts[0].Note != "validated on the 2026 holdout" || ts[0].Override != "" {
		t.Fatalf("transitions %+v (%v), want bob's approval with its justification", ts, err)
	}
	if _, err := lifecycle.Add(ctx, reg, scorecard(t, 500), "again", "alice", nil, at); code(err) != opencredit.ECONFLICT {
		t.Errorf("adding the same model twice: %v, want conflict", err)
	}
}

// TestFairnessGate: a group below an AIR of 0.8 at a cut-off blocks
// approval, naming the group; an override with a written reason lets it
// through and is recorded; a fair model records no override.
func TestFairnessGate(t *testing.T) {
	ctx := context.Background()
	reg := newRegistry(t)
	evidence := []opencredit.FairnessCheck{
		{Attribute: "age", Group: "under 25", Cutoff: 600, Rows: 120, AIR: 0.72},
		{Attribute: "age", Group: "25 and over", Cutoff: 600, Rows: 880, AIR: 1},
	}
	v, err := lifecycle.Add(ctx, reg, scorecard(t, 510), "", "alice", evidence, at)
	if err != nil {
		t.Fatal(err)
	}
	err = lifecycle.Approve(ctx, reg, v.ID, "bob", "validated", "", at)
	if code(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), "age=under 25 at cut-off 600: AIR 0.72") {
		t.Fatalf("approving an unfair model: %v, want refused naming the group", err)
	}
	const why = "under-25 applicants have no file history here; the programme caps their limit instead"
	if err := lifecycle.Approve(ctx, reg, v.ID, "bob", "validated", why, at); err != nil {
		t.Fatal(err)
	}
	ts, _ := reg.ModelTransitions(ctx, v.ID)
	if len(ts) != 1 || ts[0].Override != why {
		t.Fatalf("transitions %+v, want the override recorded", ts)
	}
	fair, err := lifecycle.Add(ctx, reg, scorecard(t, 520), "", "alice", evidence[1:], at)
	if err != nil {
		t.Fatal(err)
	}
	if err := lifecycle.Approve(ctx, reg, fair.ID, "bob", "validated", "no reason needed", at); err != nil {
		t.Fatal(err)
	}
	if ts, _ := reg.ModelTransitions(ctx, fair.ID); len(ts) != 1 || ts[0].Override != "" {
		t.Errorf("a fair model's approval records an override: %+v", ts)
	}
}

// TestActivateRollbackRetire: activation needs approval; activating B puts A
// back to approved; rollback makes A active again at once; an active model
// is not retired; a retired one is never rolled back to.
func TestActivateRollbackRetire(t *testing.T) {
	ctx := context.Background()
	reg := newRegistry(t)
	var ids []string
	for i, base := range []int{500, 530, 560} {
		v, err := lifecycle.Add(ctx, reg, scorecard(t, base), "", "alice", nil, at.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	a, b, c := ids[0], ids[1], ids[2]
	if _, err := lifecycle.Active(ctx, reg); code(err) != opencredit.ENOTFOUND {
		t.Fatalf("no active model yet: %v, want not found", err)
	}
	if err := lifecycle.Activate(ctx, reg, a, "bob", "", at); code(err) != opencredit.ECONFLICT {
		t.Fatalf("activating a draft: %v, want conflict", err)
	}
	for _, id := range ids {
		if err := lifecycle.Approve(ctx, reg, id, "bob", "ok", "", at); err != nil {
			t.Fatal(err)
		}
	}
	activeIs := func(want string) {
		t.Helper()
		m, v, err := lifecycle.ActiveModel(ctx, reg)
		if err != nil || v.ID != want {
			t.Fatalf("active %s (%v), want %s", v.ID, err, want)
		}
		if id, _ := model.ID(m); id != want {
			t.Fatalf("the active artifact loads as %s, want %s: the artifact must round-trip to its id", id, want)
		}
	}
	for _, id := range []string{a, b} {
		if err := lifecycle.Activate(ctx, reg, id, "bob", "", at); err != nil {
			t.Fatal(err)
		}
	}
	activeIs(b)
	if err := lifecycle.Retire(ctx, reg, b, "bob", "", at); code(err) != opencredit.ECONFLICT {
		t.Fatalf("retiring the active model: %v, want conflict", err)
	}
	back, err := lifecycle.Rollback(ctx, reg, "carol", at)
	if err != nil || back != a {
		t.Fatalf("rollback: %s, %v; want %s", back, err, a)
	}
	activeIs(a)
	// Rolling back again returns to b, the model a replaced this time.
	if err := lifecycle.Activate(ctx, reg, c, "bob", "", at); err != nil {
		t.Fatal(err)
	}
	if err := lifecycle.Retire(ctx, reg, a, "bob", "superseded", at); err != nil {
		t.Fatal(err)
	}
	// c replaced a, which is retired: the latest still approved one that
	// was active is b.
	back, err = lifecycle.Rollback(ctx, reg, "carol", at)
	if err != nil || back != b {
		t.Fatalf("rollback past a retired model: %s, %v; want %s", back, err, b)
	}
	activeIs(b)
}
