package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/policy"
)

// authorizeSubject checks that client c may read subject's score for
// purpose (OWASP API1, object-level authorization):
//   - the purpose must be permissible (policy.CheckPurpose: a refused
//     purpose is refused with the rule it breaks);
//   - a subject client reaches only the subject it is bound to, and only for
//     subject_self_access;
//   - a lender must be permitted the purpose and hold the subject's consent
//     for it at this moment, so a withdrawn consent stops access at once.
//
// An unknown subject gives the same answer as one without consent, so a
// lender cannot learn who is on file.
func authorizeSubject(ctx context.Context, d Deps, c opencredit.Client, subject, purpose string) error {
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
		ok, err := d.Store.HasConsent(ctx, subject, c.ID, purpose, d.Now())
		if err != nil {
			return err
		}
		if !ok {
			return opencredit.Errorf(opencredit.EFORBIDDEN, "the subject has given this client no consent for %s, or has withdrawn it", purpose)
		}
		return nil
	}
	return opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client may not read scores", c.Role)
}

// ownSubject checks that a subject client asks about the subject it is
// bound to.
func ownSubject(c opencredit.Client, subject string) error {
	if c.Role != opencredit.RoleSubject || subject != c.Subject {
		return opencredit.Errorf(opencredit.EFORBIDDEN, "a subject client reaches only its own data")
	}
	return nil
}

// record appends one audit record for the request; the caller writes its
// response only if this succeeds, so nothing is served that is not
// recorded. Without an audit log (tests that do not check it) it does
// nothing.
func record(r *http.Request, d Deps, c opencredit.Client, purpose, subject, action string, res audit.Result) error {
	if d.Audit == nil {
		return nil
	}
	_, err := d.Audit.Append(r.Context(), audit.Record{
		Time: d.Now(), Client: c.ID, Role: c.Role, Purpose: purpose, Subject: subject,
		Action: action, Result: res, RequestID: requestID(r.Context()),
	})
	return err
}
