package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func testDeleteSubject(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	person(t, st, "s2", "f1")
	check(t, st.CreateSubject(ctx, "s3", opencredit.PII{Name: "Carol", NationalID: "N-3"}, created))
	check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s3", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: granted}))
	allAccepted(t, ingest(t, st, append(history("s3", "f1"), history("s2", "f1")...)))
	asOf := day0.AddDate(1, 0, 0)
	s2Before := features(t, st, "s2", asOf)

	erased := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	check(t, st.DeleteSubject(ctx, "s3", erased))

	s, err := st.Subject(ctx, "s3")
	check(t, err)
	if s.DeletedAt == nil || !s.DeletedAt.Equal(erased) {
		t.Fatalf("Subject of an erased subject = %+v, want a tombstone deleted at %s", s, erased)
	}
	_, err = st.SubjectPII(ctx, "s3")
	mustCode(t, err, opencredit.ENOTFOUND, "SubjectPII of an erased subject")
	_, err = st.SubjectByNationalID(ctx, "N-3")
	mustCode(t, err, opencredit.ENOTFOUND, "national-id lookup of an erased subject")
	evs, err := st.Events(ctx, "s3")
	check(t, err)
	if len(evs) != 0 {
		t.Fatalf("an erased subject still has %d events", len(evs))
	}
	_, err = st.Features(ctx, "s3", asOf)
	mustCode(t, err, opencredit.ENOTFOUND, "Features of an erased subject")
	_, err = st.RecomputeFeatures(ctx, "s3", asOf)
	mustCode(t, err, opencredit.ENOTFOUND, "RecomputeFeatures of an erased subject")
	ok, err := st.HasConsent(ctx, "s3", "f1", opencredit.PurposeFurnishing, erased)
	check(t, err)
	if ok {
		t.Fatal("an erased subject's consent still holds")
	}

	// Events for the erased subject are rejected, re-sent ones too.
	res := ingest(t, st, []opencredit.Event{history("s3", "f1")[0], inquiry("new", "f1", "s3", day0)})
	for i, r := range res {
		if r.Status != opencredit.Rejected || r.Reason != opencredit.ReasonUnknownSubject {
			t.Errorf("event %d for an erased subject: %+v, want rejected unknown_subject", i, r)
		}
	}
	// The id is not reused, nor may consent be granted again.
	mustCode(t, st.CreateSubject(ctx, "s3", opencredit.PII{}, erased), opencredit.ECONFLICT, "re-creating an erased subject")
	mustCode(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s3", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: erased}),
		opencredit.ENOTFOUND, "a consent of an erased subject")
	// The national id is free again.
	check(t, st.CreateSubject(ctx, "s3-new", opencredit.PII{NationalID: "N-3"}, erased))

	var ids []string
	check(t, st.Subjects(ctx, func(s opencredit.Subject) error {
		ids = append(ids, s.ID)
		return nil
	}))
	for _, id := range ids {
		if id == "s3" {
			t.Fatal("Subjects lists an erased subject")
		}
	}
	if len(ids) != 3 {
		t.Fatalf("Subjects lists %v, want s1, s2, s3-new", ids)
	}
	// Erasing again does nothing; others are untouched.
	check(t, st.DeleteSubject(ctx, "s3", erased.Add(time.Hour)))
	if s, _ := st.Subject(ctx, "s3"); s.DeletedAt == nil || !s.DeletedAt.Equal(erased) {
		t.Fatalf("a second erasure moved the tombstone: %+v", s)
	}
	mustCode(t, st.DeleteSubject(ctx, "ghost", erased), opencredit.ENOTFOUND, "erasing an unknown subject")
	if after := features(t, st, "s2", asOf); len(after) != len(s2Before) {
		t.Fatal("erasing s3 changed s2's features")
	}
}
