package opencredit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestNewAPIKey(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		key, hash, err := NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		// "oc_" and 32 bytes in unpadded base64url: 43 characters.
		if !strings.HasPrefix(key, "oc_") || len(key) != 3+43 || strings.ContainsAny(key[3:], "+/=") || !LooksLikeAPIKey(key) {
			t.Fatalf("key %q: want oc_ and 43 base64url characters", key)
		}
		if !bytes.Equal(hash, HashAPIKey(key)) || CheckKeyHash(hash) != nil {
			t.Fatalf("NewAPIKey's hash %x is not HashAPIKey of its key", hash)
		}
		if seen[key] {
			t.Fatalf("key %q drawn twice", key)
		}
		seen[key] = true
	}
	for _, s := range []string{"", "oc_", "oc_short", "xx_" + strings.Repeat("A", 43), "oc_" + strings.Repeat("A", 42) + "!"} {
		if LooksLikeAPIKey(s) {
			t.Errorf("LooksLikeAPIKey(%q) = true", s)
		}
	}
}

func TestHashAPIKey(t *testing.T) {
	// Expected: printf 'oc_test' | sha256sum.
	want := sha256.Sum256([]byte("oc_test"))
	if got := hex.EncodeToString(HashAPIKey("oc_test")); got != hex.EncodeToString(want[:]) {
		t.Fatalf("HashAPIKey = %s", got)
	}
}

func TestClientValidate(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []Client{
		{ID: "bank", Role: RoleLender, Purposes: []string{PurposeCreditApplication, PurposeAccountReview, PurposeRentalDepositWaiver}, CreatedAt: at},
		{ID: "bank", Role: RoleLender, CreatedAt: at},
		{ID: "util", Role: RoleFurnisher, CreatedAt: at},
		{ID: "ops", Role: RoleOperator, CreatedAt: at},
		{ID: "me", Role: RoleSubject, Subject: "s1", CreatedAt: at},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	for _, c := range []Client{
		{Role: RoleOperator, CreatedAt: at},
		{ID: "x", Role: "root", CreatedAt: at},
		{ID: "x", Role: RoleLender, Purposes: []string{PurposeFurnishing}, CreatedAt: at},
		{ID: "x", Role: RoleLender, Purposes: []string{PurposeSubjectSelfAccess}, CreatedAt: at},
		{ID: "x", Role: RoleLender, Purposes: []string{"employment"}, CreatedAt: at},
		{ID: "x", Role: RoleLender, Purposes: []string{PurposeAccountReview, PurposeAccountReview}, CreatedAt: at},
		{ID: "x", Role: RoleOperator, Purposes: []string{PurposeAccountReview}, CreatedAt: at},
		{ID: "x", Role: RoleSubject, CreatedAt: at},
		{ID: "x", Role: RoleFurnisher, Subject: "s1", CreatedAt: at},
		{ID: "x", Role: RoleOperator},
	} {
		if err := c.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v, want %s", c, err, EINVALID)
		}
	}
}
