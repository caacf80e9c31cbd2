package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// BenchmarkFrozen measures the freeze check every blockable lender pull
// adds, beside the consent check every pull already makes, in the same
// run: 1,000 people, each with a consent to the lender, every tenth with
// a lifted freeze and every twentieth frozen now.
func BenchmarkFrozen(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const people = 1000
	for i := range people {
		id := fmt.Sprintf("p%04d", i)
		if err := db.CreateSubject(ctx, id, opencredit.PII{}, t0); err != nil {
			b.Fatal(err)
		}
		if err := db.GrantConsent(ctx, opencredit.Consent{Subject: id, Counterparty: "l1", Purpose: opencredit.PurposeCreditApplication, GrantedAt: t0}); err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			if err := db.FreezeSubject(ctx, id, t0); err != nil {
				b.Fatal(err)
			}
			if err := db.UnfreezeSubject(ctx, id, t0.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
		if i%20 == 0 {
			if err := db.FreezeSubject(ctx, id, t0.Add(2*time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	}
	now := t0.AddDate(1, 0, 0)
	b.Run("HasConsent", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := db.HasConsent(ctx, fmt.Sprintf("p%04d", i%people), "l1", opencredit.PurposeCreditApplication, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Frozen", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := db.Frozen(ctx, fmt.Sprintf("p%04d", i%people), now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
