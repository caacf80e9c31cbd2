package ingest

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
)

// Register creates subjects without PII at the moment at, and their
// consents: in one transaction when st is an opencredit.Registrar, else one
// call each, a subject that exists already left as it is. Simulated and
// generated populations are registered this way before their events are
// ingested.
func Register(ctx context.Context, st opencredit.Store, ids []string, at time.Time, consents []opencredit.Consent) error {
	if r, ok := st.(opencredit.Registrar); ok {
		return r.Register(ctx, ids, at, consents)
	}
	for _, id := range ids {
		if err := st.CreateSubject(ctx, id, opencredit.PII{}, at); err != nil && opencredit.ErrorCode(err) != opencredit.ECONFLICT {
			return err
		}
	}
	for _, c := range consents {
		if err := st.GrantConsent(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
