package features

import (
	"time"

	"github.com/opencredit/opencredit"
)

// AdverseDays is the delay that makes a late credit payment an adverse
// outcome: 90 days past due, the Basel definition of default (CRR Art. 178).
const AdverseDays = 90

// Adverse reports whether events show, within (from, to], the outcome a
// training label means: a credit account 90 or more days past due (an
// account.statement's days_past_due or a payment.missed's), an account
// charged off, a collection opened or a bankruptcy filed. A court judgment
// that is not a bankruptcy is not an adverse outcome. Events outside the
// window are not decoded; one inside it that does not decode is an error,
// whatever the other events show.
func Adverse(events []opencredit.Event, from, to time.Time) (bool, error) {
	adverse := false
	for _, e := range events {
		if !e.Time.After(from) || e.Time.After(to) {
			continue
		}
		switch e.Type {
		case opencredit.TypeAccountChargedOff:
			if _, err := payloadOf[opencredit.AccountChargedOff](e, nil); err != nil {
				return false, err
			}
			adverse = true
		case opencredit.TypeCollectionOpened:
			if _, err := payloadOf[opencredit.CollectionOpened](e, nil); err != nil {
				return false, err
			}
			adverse = true
		case opencredit.TypeAccountStatement:
			p, err := payloadOf[opencredit.AccountStatement](e, nil)
			if err != nil {
				return false, err
			}
			if p.DaysPastDue >= AdverseDays {
				adverse = true
			}
		case opencredit.TypePaymentMissed:
			p, err := payloadOf[opencredit.PaymentMissed](e, nil)
			if err != nil {
				return false, err
			}
			if p.DaysPastDue >= AdverseDays {
				adverse = true
			}
		case opencredit.TypeJudgmentFiled:
			p, err := payloadOf[opencredit.JudgmentFiled](e, nil)
			if err != nil {
				return false, err
			}
			if p.Kind == "bankruptcy" {
				adverse = true
			}
		}
	}
	return adverse, nil
}
