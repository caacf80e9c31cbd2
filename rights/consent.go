package rights

import (
	"context"
	"slices"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// Consents lists subject's consents, withdrawn ones included, for the
// person's own client or an operator.
func (s *Service) Consents(ctx context.Context, by scoring.Caller, subject string) ([]opencredit.Consent, error) {
	purpose, err := s.begin(ctx, by, subject, ActionConsents)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.Consents(ctx, subject)
	if err != nil {
		return nil, s.fail(ctx, by, purpose, subject, ActionConsents, err)
	}
	if err := s.record(ctx, by, purpose, subject, ActionConsents, audit.Result{Items: len(cs)}); err != nil {
		return nil, err
	}
	return cs, nil
}

// CounterpartyPurposes lists the purposes a consent to a client of role
// may name: furnishing for a furnisher, the lender purposes for a lender;
// none for an operator or a subject client, which are no counterparty.
func CounterpartyPurposes(role string) []string {
	switch role {
	case opencredit.RoleFurnisher:
		return []string{opencredit.PurposeFurnishing}
	case opencredit.RoleLender:
		return opencredit.LenderPurposes()
	}
	return nil
}

// GrantConsent records, from now, subject's consent to counterparty (a
// registered, unrevoked furnisher or lender client) for purpose, which
// must be one the counterparty's role may hold (CounterpartyPurposes).
func (s *Service) GrantConsent(ctx context.Context, by scoring.Caller, subject, counterparty, purpose string) (opencredit.Consent, error) {
	recPurpose, err := s.begin(ctx, by, subject, ActionConsentGrant)
	if err != nil {
		return opencredit.Consent{}, err
	}
	c := opencredit.Consent{Subject: subject, Counterparty: counterparty, Purpose: purpose, GrantedAt: s.now()}
	if err := s.checkCounterparty(ctx, counterparty, purpose); err != nil {
		return opencredit.Consent{}, s.fail(ctx, by, recPurpose, subject, ActionConsentGrant, err)
	}
	if err := s.store.GrantConsent(ctx, c); err != nil {
		return opencredit.Consent{}, s.fail(ctx, by, recPurpose, subject, ActionConsentGrant, err)
	}
	if err := s.record(ctx, by, recPurpose, subject, ActionConsentGrant, audit.Result{Items: 1}); err != nil {
		return opencredit.Consent{}, err
	}
	return c, nil
}

func (s *Service) checkCounterparty(ctx context.Context, counterparty, purpose string) error {
	if err := opencredit.CheckID("counterparty", counterparty); err != nil {
		return err
	}
	cs, err := s.store.Clients(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cs, func(c opencredit.Client) bool { return c.ID == counterparty })
	if i < 0 {
		return opencredit.Errorf(opencredit.ENOTFOUND, "counterparty: no client %q", counterparty)
	}
	c := cs[i]
	if c.RevokedAt != nil {
		return opencredit.Errorf(opencredit.EINVALID, "counterparty: client %s is revoked", counterparty)
	}
	allowed := CounterpartyPurposes(c.Role)
	if len(allowed) == 0 {
		return opencredit.Errorf(opencredit.EINVALID, "counterparty: client %s is a %s, not a furnisher or a lender", counterparty, c.Role)
	}
	if !slices.Contains(allowed, purpose) {
		return opencredit.Errorf(opencredit.EINVALID, "purpose %q: a consent to a %s is for %s", purpose, c.Role, strings.Join(allowed, ", "))
	}
	return nil
}

// WithdrawConsent ends, now, subject's open consent to counterparty for
// purpose, and returns the subject's consents as they are after it: the
// next pull or event it covered is refused. ENOTFOUND if no such consent
// is open.
func (s *Service) WithdrawConsent(ctx context.Context, by scoring.Caller, subject, counterparty, purpose string) ([]opencredit.Consent, error) {
	recPurpose, err := s.begin(ctx, by, subject, ActionConsentWithdraw)
	if err != nil {
		return nil, err
	}
	if err := s.store.WithdrawConsent(ctx, subject, counterparty, purpose, s.now()); err != nil {
		return nil, s.fail(ctx, by, recPurpose, subject, ActionConsentWithdraw, err)
	}
	cs, err := s.store.Consents(ctx, subject)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, by, recPurpose, subject, ActionConsentWithdraw, audit.Result{Items: 1}); err != nil {
		return nil, err
	}
	return cs, nil
}
