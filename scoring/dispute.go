package scoring

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/dispute"
)

// Actions of the dispute records in the audit log. A resolution is recorded
// under its outcome, so the log says what happened without a lookup.
const (
	ActionDisputeOpen       = "dispute_open"
	ActionDisputesRead      = "disputes_read"
	ActionDisputeVerified   = "dispute_" + opencredit.DisputeVerified
	ActionDisputeCorrected  = "dispute_" + opencredit.DisputeCorrected
	ActionDisputeDeleted    = "dispute_" + opencredit.DisputeDeleted
	ActionDisputeSuppressed = "dispute_" + opencredit.DisputeSuppressed
)

// PurposeOperations is the purpose recorded for what runs the service
// rather than serves a permissible purpose: an operator's reads, a
// furnisher's queue, the platform's own suppression at a deadline.
const PurposeOperations = "operations"

// RolePlatform is the role recorded for what the platform does by itself
// (as client opencredit.PlatformSource): the suppression of a lapsed dispute.
const RolePlatform = "platform"

// lapseNote is the note of a dispute suppressed at its deadline.
const lapseNote = "unanswered by the furnisher 30 days after it was opened: suppressed from scoring (FCRA §611(a)(5)(A))"

// newID returns prefix and 16 random hex digits from the service's random source.
func (s *Service) newID(prefix string) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		return "", &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot draw an id", Err: err}
	}
	return prefix + hex.EncodeToString(b[:]), nil
}

var defaultRandom io.Reader = rand.Reader

// OpenDispute opens the subject's dispute of one of their own events, for
// the subject's own client: the event is flagged at once and lands in its
// furnisher's queue; it stays in scoring until the furnisher answers or
// dispute.Deadline passes. Here and in every use case of this file and
// review.go, a refusal that names a person's file is recorded with its code
// (refused); one that names no one (a queue's wrong role, an unknown id)
// is not.
func (s *Service) OpenDispute(ctx context.Context, by Caller, subject, source, eventID, comment string) (opencredit.Dispute, error) {
	if err := OwnSubject(by.Client, subject); err != nil {
		return opencredit.Dispute{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionDisputeOpen, err)
	}
	id, err := s.newID("dsp_")
	if err != nil {
		return opencredit.Dispute{}, err
	}
	d := opencredit.Dispute{ID: id, Subject: subject, Source: source, EventID: eventID, Comment: comment,
		OpenedAt: s.now().UTC(), Status: opencredit.DisputeOpen}
	if err := s.store.OpenDispute(ctx, d); err != nil {
		return opencredit.Dispute{}, s.refused(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionDisputeOpen, err)
	}
	if err := s.Record(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionDisputeOpen, audit.Result{Items: 1}); err != nil {
		return opencredit.Dispute{}, err
	}
	return d, nil
}

// SubjectDisputes lists the subject's disputes, with their status and
// outcome, for the subject's own client or an operator. Lapsed disputes are
// suppressed first, so the list is as the deadline has it.
func (s *Service) SubjectDisputes(ctx context.Context, by Caller, subject string) ([]opencredit.Dispute, error) {
	purpose := opencredit.PurposeSubjectSelfAccess
	if by.Client.Role == opencredit.RoleOperator {
		purpose = PurposeOperations
	} else if err := OwnSubject(by.Client, subject); err != nil {
		return nil, s.refused(ctx, by, purpose, subject, ActionDisputesRead, err)
	}
	if _, err := s.lapse(ctx, subject); err != nil {
		return nil, err
	}
	ds, err := s.store.Disputes(ctx, opencredit.DisputeFilter{Subject: subject})
	if err != nil {
		return nil, err
	}
	if err := s.Record(ctx, by, purpose, subject, ActionDisputesRead, audit.Result{Items: len(ds)}); err != nil {
		return nil, err
	}
	return ds, nil
}

// DisputeQueue lists disputes with the given status (all if empty): a
// furnisher's own, those of the events it sent; an operator's, every one.
// Each person whose disputes are listed gets an audit record of the read.
func (s *Service) DisputeQueue(ctx context.Context, by Caller, status string) ([]opencredit.Dispute, error) {
	f := opencredit.DisputeFilter{Status: status}
	switch by.Client.Role {
	case opencredit.RoleFurnisher:
		f.Source = by.Client.ID
	case opencredit.RoleOperator:
	default:
		return nil, opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client has no dispute queue", by.Client.Role)
	}
	switch status {
	case "", opencredit.DisputeOpen, opencredit.DisputeVerified, opencredit.DisputeCorrected, opencredit.DisputeDeleted, opencredit.DisputeSuppressed:
	default:
		return nil, opencredit.Errorf(opencredit.EINVALID, "status %q is not one of open, verified, corrected, deleted, suppressed", status)
	}
	if _, err := s.lapse(ctx, ""); err != nil {
		return nil, err
	}
	ds, err := s.store.Disputes(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := s.recordEach(ctx, by, ActionDisputesRead, disputeSubjects(ds)); err != nil {
		return nil, err
	}
	return ds, nil
}

// Resolution is a furnisher's (or an operator's) answer to a dispute.
type Resolution struct {
	Outcome string // verified, corrected or deleted (dispute.Outcomes)
	Note    string
	// Corrected is the corrected content for outcome corrected: its Data,
	// and its Time when not zero.
	Corrected *opencredit.Event
}

// ResolveDispute resolves a dispute for the furnisher of its event, or an
// operator. To a furnisher, another furnisher's dispute and an unknown one
// give the same ENOTFOUND, so a furnisher learns nothing of files it does
// not furnish. A lapsed dispute is suppressed first, so that the person's
// history shows the suppression before a late answer reinstates the event.
func (s *Service) ResolveDispute(ctx context.Context, by Caller, id string, r Resolution) (opencredit.Dispute, error) {
	if by.Client.Role != opencredit.RoleFurnisher && by.Client.Role != opencredit.RoleOperator {
		return opencredit.Dispute{}, opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client may not resolve disputes", by.Client.Role)
	}
	if err := dispute.CheckOutcome(r.Outcome); err != nil {
		return opencredit.Dispute{}, err
	}
	d, err := s.store.Dispute(ctx, id)
	notFound := opencredit.Errorf(opencredit.ENOTFOUND, "no dispute %s in this client's queue", id)
	if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
		return opencredit.Dispute{}, notFound
	}
	if err == nil && by.Client.Role == opencredit.RoleFurnisher && d.Source != by.Client.ID {
		// The person's access history shows the other furnisher tried;
		// the furnisher sees what an unknown id gets.
		return opencredit.Dispute{}, s.refused(ctx, by, PurposeOperations, d.Subject, "dispute_"+r.Outcome, notFound)
	}
	if err != nil {
		return opencredit.Dispute{}, err
	}
	if _, err := s.lapse(ctx, d.Subject); err != nil {
		return opencredit.Dispute{}, err
	}
	out, err := s.store.ResolveDispute(ctx, opencredit.DisputeResolution{ID: id, Status: r.Outcome, Note: r.Note,
		Resolver: by.Client.ID, At: s.now().UTC(), Corrected: r.Corrected})
	if err != nil {
		return opencredit.Dispute{}, s.refused(ctx, by, PurposeOperations, d.Subject, "dispute_"+r.Outcome, err)
	}
	if err := s.Record(ctx, by, PurposeOperations, d.Subject, "dispute_"+r.Outcome, audit.Result{Items: 1}); err != nil {
		return opencredit.Dispute{}, err
	}
	return out, nil
}

// SuppressLapsed suppresses every open dispute past dispute.Deadline and
// returns how many it suppressed: the periodic sweep of serve. Scores do the
// same for their subject before reading features (openDisputes), so a score never
// counts a lapsed event even between sweeps.
func (s *Service) SuppressLapsed(ctx context.Context) (int, error) {
	return s.lapse(ctx, "")
}

// lapse suppresses the subject's lapsed disputes (everyone's when subject
// is empty): LapseDisputes on the service's store, log and clock.
func (s *Service) lapse(ctx context.Context, subject string) (int, error) {
	return LapseDisputes(ctx, s.store, s.log, subject, s.now().UTC())
}

// LapseDisputes suppresses the open disputes of subject (of everyone when
// empty) that are past dispute.Deadline at now, each with an audit record
// by the platform (client opencredit.PlatformSource, role RolePlatform),
// and returns how many it suppressed. A dispute resolved meanwhile is left
// as its resolver left it. The service runs it before every score; the CLI
// before it lists or resolves.
func LapseDisputes(ctx context.Context, st opencredit.DisputeStore, log Log, subject string, now time.Time) (int, error) {
	// Lapsed means opened at or before now - Deadline.
	ds, err := st.Disputes(ctx, opencredit.DisputeFilter{Subject: subject, Status: opencredit.DisputeOpen,
		OpenedBefore: now.Add(-dispute.Deadline).Add(time.Nanosecond)})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range ds {
		if !dispute.Lapsed(d, now) {
			continue
		}
		_, err := st.ResolveDispute(ctx, opencredit.DisputeResolution{ID: d.ID, Status: opencredit.DisputeSuppressed,
			Note: lapseNote, Resolver: opencredit.PlatformSource, At: now})
		if opencredit.ErrorCode(err) == opencredit.ECONFLICT {
			continue
		}
		if err != nil {
			return n, err
		}
		if _, err := log.Append(ctx, audit.Record{Time: now, Client: opencredit.PlatformSource, Role: RolePlatform,
			Purpose: PurposeOperations, Subject: d.Subject, Action: ActionDisputeSuppressed, Result: audit.Result{Items: 1}}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// openDisputes suppresses the subject's lapsed disputes and counts the
// ones still open: what a score says of the disputes it is affected by. It
// reads the subject's open disputes once and writes only when one lapsed,
// as the common score has nothing to write.
func (s *Service) openDisputes(ctx context.Context, subject string) (int, error) {
	now := s.now().UTC()
	ds, err := s.store.Disputes(ctx, opencredit.DisputeFilter{Subject: subject, Status: opencredit.DisputeOpen})
	if err != nil {
		return 0, err
	}
	open, lapsed := 0, false
	for _, d := range ds {
		if dispute.Lapsed(d, now) {
			lapsed = true
		} else {
			open++
		}
	}
	if lapsed {
		if _, err := LapseDisputes(ctx, s.store, s.log, subject, now); err != nil {
			return 0, err
		}
	}
	return open, nil
}

func disputeSubjects(ds []opencredit.Dispute) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Subject
	}
	return out
}

// recordEach appends, in one call, the records AccessRecords makes.
func (s *Service) recordEach(ctx context.Context, by Caller, action string, subjects []string) error {
	_, err := s.log.Append(ctx, AccessRecords(s.now(), by, action, subjects)...)
	return err
}

// AccessRecords returns the audit records of a read that listed items
// about subjects (one entry per item): one record per distinct subject,
// in order, with the number of its items, or a single record naming no
// subject when the list is empty. A queue read is an access to each person
// it shows.
func AccessRecords(now time.Time, by Caller, action string, subjects []string) []audit.Record {
	count := map[string]int{}
	var order []string
	for _, sub := range subjects {
		if count[sub] == 0 {
			order = append(order, sub)
		}
		count[sub]++
	}
	rec := audit.Record{Time: now, Client: by.Client.ID, Role: by.Client.Role, Purpose: PurposeOperations,
		Action: action, RequestID: by.RequestID}
	if len(order) == 0 {
		return []audit.Record{rec}
	}
	recs := make([]audit.Record, len(order))
	for i, sub := range order {
		recs[i] = rec
		recs[i].Subject, recs[i].Result = sub, audit.Result{Items: count[sub]}
	}
	return recs
}
