package opencredit

import (
	"context"
	"time"
)

// Ingestion outcomes of one event.
const (
	Accepted  = "accepted"
	Duplicate = "duplicate" // the same (source, id) and content was accepted before: nothing changed
	Rejected  = "rejected"
)

// Reasons an event is rejected, stable for reports and clients.
const (
	ReasonInvalid        = "invalid"         // envelope or data fails validation
	ReasonUnknownType    = "unknown_type"    // type is not one of EventTypes
	ReasonFutureTime     = "future_time"     // time is after the moment of ingestion
	ReasonTooLarge       = "too_large"       // the encoded event exceeds MaxEventBytes
	ReasonUnknownSubject = "unknown_subject" // no such subject, or erased
	ReasonNoConsent      = "no_consent"      // the subject gave the source no furnishing consent
	ReasonConflict       = "conflict"        // the same (source, id) was accepted before with other content
)

// MaxEventBytes bounds one encoded event.
const MaxEventBytes = 1 << 20

// IngestResult is the outcome of one event of a batch, in batch order.
type IngestResult struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // a Reason constant, when rejected
	Detail string `json:"detail,omitempty"` // what exactly was wrong: field path and why
}

// StoredEvent is an accepted event as the store holds it.
type StoredEvent struct {
	Event
	ReceivedAt time.Time `json:"received_at"`
	Suppressed bool      `json:"suppressed"` // disputed and suppressed from features
	Disputed   bool      `json:"disputed"`   // a dispute of it is open (DisputeOpen)
}

// FeatureVector holds a subject's features as of a time. A feature with no
// data (no payments due, no income verified) is absent from Values.
type FeatureVector struct {
	Subject string             `json:"subject"`
	AsOf    time.Time          `json:"as_of"`
	Values  map[string]float64 `json:"values"`
}

// Store keeps subjects, consents, events and live features. Implementations:
// sqlite (embedded default) and postgres. One conformance suite
// (storetest.Run) runs against both.
type Store interface {
	// CreateSubject registers a person; their PII is encrypted at rest.
	CreateSubject(ctx context.Context, id string, pii PII, at time.Time) error
	// Subject returns a subject, ENOTFOUND if unknown.
	Subject(ctx context.Context, id string) (Subject, error)
	// SubjectPII decrypts a subject's PII.
	SubjectPII(ctx context.Context, id string) (PII, error)
	// SubjectByNationalID finds a subject through the keyed hash of a national id.
	SubjectByNationalID(ctx context.Context, nationalID string) (string, error)
	// DeleteSubject erases a subject's PII, events and features, leaving a tombstone.
	DeleteSubject(ctx context.Context, id string, at time.Time) error
	// Subjects calls fn for every subject that is not erased, in id order.
	Subjects(ctx context.Context, fn func(Subject) error) error

	// GrantConsent records a consent; WithdrawConsent ends it at the given time.
	GrantConsent(ctx context.Context, c Consent) error
	WithdrawConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) error
	// Consents lists a subject's consents, withdrawn ones included.
	Consents(ctx context.Context, subject string) ([]Consent, error)
	// HasConsent reports whether the subject's consent to counterparty for purpose holds at t.
	HasConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) (bool, error)

	// FreezeSubject puts a security freeze on a live subject's file from at
	// (Freeze); ECONFLICT if one holds already, ENOTFOUND for an unknown or
	// erased subject. UnfreezeSubject lifts the freeze that holds, at at;
	// ECONFLICT if none does.
	FreezeSubject(ctx context.Context, subject string, at time.Time) error
	UnfreezeSubject(ctx context.Context, subject string, at time.Time) error
	// Freezes lists a subject's freezes, lifted ones included, oldest first;
	// ENOTFOUND for an unknown subject.
	Freezes(ctx context.Context, subject string) ([]Freeze, error)
	// Frozen reports whether a freeze holds on the subject's file at t.
	Frozen(ctx context.Context, subject string, at time.Time) (bool, error)

	// Ingest validates and stores a batch in one transaction, updating the
	// features of every subject it touches in that transaction. Each event
	// gets a result; an error means nothing of the batch was stored.
	Ingest(ctx context.Context, batch []Event) ([]IngestResult, error)
	// Events lists a subject's stored events in time order, suppressed ones included.
	Events(ctx context.Context, subject string) ([]StoredEvent, error)
	// SuppressEvent removes a disputed event from features; RestoreEvent puts it back.
	SuppressEvent(ctx context.Context, source, id string) error
	RestoreEvent(ctx context.Context, source, id string) error

	// Features returns a subject's live features as of asOf, from the state
	// kept up to date by Ingest.
	Features(ctx context.Context, subject string, asOf time.Time) (FeatureVector, error)
	// RecomputeFeatures computes the same from the subject's stored,
	// unsuppressed events alone; it must always equal Features.
	RecomputeFeatures(ctx context.Context, subject string, asOf time.Time) (FeatureVector, error)

	// CreateClient registers an API client under the hash of its key
	// (HashAPIKey); the key itself is never given to the store. ECONFLICT if
	// the id, or the key hash, is taken.
	CreateClient(ctx context.Context, c Client, keyHash []byte) error
	// ClientByKey finds the client holding the key with this hash. An
	// unknown and a revoked key give the same ENOTFOUND, so a caller
	// cannot learn that a key once worked.
	ClientByKey(ctx context.Context, keyHash []byte) (Client, error)
	// RevokeClient stops the client's key working at once and records at as
	// the revocation time; ENOTFOUND if there is no such client. Revoking a
	// revoked client changes nothing.
	RevokeClient(ctx context.Context, id string, at time.Time) error
	// Clients lists every client, revoked ones included, in id order.
	Clients(ctx context.Context) ([]Client, error)

	DisputeStore
	ReviewStore

	Close() error
}

// Registrar is implemented by stores that register many subjects, without
// PII, and their consents in one transaction: furnisher onboarding files,
// generated populations and benchmarks. Subjects and consents that exist
// already are left as they are.
type Registrar interface {
	Register(ctx context.Context, subjects []string, at time.Time, consents []Consent) error
}

// PlatformSource is the source of the events OpenCredit records itself: the
// hard inquiry a credit_application pull leaves on the subject's file (FCRA
// §604(a)(3)(A), §609(f)(9)). The subject's consent to the lender for that
// purpose authorises it, so the ingestion core does not ask for a furnishing
// consent; no client and no imported file may use this source.
const PlatformSource = "opencredit"
