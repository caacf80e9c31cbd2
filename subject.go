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

// purposes is the one list of purposes, in a stable order, with what each
// allows: a score may be pulled for it (the permissible purposes of FCRA
// §604 and the person's own access, §609), and a lender client may be
// permitted it. Furnishing lets a furnisher send events, and is never a
// reason to read a score; subject_self_access is the person's alone.
var purposes = []struct {
	name   string
	score  bool
	lender bool
}{
	{PurposeFurnishing, false, false},
	{PurposeCreditApplication, true, true},
	{PurposeAccountReview, true, true},
	{PurposeRentalDepositWaiver, true, true},
	{PurposeSubjectSelfAccess, true, false},
}

// Purposes lists every purpose a consent may name.
func Purposes() []string { return purposesWhere(func(bool, bool) bool { return true }) }

// ScorePurposes lists the purposes a score may serve; policy.CheckPurpose
// refuses every other.
func ScorePurposes() []string { return purposesWhere(func(score, _ bool) bool { return score }) }

// LenderPurposes lists the purposes a lender client may be permitted, and
// a decision program may serve.
func LenderPurposes() []string { return purposesWhere(func(_, lender bool) bool { return lender }) }

func purposesWhere(keep func(score, lender bool) bool) []string {
	var out []string
	for _, p := range purposes {
		if keep(p.score, p.lender) {
			out = append(out, p.name)
		}
	}
	return out
}

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
