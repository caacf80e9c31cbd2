package opencredit

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Statuses of a dispute (FCRA §611). A dispute opens as DisputeOpen; the
// furnisher of the event resolves it as verified, corrected or deleted; one
// left unresolved past its deadline is suppressed by the platform
// (package dispute holds the rules and the deadline).
const (
	DisputeOpen       = "open"       // flagged; the furnisher is asked to verify; still scored
	DisputeVerified   = "verified"   // the furnisher confirmed the event: it is scored as it was
	DisputeCorrected  = "corrected"  // the furnisher sent corrected content, which replaced the old
	DisputeDeleted    = "deleted"    // the furnisher withdrew the event: suppressed for good
	DisputeSuppressed = "suppressed" // unresolved past the deadline: suppressed from scoring
)

// MaxDisputeTextBytes bounds a dispute's comment and a resolution's note:
// enough for a paragraph, little enough to list a queue.
const MaxDisputeTextBytes = 2000

// Dispute is a person's dispute of one event on their file: who disputes
// (Subject), which event (Source, EventID), why (Comment), and how it ended.
type Dispute struct {
	ID       string    `json:"id"`
	Subject  string    `json:"subject"`
	Source   string    `json:"source"`   // the furnisher of the event
	EventID  string    `json:"event_id"` // the event's id at its source
	Comment  string    `json:"comment"`  // the person's account of what is wrong
	OpenedAt time.Time `json:"opened_at"`
	Status   string    `json:"status"` // one of the Dispute* statuses
	// ResolvedAt, Note and Resolver are set once the dispute leaves open:
	// when, the resolver's note on the outcome, and who resolved it (the
	// client id of the furnisher or operator, or PlatformSource for a
	// suppression at the deadline).
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Note       string     `json:"note,omitempty"`
	Resolver   string     `json:"resolver,omitempty"`
	// Original is, for a corrected dispute, the event's content before
	// the correction, kept so the person and an auditor see what changed.
	Original json.RawMessage `json:"original,omitempty"`
}

// Pending reports whether the furnisher may still resolve the dispute: it
// is open, or it was suppressed at the deadline and the furnisher has not
// answered yet (a late verification reinstates the event, FCRA
// §611(a)(5)(B)).
func (d Dispute) Pending() bool { return d.Status == DisputeOpen || d.Status == DisputeSuppressed }

// DisputeFilter selects disputes; an empty field selects all.
type DisputeFilter struct {
	Subject string
	Source  string // the furnisher of the disputed event
	Status  string
	// OpenedBefore, when not zero, selects disputes opened before it: the
	// ones past a deadline.
	OpenedBefore time.Time
}

// DisputeResolution is how a dispute is resolved. Corrected is the corrected
// content of the event for DisputeCorrected (its data, and its time when
// not zero), nil for every other status; the store replaces the event's
// content with it, keeps the old one in Dispute.Original, and recomputes the
// subject's features.
type DisputeResolution struct {
	ID        string
	Status    string // DisputeVerified, DisputeCorrected, DisputeDeleted or DisputeSuppressed
	Note      string
	Resolver  string
	At        time.Time
	Corrected *Event
}

// DisputeStore keeps disputes. Each change to a dispute and the change it
// makes to its event and to the subject's features happen in one
// transaction, so features always equal a recomputation from the
// unsuppressed events. Both stores implement it; storetest checks them.
type DisputeStore interface {
	// OpenDispute records d, whose status must be DisputeOpen. The event
	// (Source, EventID) must be one of Subject's, not suppressed: else
	// ENOTFOUND. ECONFLICT if the id is taken or the event has a pending
	// dispute already.
	OpenDispute(ctx context.Context, d Dispute) error
	// Dispute returns one dispute, ENOTFOUND if unknown.
	Dispute(ctx context.Context, id string) (Dispute, error)
	// Disputes lists the disputes f selects, oldest first (ties by id).
	Disputes(ctx context.Context, f DisputeFilter) ([]Dispute, error)
	// ResolveDispute resolves a pending dispute and returns it as resolved:
	// verified and corrected put the event back into features (corrected
	// with its new content), deleted and suppressed take it out.
	// ENOTFOUND if unknown, ECONFLICT if it is no longer pending.
	// DisputeSuppressed resolves only an open dispute.
	ResolveDispute(ctx context.Context, r DisputeResolution) (Dispute, error)
}

// Validate checks a dispute's ids, comment, status and time, as a store
// takes it: the messages name the field.
func (d Dispute) Validate() error {
	for _, f := range []struct{ what, id string }{
		{"dispute id", d.ID}, {"dispute subject", d.Subject}, {"dispute source", d.Source}, {"dispute event_id", d.EventID},
	} {
		if err := CheckID(f.what, f.id); err != nil {
			return err
		}
	}
	if err := CheckText("dispute comment", d.Comment, true); err != nil {
		return err
	}
	if err := CheckText("dispute note", d.Note, false); err != nil {
		return err
	}
	switch d.Status {
	case DisputeOpen, DisputeVerified, DisputeCorrected, DisputeDeleted, DisputeSuppressed:
	default:
		return Errorf(EINVALID, "dispute status %q is not one of open, verified, corrected, deleted, suppressed", d.Status)
	}
	return CheckTime("dispute opened_at", d.OpenedAt)
}

// CheckText rejects a free-text field (a comment, a note) that is longer
// than MaxDisputeTextBytes, not UTF-8, or holds a control character other
// than a line break or a tab; and, when required, one that is blank.
func CheckText(what, s string, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "%s is empty", what)
	}
	if len(s) > MaxDisputeTextBytes {
		return Errorf(EINVALID, "%s is %d bytes, more than %d", what, len(s), MaxDisputeTextBytes)
	}
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s is not valid UTF-8", what)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return Errorf(EINVALID, "%s holds the control character %U", what, r)
		}
	}
	return nil
}
