package opencredit

import "time"

// Freeze is a security freeze the person put on their file (FCRA §605A, as
// the states and the 2018 amendment define it): while it holds, no lender
// may pull a score or a decision for a new credit relationship. It holds
// from FrozenAt until LiftedAt, if set. Lifted freezes are kept, so the
// file's freeze history stays.
//
// What a freeze blocks: every lender purpose but account_review. An
// existing creditor reviewing an account it holds is exempt from a
// security freeze (FCRA §605A(i)(4)(A), by reference to §604(a)(3)(F)), so
// a freeze stops credit_application and rental_deposit_waiver pulls,
// which open something new, and not account_review. The person's own
// access (subject_self_access) is never blocked.
type Freeze struct {
	Subject  string     `json:"subject"`
	FrozenAt time.Time  `json:"frozen_at"`
	LiftedAt *time.Time `json:"lifted_at,omitempty"`
}

// Active reports whether the freeze holds at t.
func (f Freeze) Active(t time.Time) bool {
	return !t.Before(f.FrozenAt) && (f.LiftedAt == nil || t.Before(*f.LiftedAt))
}

// FreezeBlocks reports whether a freeze stops a pull for purpose: every
// lender purpose but account_review (see Freeze).
func FreezeBlocks(purpose string) bool {
	return purpose == PurposeCreditApplication || purpose == PurposeRentalDepositWaiver
}
