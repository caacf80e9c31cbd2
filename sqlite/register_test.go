package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

func TestRegister(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "r.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, 2500)
	var consents []opencredit.Consent
	for i := range ids {
		ids[i] = "s" + string(rune('a'+i%26)) + time.Duration(i).String()
		consents = append(consents, opencredit.Consent{Subject: ids[i], Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: at})
	}
	if err := db.Register(ctx, ids, at, consents); err != nil {
		t.Fatal(err)
	}
	// Again: nothing changes, no error.
	if err := db.Register(ctx, ids, at, consents); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{ids[0], ids[1234], ids[2499]} {
		s, err := db.Subject(ctx, id)
		if err != nil || !s.CreatedAt.Equal(at) {
			t.Fatalf("subject %s: %+v %v", id, s, err)
		}
		ok, err := db.HasConsent(ctx, id, "f1", opencredit.PurposeFurnishing, at.Add(time.Hour))
		if err != nil || !ok {
			t.Fatalf("consent of %s: %v %v", id, ok, err)
		}
	}
	if err := db.Register(ctx, nil, at, []opencredit.Consent{{Subject: "nobody", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: at}}); err == nil {
		t.Fatal("a consent of an unknown subject was registered")
	}
}
