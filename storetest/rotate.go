package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

// KeyRotator is a store whose PII key can be rotated (sqlite.DB, postgres.DB).
type KeyRotator interface {
	opencredit.Store
	RotateKey(ctx context.Context, next pii.Keys) (int, error)
}

// RotationStore opens one store, the same each call, under keys; Damage
// replaces a subject's sealed personal data with the bytes given, as a
// damaged or mixed-key record would hold.
type RotationStore struct {
	Open   func(t *testing.T, keys pii.Keys) (KeyRotator, error)
	Damage func(t *testing.T, subject string, sealed []byte)
}

// testKeys returns the keys of the master key whose bytes are all b.
func testKeys(t *testing.T, b byte) pii.Keys {
	t.Helper()
	master := make([]byte, 32)
	for i := range master {
		master[i] = b
	}
	k, err := pii.NewKeys(master)
	check(t, err)
	return k
}

// RunKeyRotation checks a store's key rotation: every record re-sealed and
// every national id findable under the new key, the old key (and the demo
// key) refused afterwards, an erased subject left erased; a rotation to the
// same key or the demo key refused; and a rotation that meets a record the
// old key does not open changes nothing.
func RunKeyRotation(t *testing.T, newStore func(t *testing.T) RotationStore) {
	ctx := context.Background()
	at := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	people := map[string]opencredit.PII{
		"s-alice": {Name: "Alice Müller", NationalID: "AB 12 34 56 C", DateOfBirth: "1990-04-01"},
		"s-bob":   {Name: "Bob"},
		"s-carol": {Name: "Carol", NationalID: "X-99"},
	}
	fill := func(t *testing.T, rs RotationStore, keys pii.Keys) KeyRotator {
		t.Helper()
		st, err := rs.Open(t, keys)
		check(t, err)
		for id, p := range people {
			check(t, st.CreateSubject(ctx, id, p, at))
		}
		check(t, st.CreateSubject(ctx, "s-gone", opencredit.PII{Name: "Gone", NationalID: "G-1"}, at))
		check(t, st.DeleteSubject(ctx, "s-gone", at.Add(time.Hour)))
		return st
	}

	t.Run("Rotate", func(t *testing.T) {
		rs := newStore(t)
		old, next := testKeys(t, 1), testKeys(t, 2)
		st := fill(t, rs, old)
		mustCode(t, pii.CheckRotation(old, old), opencredit.EINVALID, "rotating to the same key")
		_, err := st.RotateKey(ctx, old)
		mustCode(t, err, opencredit.EINVALID, "rotating to the same key")
		_, err = st.RotateKey(ctx, pii.DemoKeys())
		mustCode(t, err, opencredit.EINVALID, "rotating to the demo key")
		n, err := st.RotateKey(ctx, next)
		check(t, err)
		if n != len(people) {
			t.Fatalf("RotateKey re-sealed %d records; want %d (the erased subject holds none)", n, len(people))
		}
		check(t, st.Close())

		_, err = rs.Open(t, old)
		mustCode(t, err, opencredit.EINVALID, "opening under the old key after the rotation")
		st, err = rs.Open(t, next)
		check(t, err)
		defer st.Close()
		for id, want := range people {
			p, err := st.SubjectPII(ctx, id)
			check(t, err)
			if p != want {
				t.Fatalf("SubjectPII(%s) under the new key = %+v; want %+v", id, p, want)
			}
			if want.NationalID != "" {
				got, err := st.SubjectByNationalID(ctx, want.NationalID)
				check(t, err)
				if got != id {
					t.Fatalf("SubjectByNationalID(%q) = %s; want %s", want.NationalID, got, id)
				}
			}
		}
		_, err = st.SubjectByNationalID(ctx, "G-1")
		mustCode(t, err, opencredit.ENOTFOUND, "the erased subject's national id")
		// The new key keeps working: one more subject, and its id found.
		check(t, st.CreateSubject(ctx, "s-dan", opencredit.PII{NationalID: "D-4"}, at))
		got, err := st.SubjectByNationalID(ctx, "D-4")
		check(t, err)
		if got != "s-dan" {
			t.Fatalf("a subject added under the new key: %s", got)
		}
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		rs := newStore(t)
		old, next, other := testKeys(t, 1), testKeys(t, 2), testKeys(t, 3)
		st := fill(t, rs, old)
		check(t, st.Close())
		// One record sealed under a third key: the store holds mixed keys.
		mixed, err := other.Seal(people["s-carol"], "s-carol")
		check(t, err)
		rs.Damage(t, "s-carol", mixed)
		st, err = rs.Open(t, old)
		check(t, err)
		_, err = st.RotateKey(ctx, next)
		mustCode(t, err, opencredit.EINVALID, "a rotation meeting a record the old key does not open")
		check(t, st.Close())
		// Nothing changed: the old key still opens the store and the others.
		st, err = rs.Open(t, old)
		check(t, err)
		defer st.Close()
		p, err := st.SubjectPII(ctx, "s-alice")
		check(t, err)
		if p != people["s-alice"] {
			t.Fatalf("s-alice after the failed rotation: %+v", p)
		}
		got, err := st.SubjectByNationalID(ctx, people["s-alice"].NationalID)
		check(t, err)
		if got != "s-alice" {
			t.Fatalf("s-alice's national id after the failed rotation: %s", got)
		}
	})
}
