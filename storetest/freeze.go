package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// testFreezes: a freeze holds from its time until it is lifted, one at a
// time, the history kept; times may not run backwards; an unknown or erased
// subject cannot be frozen, and an erasure keeps the history.
func testFreezes(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1")
	person(t, st, "s2")
	t1 := day0
	t2 := day0.Add(24 * time.Hour)
	t3 := day0.Add(48 * time.Hour)

	frozen := func(subject string, at time.Time) bool {
		t.Helper()
		ok, err := st.Frozen(ctx, subject, at)
		check(t, err)
		return ok
	}
	if fs, err := st.Freezes(ctx, "s1"); err != nil || len(fs) != 0 {
		t.Fatalf("Freezes of a new subject = %v, %v; want none", fs, err)
	}
	check(t, st.FreezeSubject(ctx, "s1", t1))
	mustCode(t, st.FreezeSubject(ctx, "s1", t2), opencredit.ECONFLICT, "freezing a frozen subject")
	if frozen("s1", t1.Add(-time.Nanosecond)) || !frozen("s1", t1) || !frozen("s1", t3) {
		t.Fatal("an open freeze must hold from its time on, and not before")
	}
	if frozen("s2", t2) {
		t.Fatal("freezing s1 froze s2")
	}
	mustCode(t, st.UnfreezeSubject(ctx, "s1", t1.Add(-time.Hour)), opencredit.EINVALID, "lifting a freeze before it began")
	check(t, st.UnfreezeSubject(ctx, "s1", t2))
	mustCode(t, st.UnfreezeSubject(ctx, "s1", t3), opencredit.ECONFLICT, "lifting a lifted freeze")
	if !frozen("s1", t2.Add(-time.Nanosecond)) || frozen("s1", t2) {
		t.Fatal("a lifted freeze must hold until its lifting, and not at it")
	}
	mustCode(t, st.FreezeSubject(ctx, "s1", t1), opencredit.EINVALID, "a freeze beginning before the last one was lifted")
	check(t, st.FreezeSubject(ctx, "s1", t3))
	want := []opencredit.Freeze{
		{Subject: "s1", FrozenAt: t1, LiftedAt: &t2},
		{Subject: "s1", FrozenAt: t3},
	}
	got, err := st.Freezes(ctx, "s1")
	check(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Freezes = %+v, want %+v", got, want)
	}

	mustCode(t, st.FreezeSubject(ctx, "ghost", t1), opencredit.ENOTFOUND, "freezing an unknown subject")
	mustCode(t, st.UnfreezeSubject(ctx, "ghost", t1), opencredit.ENOTFOUND, "lifting an unknown subject's freeze")
	_, err = st.Freezes(ctx, "ghost")
	mustCode(t, err, opencredit.ENOTFOUND, "Freezes of an unknown subject")
	mustCode(t, st.FreezeSubject(ctx, "s1", time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)), opencredit.EINVALID, "a freeze in 1800")

	// Erasure keeps the history (no PII in it) and refuses a new freeze.
	check(t, st.DeleteSubject(ctx, "s1", t3.Add(time.Hour)))
	if got, err := st.Freezes(ctx, "s1"); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Freezes after erasure = %+v, %v; want the history %+v", got, err, want)
	}
	mustCode(t, st.FreezeSubject(ctx, "s1", t3.Add(2*time.Hour)), opencredit.ENOTFOUND, "freezing an erased subject")
}
