package rights

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// Registration is a registered person and, when asked for, their subject
// client and its API key, shown this once and stored nowhere.
type Registration struct {
	Subject opencredit.Subject
	Client  *opencredit.Client
	Key     string
}

// Limits of the PII a registration takes.
const (
	MaxNameBytes       = 200
	MaxNationalIDBytes = 64
)

// CheckPII refuses PII the store should not seal: a name or national id
// that is too long, not UTF-8 or holds a control character, or a date of
// birth that is not a real YYYY-MM-DD date from 1900 on, not in the future.
func CheckPII(p opencredit.PII, now time.Time) error {
	for _, f := range []struct {
		name, value string
		max         int
	}{{"name", p.Name, MaxNameBytes}, {"national_id", p.NationalID, MaxNationalIDBytes}} {
		if len(f.value) > f.max {
			return opencredit.Errorf(opencredit.EINVALID, "%s is longer than %d bytes", f.name, f.max)
		}
		if !utf8.ValidString(f.value) {
			return opencredit.Errorf(opencredit.EINVALID, "%s is not valid UTF-8", f.name)
		}
		for _, r := range f.value {
			if r < 0x20 || r == 0x7f {
				return opencredit.Errorf(opencredit.EINVALID, "%s holds a control character", f.name)
			}
		}
	}
	if p.DateOfBirth != "" {
		d, err := time.Parse(time.DateOnly, string(p.DateOfBirth))
		if err != nil {
			return opencredit.Errorf(opencredit.EINVALID, "date_of_birth %q: want a date YYYY-MM-DD", p.DateOfBirth)
		}
		if d.Year() < 1900 || d.After(now) {
			return opencredit.Errorf(opencredit.EINVALID, "date_of_birth %s: want a date from 1900 to today", p.DateOfBirth)
		}
	}
	return nil
}

// Register registers a person under id with their PII, for an operator;
// with issueKey, it also creates their subject client (clientID, or
// "self-" and the id when empty) and returns its key, once. Everything is
// checked before anything is written; a client id that is taken is
// refused before the person is registered.
func (s *Service) Register(ctx context.Context, by scoring.Caller, id string, p opencredit.PII, issueKey bool, clientID string) (Registration, error) {
	if err := opencredit.CheckID("subject id", id); err != nil {
		return Registration{}, err
	}
	if by.Client.Role != opencredit.RoleOperator {
		return Registration{}, s.fail(ctx, by, "", id, ActionRegister,
			opencredit.Errorf(opencredit.EFORBIDDEN, "only an operator registers people, not a %s client", by.Client.Role))
	}
	now := s.now()
	out, err := s.register(ctx, id, p, issueKey, clientID, now)
	if err != nil {
		return Registration{}, s.fail(ctx, by, PurposeOperations, id, ActionRegister, err)
	}
	items := 0
	if out.Client != nil {
		items = 1
	}
	if err := s.record(ctx, by, PurposeOperations, id, ActionRegister, audit.Result{Items: items}); err != nil {
		return Registration{}, err
	}
	return out, nil
}

func (s *Service) register(ctx context.Context, id string, p opencredit.PII, issueKey bool, clientID string, now time.Time) (Registration, error) {
	if err := CheckPII(p, now); err != nil {
		return Registration{}, err
	}
	var c *opencredit.Client
	var key string
	var hash []byte
	if issueKey {
		if clientID == "" {
			clientID = "self-" + id
		}
		// The client's name is not sealed, so it holds the pseudonymous id,
		// never the person's name.
		c = &opencredit.Client{ID: clientID, Name: "subject " + id, Role: opencredit.RoleSubject, Subject: id, CreatedAt: now}
		var err error
		if key, hash, err = opencredit.NewAPIKey(); err != nil {
			return Registration{}, err
		}
		if err := opencredit.CheckNewClient(*c, hash); err != nil {
			return Registration{}, err
		}
		cs, err := s.store.Clients(ctx)
		if err != nil {
			return Registration{}, err
		}
		for _, other := range cs {
			if other.ID == clientID {
				return Registration{}, opencredit.Errorf(opencredit.ECONFLICT, "client id %s is taken; give another client_id", clientID)
			}
		}
	} else if clientID != "" {
		return Registration{}, opencredit.Errorf(opencredit.EINVALID, "client_id %s is given without issue_key", clientID)
	}
	if err := s.store.CreateSubject(ctx, id, p, now); err != nil {
		return Registration{}, err
	}
	out := Registration{}
	var err error
	if out.Subject, err = s.store.Subject(ctx, id); err != nil {
		return Registration{}, err
	}
	if c != nil {
		if err := s.store.CreateClient(ctx, *c, hash); err != nil {
			return Registration{}, &opencredit.Error{Code: opencredit.ErrorCode(err),
				Message: "subject " + id + " is registered, but its key was not issued: create it with 'opencredit clients create --role subject --subject " + id + "'", Err: err}
		}
		out.Client, out.Key = c, key
	}
	return out, nil
}
