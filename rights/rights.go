package rights

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// Actions the audit log names the person's-rights accesses by.
const (
	ActionAccesses        = "access_history"
	ActionConsents        = "consents_read"
	ActionConsentGrant    = "consent_grant"
	ActionConsentWithdraw = "consent_withdraw"
	ActionFreeze          = "freeze"
	ActionUnfreeze        = "unfreeze"
	ActionFreezeRead      = "freeze_read"
	ActionExport          = "export"
	ActionErase           = "erasure"
	ActionRegister        = "register"
)

// PurposeOperations is the purpose an operator's accesses are recorded
// under: running the service, not a permissible purpose for any score.
const PurposeOperations = "operations"

// Log is the audit log: where every access is recorded before it is
// answered, and where the access history is read. *audit.Log satisfies it.
type Log interface {
	Append(ctx context.Context, recs ...audit.Record) (int64, error)
	SubjectRecords(ctx context.Context, subject string, from int64, limit int) ([]audit.Entry, error)
}

// Config is what a Service needs. Store and Log are required; Now defaults
// to time.Now.
type Config struct {
	Store opencredit.Store
	Log   Log
	Now   func() time.Time
}

// Service runs the person's rights. It is safe for concurrent use.
type Service struct {
	store opencredit.Store
	log   Log
	now   func() time.Time
}

// New returns a Service, or an error naming what is missing.
func New(c Config) (*Service, error) {
	switch {
	case c.Store == nil:
		return nil, opencredit.Errorf(opencredit.EINVALID, "rights: no store")
	case c.Log == nil:
		return nil, opencredit.Errorf(opencredit.EINVALID, "rights: no audit log: every access must be recorded")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{store: c.Store, log: c.Log, now: c.Now}, nil
}

// authorize lets the person's own subject client and operators reach
// subject's file, and refuses everyone else (EFORBIDDEN), with the
// purpose the access is recorded under.
func authorize(c opencredit.Client, subject string) (purpose string, err error) {
	switch {
	case c.Role == opencredit.RoleSubject && c.Subject == subject:
		return opencredit.PurposeSubjectSelfAccess, nil
	case c.Role == opencredit.RoleSubject:
		return opencredit.PurposeSubjectSelfAccess, opencredit.Errorf(opencredit.EFORBIDDEN, "a subject client reaches only its own subject")
	case c.Role == opencredit.RoleOperator:
		return PurposeOperations, nil
	}
	return "", opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client may not act on a person's file; only the person's own subject client or an operator may", c.Role)
}

// begin authorizes by on subject's file for action. A refusal is recorded
// with its code and returned; an id that is not an id is returned as
// EINVALID, unrecorded: it names no one's file.
func (s *Service) begin(ctx context.Context, by scoring.Caller, subject, action string) (purpose string, err error) {
	if err := opencredit.CheckID("subject id", subject); err != nil {
		return "", err
	}
	purpose, err = authorize(by.Client, subject)
	if err != nil {
		return "", s.fail(ctx, by, purpose, subject, action, err)
	}
	return purpose, nil
}

// fail records a refused or failed access with the error's code and
// returns err; an internal error is returned unrecorded, for the server's
// log. A log that cannot record fails the call with its own error.
func (s *Service) fail(ctx context.Context, by scoring.Caller, purpose, subject, action string, err error) error {
	if opencredit.ErrorCode(err) == opencredit.EINTERNAL {
		return err
	}
	if rerr := s.record(ctx, by, purpose, subject, action, audit.Result{Error: opencredit.ErrorCode(err)}); rerr != nil {
		return rerr
	}
	return err
}

func (s *Service) record(ctx context.Context, by scoring.Caller, purpose, subject, action string, res audit.Result) error {
	_, err := s.log.Append(ctx, audit.Record{
		Time: s.now(), Client: by.Client.ID, Role: by.Client.Role, Purpose: purpose, Subject: subject,
		Action: action, Result: res, RequestID: by.RequestID,
	})
	return err
}
