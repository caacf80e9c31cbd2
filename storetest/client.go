package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// newKey draws a key and its hash, failing the test if it cannot.
func newKey(t *testing.T) (string, []byte) {
	t.Helper()
	key, hash, err := opencredit.NewAPIKey()
	check(t, err)
	return key, hash
}

func sameClient(t *testing.T, got, want opencredit.Client, what string) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Role != want.Role || got.Subject != want.Subject ||
		!slices.Equal(got.Purposes, want.Purposes) || !got.CreatedAt.Equal(want.CreatedAt) ||
		(got.RevokedAt == nil) != (want.RevokedAt == nil) || (got.RevokedAt != nil && !got.RevokedAt.Equal(*want.RevokedAt)) {
		t.Fatalf("%s: got %+v, want %+v", what, got, want)
	}
}

func testClients(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)
	lender := opencredit.Client{ID: "bank", Name: "Bank of Examples", Role: opencredit.RoleLender,
		Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeAccountReview}, CreatedAt: at}
	person := opencredit.Client{ID: "app-s1", Name: "s1's app", Role: opencredit.RoleSubject, Subject: "s1", CreatedAt: at}
	furnisher := opencredit.Client{ID: "util", Name: "Utility", Role: opencredit.RoleFurnisher, CreatedAt: at}
	keys := map[string]string{}
	for _, c := range []opencredit.Client{lender, person, furnisher} {
		key, hash := newKey(t)
		keys[c.ID] = key
		check(t, st.CreateClient(ctx, c, hash))
	}

	// Lookup by the hash of the key, as a server does with the key it is sent.
	for _, c := range []opencredit.Client{lender, person, furnisher} {
		got, err := st.ClientByKey(ctx, opencredit.HashAPIKey(keys[c.ID]))
		check(t, err)
		sameClient(t, got, c, "ClientByKey("+c.ID+")")
	}

	// The store is given the hash and finds the client by it alone: the
	// key's text, or a near miss, finds nothing.
	_, err := st.ClientByKey(ctx, []byte(keys["bank"]))
	mustCode(t, err, opencredit.ENOTFOUND, "ClientByKey(the key itself, not its hash)")
	unknownKey, unknownHash := newKey(t)
	_, unknownErr := st.ClientByKey(ctx, unknownHash)
	mustCode(t, unknownErr, opencredit.ENOTFOUND, "ClientByKey(unknown key)")
	_, err = st.ClientByKey(ctx, opencredit.HashAPIKey(unknownKey[:len(unknownKey)-1]))
	mustCode(t, err, opencredit.ENOTFOUND, "ClientByKey(truncated key)")
	_, err = st.ClientByKey(ctx, nil)
	mustCode(t, err, opencredit.ENOTFOUND, "ClientByKey(nil)")

	// Clients lists them all in id order.
	cs, err := st.Clients(ctx)
	check(t, err)
	if len(cs) != 3 {
		t.Fatalf("Clients lists %d, want 3: %+v", len(cs), cs)
	}
	for i, want := range []opencredit.Client{person, lender, furnisher} {
		sameClient(t, cs[i], want, fmt.Sprintf("Clients()[%d]", i))
	}

	// A revoked key fails exactly as an unknown one does.
	revoked := at.Add(time.Hour)
	check(t, st.RevokeClient(ctx, "bank", revoked))
	_, err = st.ClientByKey(ctx, opencredit.HashAPIKey(keys["bank"]))
	mustCode(t, err, opencredit.ENOTFOUND, "ClientByKey(revoked key)")
	if err.Error() != unknownErr.Error() {
		t.Errorf("a revoked key gives %q, an unknown one %q: a caller can tell them apart", err, unknownErr)
	}
	// Revoking again keeps the first time; the other clients keep working.
	check(t, st.RevokeClient(ctx, "bank", revoked.Add(time.Hour)))
	mustCode(t, st.RevokeClient(ctx, "nobody", revoked), opencredit.ENOTFOUND, "RevokeClient(unknown)")
	if _, err := st.ClientByKey(ctx, opencredit.HashAPIKey(keys["util"])); err != nil {
		t.Fatalf("revoking bank stopped util's key: %v", err)
	}
	cs, err = st.Clients(ctx)
	check(t, err)
	lender.RevokedAt = &revoked
	sameClient(t, cs[1], lender, "revoked client in Clients")
}

func testClientConflicts(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	c := opencredit.Client{ID: "bank", Name: "Bank", Role: opencredit.RoleLender,
		Purposes: []string{opencredit.PurposeRentalDepositWaiver}, CreatedAt: created}
	key, hash := newKey(t)
	check(t, st.CreateClient(ctx, c, hash))

	// Another key under a taken id; the same key under another id.
	_, other := newKey(t)
	mustCode(t, st.CreateClient(ctx, c, other), opencredit.ECONFLICT, "CreateClient(taken id)")
	mustCode(t, st.CreateClient(ctx, opencredit.Client{ID: "bank2", Role: opencredit.RoleOperator, CreatedAt: created}, hash),
		opencredit.ECONFLICT, "CreateClient(taken key)")
	// A revoked id is not free again.
	check(t, st.RevokeClient(ctx, "bank", granted))
	mustCode(t, st.CreateClient(ctx, c, other), opencredit.ECONFLICT, "CreateClient(revoked id)")
	if _, err := st.ClientByKey(ctx, other); code(err) != opencredit.ENOTFOUND {
		t.Fatalf("a refused client's key works: %v", err)
	}
	if _, err := st.ClientByKey(ctx, opencredit.HashAPIKey(key)); code(err) != opencredit.ENOTFOUND {
		t.Fatalf("the revoked key works: %v", err)
	}
}

func testClientInvalid(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	revoked := granted
	for _, tc := range []struct {
		name string
		c    opencredit.Client
	}{
		{"empty id", opencredit.Client{Role: opencredit.RoleOperator, CreatedAt: created}},
		{"non-printable id", opencredit.Client{ID: "a\x00b", Role: opencredit.RoleOperator, CreatedAt: created}},
		{"no role", opencredit.Client{ID: "c"}},
		{"unknown role", opencredit.Client{ID: "c", Role: "admin", CreatedAt: created}},
		{"purposes for a furnisher", opencredit.Client{ID: "c", Role: opencredit.RoleFurnisher, Purposes: []string{opencredit.PurposeCreditApplication}, CreatedAt: created}},
		{"furnishing for a lender", opencredit.Client{ID: "c", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeFurnishing}, CreatedAt: created}},
		{"self access for a lender", opencredit.Client{ID: "c", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeSubjectSelfAccess}, CreatedAt: created}},
		{"employment for a lender", opencredit.Client{ID: "c", Role: opencredit.RoleLender, Purposes: []string{"employment"}, CreatedAt: created}},
		{"a comma in a purpose", opencredit.Client{ID: "c", Role: opencredit.RoleLender, Purposes: []string{"credit_application,account_review"}, CreatedAt: created}},
		{"subject client without subject", opencredit.Client{ID: "c", Role: opencredit.RoleSubject, CreatedAt: created}},
		{"subject for a lender", opencredit.Client{ID: "c", Role: opencredit.RoleLender, Subject: "s1", CreatedAt: created}},
		{"zero creation time", opencredit.Client{ID: "c", Role: opencredit.RoleOperator}},
		{"revoked at creation", opencredit.Client{ID: "c", Role: opencredit.RoleOperator, CreatedAt: created, RevokedAt: &revoked}},
	} {
		_, hash := newKey(t)
		mustCode(t, st.CreateClient(ctx, tc.c, hash), opencredit.EINVALID, "CreateClient("+tc.name+")")
	}
	ok := opencredit.Client{ID: "c", Role: opencredit.RoleOperator, CreatedAt: created}
	for _, hash := range [][]byte{nil, {1, 2, 3}, []byte("oc_not-a-hash-but-a-key-of-the-right-size-")} {
		mustCode(t, st.CreateClient(ctx, ok, hash), opencredit.EINVALID, "CreateClient(bad hash)")
	}
	cs, err := st.Clients(ctx)
	check(t, err)
	if len(cs) != 0 {
		t.Fatalf("invalid clients were stored: %+v", cs)
	}
	mustCode(t, st.RevokeClient(ctx, "c", time.Time{}), opencredit.EINVALID, "RevokeClient(zero time)")
}
