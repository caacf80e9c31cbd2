package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func testSubjects(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	alice := opencredit.PII{Name: "Alice Müller", NationalID: "AB 12 34 56 C", DateOfBirth: "1990-04-01"}
	at := time.Date(2025, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	check(t, st.CreateSubject(ctx, "s-alice", alice, at))

	s, err := st.Subject(ctx, "s-alice")
	check(t, err)
	if s.ID != "s-alice" || !s.CreatedAt.Equal(at) || s.DeletedAt != nil {
		t.Fatalf("Subject = %+v, want id s-alice created %s, not deleted", s, at)
	}
	p, err := st.SubjectPII(ctx, "s-alice")
	check(t, err)
	if p != alice {
		t.Fatalf("SubjectPII = %+v, want %+v", p, alice)
	}

	mustCode(t, st.CreateSubject(ctx, "s-alice", opencredit.PII{Name: "Other"}, at), opencredit.ECONFLICT, "creating a subject twice")
	mustCode(t, st.CreateSubject(ctx, "s-clone", opencredit.PII{NationalID: "ab-123456-c"}, at), opencredit.ECONFLICT, "a second subject with the same national id")
	_, err = st.Subject(ctx, "s-clone")
	mustCode(t, err, opencredit.ENOTFOUND, "the refused subject")
	_, err = st.Subject(ctx, "nobody")
	mustCode(t, err, opencredit.ENOTFOUND, "Subject of an unknown id")
	_, err = st.SubjectPII(ctx, "nobody")
	mustCode(t, err, opencredit.ENOTFOUND, "SubjectPII of an unknown id")
	mustCode(t, st.CreateSubject(ctx, "", opencredit.PII{}, at), opencredit.EINVALID, "an empty subject id")

	// Subjects without PII or national id are fine, and several may lack a national id.
	for _, id := range []string{"s-c", "s-a", "s-b"} {
		check(t, st.CreateSubject(ctx, id, opencredit.PII{}, at))
	}
	var ids []string
	check(t, st.Subjects(ctx, func(s opencredit.Subject) error {
		ids = append(ids, s.ID)
		return nil
	}))
	if want := []string{"s-a", "s-alice", "s-b", "s-c"}; !slices.Equal(ids, want) {
		t.Fatalf("Subjects visited %v, want %v", ids, want)
	}
}

func testNationalID(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	check(t, st.CreateSubject(ctx, "s1", opencredit.PII{NationalID: "X-12345-Y"}, created))
	check(t, st.CreateSubject(ctx, "s2", opencredit.PII{NationalID: "Z9"}, created))
	for _, id := range []string{"X-12345-Y", "x12345y", " x 12345 y "} {
		got, err := st.SubjectByNationalID(ctx, id)
		check(t, err)
		if got != "s1" {
			t.Fatalf("SubjectByNationalID(%q) = %s, want s1", id, got)
		}
	}
	_, err := st.SubjectByNationalID(ctx, "X-12345-Z")
	mustCode(t, err, opencredit.ENOTFOUND, "an unknown national id")
}
