package rights

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// Access is one access to a person's file as the audit log recorded it:
// who (client id, name as registered, role), why (purpose), what (action),
// when, and whether it was allowed or refused with which code. Index is
// the record's index in the audit log, the number its inclusion proof is
// asked for.
type Access struct {
	Index      int64     `json:"index"`
	Time       time.Time `json:"time"`
	Client     string    `json:"client"`
	ClientName string    `json:"client_name,omitempty"` // empty for a client the store does not know (the CLI)
	Role       string    `json:"role"`
	Purpose    string    `json:"purpose"`
	Action     string    `json:"action"`
	Allowed    bool      `json:"allowed"`
	Error      string    `json:"error,omitempty"` // the refusal's code, when not allowed
}

// AccessPage is a page of a person's access history, oldest first. Next
// is the index to ask from for the page after, absent on the last page.
type AccessPage struct {
	Subject  string   `json:"subject"`
	Accesses []Access `json:"accesses"`
	Next     *int64   `json:"next,omitempty"`
}

// MaxAccessPage bounds the accesses one page holds.
const MaxAccessPage = audit.MaxSubjectPage

// Accesses lists who accessed subject's file, allowed or refused, from
// audit index from on, at most limit (1 to MaxAccessPage), oldest first,
// for the person's own client or an operator. The read is recorded after
// the page is read, so it appears from the next page on.
func (s *Service) Accesses(ctx context.Context, by scoring.Caller, subject string, from int64, limit int) (AccessPage, error) {
	purpose, err := s.begin(ctx, by, subject, ActionAccesses)
	if err != nil {
		return AccessPage{}, err
	}
	if limit < 1 || limit > MaxAccessPage || from < 0 {
		return AccessPage{}, opencredit.Errorf(opencredit.EINVALID, "an access history page from index %d of %d entries: want from ≥ 0 and 1 to %d entries", from, limit, MaxAccessPage)
	}
	page, err := s.accesses(ctx, subject, from, limit)
	if err != nil {
		return AccessPage{}, err
	}
	if err := s.record(ctx, by, purpose, subject, ActionAccesses, audit.Result{Items: len(page.Accesses)}); err != nil {
		return AccessPage{}, err
	}
	return page, nil
}

// accesses reads one page, with the clients' names, unrecorded.
func (s *Service) accesses(ctx context.Context, subject string, from int64, limit int) (AccessPage, error) {
	entries, err := s.log.SubjectRecords(ctx, subject, from, limit)
	if err != nil {
		return AccessPage{}, err
	}
	page := AccessPage{Subject: subject, Accesses: []Access{}}
	if len(entries) == limit {
		// A full page: another follows if one more record does.
		next := entries[limit-1].N + 1
		more, err := s.log.SubjectRecords(ctx, subject, next, 1)
		if err != nil {
			return AccessPage{}, err
		}
		if len(more) > 0 {
			page.Next = &next
		}
	}
	names, err := s.clientNames(ctx)
	if err != nil {
		return AccessPage{}, err
	}
	for _, e := range entries {
		r := e.Record
		page.Accesses = append(page.Accesses, Access{
			Index: e.N, Time: r.Time, Client: r.Client, ClientName: names[r.Client], Role: r.Role,
			Purpose: r.Purpose, Action: r.Action, Allowed: r.Result.Error == "", Error: r.Result.Error,
		})
	}
	return page, nil
}

func (s *Service) clientNames(ctx context.Context) (map[string]string, error) {
	cs, err := s.store.Clients(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	return names, nil
}
