package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

func TestRegister(t *testing.T) {
	db, _ := openDB(t, pii.DemoKeys())
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, 2500)
	var consents []opencredit.Consent
	for i := range ids {
		ids[i] = fmt.Sprintf("s%05d", i)
		consents = append(consents, opencredit.Consent{Subject: ids[i], Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: at})
	}
	for range 2 { // the second time changes nothing
		if err := db.Register(ctx, ids, at, consents); err != nil {
			t.Fatal(err)
		}
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
