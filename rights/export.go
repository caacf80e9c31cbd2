package rights

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// ExportVersion names the schema of the export document. A change that a
// reader of version 1 would misread gets a new version.
const ExportVersion = "opencredit.export/1"

// Export is everything held about a person, as one JSON document (GDPR
// Art. 20, data portability; Art. 15, the right of access). The schema,
// version "opencredit.export/1":
//
//	version      "opencredit.export/1"
//	exported_at  when the document was made (RFC 3339, UTC)
//	subject      the subject: id, created_at, deleted_at when erased
//	pii          name, national_id, date_of_birth, decrypted; only in the
//	             person's own export, absent in an operator's or when erased
//	consents     every consent, withdrawn ones included, by grant time
//	freezes      every security freeze, lifted ones included, oldest first
//	events       every event held, suppressed ones included, in time order
//	features     the live features now; absent when erased
//	accesses     the whole access history from the audit log, oldest first
//	             (Access), up to the moment before this export
//	disputes     every dispute of the person's events, with status and
//	             outcome, oldest first (added within version 1: a reader
//	             of the first documents ignores it)
//	reviews      every request for human review and its outcome, oldest first
//	             (added likewise)
type Export struct {
	Version    string                    `json:"version"`
	ExportedAt time.Time                 `json:"exported_at"`
	Subject    opencredit.Subject        `json:"subject"`
	PII        *opencredit.PII           `json:"pii,omitempty"`
	Consents   []opencredit.Consent      `json:"consents"`
	Freezes    []opencredit.Freeze       `json:"freezes"`
	Events     []opencredit.StoredEvent  `json:"events"`
	Features   *opencredit.FeatureVector `json:"features,omitempty"`
	Accesses   []Access                  `json:"accesses"`
	Disputes   []opencredit.Dispute      `json:"disputes"`
	Reviews    []opencredit.Review       `json:"reviews"`
}

// Export gathers everything held about subject for the person's own
// client, PII included, or for an operator, PII left out; and records it.
func (s *Service) Export(ctx context.Context, by scoring.Caller, subject string) (Export, error) {
	return s.exportFor(ctx, by, subject, by.Client.Role == opencredit.RoleSubject)
}

// ExportWithPII is Export with the PII decrypted whoever asks: for the
// operator's command line, run at the person's request to hand them their
// file (`opencredit subject export`). The record names by as the client.
func (s *Service) ExportWithPII(ctx context.Context, by scoring.Caller, subject string) (Export, error) {
	return s.exportFor(ctx, by, subject, true)
}

func (s *Service) exportFor(ctx context.Context, by scoring.Caller, subject string, withPII bool) (Export, error) {
	purpose, err := s.begin(ctx, by, subject, ActionExport)
	if err != nil {
		return Export{}, err
	}
	out, err := s.export(ctx, subject, withPII)
	if err != nil {
		return Export{}, s.fail(ctx, by, purpose, subject, ActionExport, err)
	}
	if err := s.record(ctx, by, purpose, subject, ActionExport, audit.Result{Items: len(out.Consents) + len(out.Events) + len(out.Disputes) + len(out.Reviews)}); err != nil {
		return Export{}, err
	}
	return out, nil
}

func (s *Service) export(ctx context.Context, subject string, withPII bool) (Export, error) {
	out := Export{Version: ExportVersion, ExportedAt: s.now().UTC()}
	var err error
	if out.Subject, err = s.store.Subject(ctx, subject); err != nil {
		return Export{}, err
	}
	erased := out.Subject.DeletedAt != nil
	if withPII && !erased {
		p, err := s.store.SubjectPII(ctx, subject)
		if err != nil {
			return Export{}, err
		}
		out.PII = &p
	}
	if out.Consents, err = s.store.Consents(ctx, subject); err != nil {
		return Export{}, err
	}
	if out.Freezes, err = s.store.Freezes(ctx, subject); err != nil {
		return Export{}, err
	}
	if out.Events, err = s.store.Events(ctx, subject); err != nil {
		return Export{}, err
	}
	if !erased {
		fv, err := s.store.Features(ctx, subject, out.ExportedAt)
		if err != nil {
			return Export{}, err
		}
		out.Features = &fv
	}
	out.Accesses = []Access{}
	for from := int64(0); ; {
		page, err := s.accesses(ctx, subject, from, MaxAccessPage)
		if err != nil {
			return Export{}, err
		}
		out.Accesses = append(out.Accesses, page.Accesses...)
		if page.Next == nil {
			break
		}
		from = *page.Next
	}
	if out.Disputes, err = s.store.Disputes(ctx, opencredit.DisputeFilter{Subject: subject}); err != nil {
		return Export{}, err
	}
	if out.Reviews, err = s.store.Reviews(ctx, opencredit.ReviewFilter{Subject: subject}); err != nil {
		return Export{}, err
	}
	out.Disputes = nonNil(out.Disputes)
	out.Reviews = nonNil(out.Reviews)
	out.Consents = nonNil(out.Consents)
	out.Freezes = nonNil(out.Freezes)
	out.Events = nonNil(out.Events)
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
