package opencredit

import "time"

// Subject is a scored person, known by a pseudonymous id. Their PII is held
// apart, encrypted.
type Subject struct {
	ID        string     `json:"id"`
	CreatedAt time.Time  `json:"created_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"` // set when erased: a tombstone
}

// PII is what identifies a person. It is encrypted at rest (AES-GCM) and a
// national id is looked up only through a keyed hash (HMAC-SHA-256).
type PII struct {
	Name        string `json:"name,omitempty"`
	NationalID  string `json:"national_id,omitempty"`
	DateOfBirth Date   `json:"date_of_birth,omitempty"`
}

// Purposes a counterparty may hold a subject's consent for. Furnishing lets a
// furnisher send events about the subject; the others are the permissible
// purposes for which a score may be pulled.
const (
	PurposeFurnishing          = "furnishing"
	PurposeCreditApplication   = "credit_application"
	PurposeAccountReview       = "account_review"
	PurposeRentalDepositWaiver = "rental_deposit_waiver"
	PurposeSubjectSelfAccess   = "subject_self_access"
)

// Consent is a subject's permission for one counterparty and one purpose.
// It counts from GrantedAt until WithdrawnAt, if set.
type Consent struct {
	Subject      string     `json:"subject"`
	Counterparty string     `json:"counterparty"`
	Purpose      string     `json:"purpose"`
	GrantedAt    time.Time  `json:"granted_at"`
	WithdrawnAt  *time.Time `json:"withdrawn_at,omitempty"`
}

// Active reports whether the consent holds at t.
func (c Consent) Active(t time.Time) bool {
	return !t.Before(c.GrantedAt) && (c.WithdrawnAt == nil || t.Before(*c.WithdrawnAt))
}
