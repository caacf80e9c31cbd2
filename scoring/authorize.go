package scoring

import (
	"context"
	"slices"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/policy"
)

// Authorize checks that client c may read subject's score for
// purpose (OWASP API1, object-level authorization):
//   - the purpose must be permissible (policy.CheckPurpose: a refused
//     purpose is refused with the rule it breaks);
//   - a subject client reaches only the subject it is bound to, and only for
//     subject_self_access;
//   - a lender must be permitted the purpose and hold the subject's consent
//     for it at this moment, so a withdrawn consent stops access at once;
//   - and, for a purpose a freeze blocks (opencredit.FreezeBlocks: all but
//     account_review), the person must not have frozen the file now
//     (EFROZEN). The person's own access is never frozen.
//
// An unknown subject gives the same answer as one without consent, so a
// lender cannot learn who is on file; and consent is checked before the
// freeze, so only a lender the person consented to learns of a freeze.
func (s *Service) Authorize(ctx context.Context, c opencredit.Client, subject, purpose string) error {
	if purpose == "" {
		return opencredit.Errorf(opencredit.EINVALID, "purpose is required; permissible purposes are %s",
			strings.Join(policy.PermissiblePurposes(), ", "))
	}
	if err := policy.CheckPurpose(purpose); err != nil {
		return err
	}
	switch c.Role {
	case opencredit.RoleSubject:
		if subject != c.Subject {
			return opencredit.Errorf(opencredit.EFORBIDDEN, "a subject client reaches only its own subject")
		}
		if purpose != opencredit.PurposeSubjectSelfAccess {
			return opencredit.Errorf(opencredit.EFORBIDDEN, "a subject client reads its own score with purpose %s, not %s",
				opencredit.PurposeSubjectSelfAccess, purpose)
		}
		return nil
	case opencredit.RoleLender:
		if !slices.Contains(c.Purposes, purpose) {
			return opencredit.Errorf(opencredit.EFORBIDDEN, "this client is not permitted purpose %s; its permitted purposes are: %s",
				purpose, strings.Join(c.Purposes, ", "))
		}
		ok, err := s.store.HasConsent(ctx, subject, c.ID, purpose, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return opencredit.Errorf(opencredit.EFORBIDDEN, "the subject has given this client no consent for %s, or has withdrawn it", purpose)
		}
		if opencredit.FreezeBlocks(purpose) {
			frozen, err := s.store.Frozen(ctx, subject, s.now())
			if err != nil {
				return err
			}
			if frozen {
				return opencredit.Errorf(opencredit.EFROZEN, "the subject has frozen their file (FCRA §605A): no %s pull until they lift the freeze", purpose)
			}
		}
		return nil
	}
	return opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client may not read scores", c.Role)
}

// OwnSubject checks that c is the subject client bound to subject: only
// the person reads their own file.
func OwnSubject(c opencredit.Client, subject string) error {
	if c.Role != opencredit.RoleSubject || subject != c.Subject {
		return opencredit.Errorf(opencredit.EFORBIDDEN, "a subject client reaches only its own data")
	}
	return nil
}
