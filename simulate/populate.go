package simulate

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// populateBatchEvents is about how many events Populate stores in one
// transaction.
const populateBatchEvents = 5000

// Populate simulates every person of s and stores them in st: the
// subjects and their furnishing consents, then their events, a few hundred
// people to a transaction, calling each (if not nil) with every person. It
// returns the number of events stored; any event the store rejects is an
// error, since simulated events are valid.
func (s *Simulator) Populate(ctx context.Context, st opencredit.Store, each func(Person) error, progress func(people int)) (int, error) {
	var ids []string
	var consents []opencredit.Consent
	var events []opencredit.Event
	people, stored := 0, 0
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		if err := ingest.Register(ctx, st, ids, s.Start(), consents); err != nil {
			return err
		}
		res, err := st.Ingest(ctx, events)
		if err != nil {
			return err
		}
		for i, r := range res {
			if r.Status == opencredit.Rejected {
				return opencredit.Errorf(opencredit.EINTERNAL, "simulated event %s/%s was rejected: %s: %s", events[i].Source, events[i].ID, r.Reason, r.Detail)
			}
		}
		stored += len(events)
		if progress != nil {
			progress(people)
		}
		ids, consents, events = ids[:0], consents[:0], events[:0]
		return nil
	}
	err := s.Run(ctx, 0, func(p Person) error {
		if each != nil {
			if err := each(p); err != nil {
				return err
			}
		}
		ids = append(ids, p.ID)
		consents = append(consents, p.Consents...)
		events = append(events, p.Events...)
		people++
		if len(events) >= populateBatchEvents {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return stored, err
}
