// Package decision turns a score into a decision on a program — a
// deposit-free rental, a credit line — and a declined person's
// adverse-action notice.
//
// # Programs
//
// A counterparty's programs live in a YAML file (LoadProgramsFile). Each
// program has an id (lower-case letters, digits, '-' and '_'), a name, a
// purpose, a minimum score, and optionally feature conditions and a credit
// limit:
//
//	programs:
//	  - id: bike-deposit-free
//	    name: Deposit-free bike rental
//	    purpose: rental_deposit_waiver
//	    min_score: 600
//
//	  - id: flat-deposit-free
//	    name: Deposit-free flat
//	    purpose: rental_deposit_waiver
//	    min_score: 650
//	    conditions:
//	      - require: worst_days_past_due_24m < 60   # no delay of 60 days or more
//	        if_missing: fail                        # the default; or pass
//	        label: Worst delay in the last 24 months # the default for this feature
//	        reason_code: WORST_DAYS_PAST_DUE_24M    # the default: the feature in capitals
//
//	  - id: credit-line
//	    name: Flexible credit line
//	    purpose: credit_application
//	    min_score: 600
//	    limit:
//	      currency: EUR
//	      cap: 5000
//	      step: 50
//	      minimum: 100
//	      bands:
//	        good:      {amount: 1000, income_multiple: 0.5}
//	        very good: {amount: 2500, income_multiple: 1}
//	        excellent: {income_multiple: 2}
//
// The purpose must be one of policy.PermissiblePurposes other than
// subject_self_access: credit_application, account_review or
// rental_deposit_waiver. A program naming any other purpose — employment,
// public services, travel, education, telecom, insurance, housing
// allocation, immigration, dating, or an unknown word — fails to load with
// policy.CheckPurpose's EREFUSED error: scores serve only permissible credit
// purposes (FCRA §604; EU AI Act Art. 5(1)(c)).
//
// A condition's rule is "feature op value": feature is one of the features
// OpenCredit computes (features.Registry), op one of < <= > >= == !=, value a
// number in the feature's own unit (a ratio as 0.9, not 90 %). A feature the
// subject has no data for is absent from the FeatureVector; the condition
// then fails ("fail closed") and the decline says the data is missing, unless
// it says if_missing: pass.
//
// The credit limit is
//
//	limit = floor_step(min(amount[band], income_multiple[band] × monthly income, cap))
//
// with a term the band's row leaves out dropped, rounded down to a multiple
// of step (to cents without one). A band with no row is offered no line. The
// verified monthly income is the one Decide is given, else the FeatureVector
// value named by income_feature. Without either, a row that uses income
// declines, saying so, unless without_income: band_amount grants the band's
// amount. A line below minimum declines, saying the income is too low.
//
// Every key is checked: an unknown or repeated key, a value of the wrong
// type or an unknown feature is an error naming the line, the program and
// the field, and then no program of the file is loaded. YAML aliases are
// refused. Whether the bands a limit names exist, and whether min_score lies
// in the score's range, depends on the model: Program.CheckScale checks it.
//
// # Decisions and reasons
//
// Decide checks the minimum score, then the conditions, then the limit. A
// decline carries at most four principal reasons (ECOA Reg. B, 12 CFR
// 1002.9(b)(2)), specific and drawn from the factors actually scored: the
// score's own reasons (model.Result.Reasons, the features on which the most
// points were lost) when the score is below the minimum, and each failed
// condition stated with the person's value and the requirement. A decline
// never says only that the score was too low.
//
// # Notices
//
// NewNotice writes the adverse-action notice of a decline (FCRA §615(a);
// ECOA, 12 CFR 1002.9): the decision and its principal reasons, the score
// used with its range and key factors (FCRA §609(f)), the right to a free
// copy of the file within 60 days (FCRA §§ 609, 612) and to dispute its
// accuracy or completeness (§611), who decided, the ECOA anti-discrimination
// statement, the right to human review (GDPR Art. 22(3)), and the contacts
// of the furnishers whose data was used. Notice.JSON and Notice.HTML render
// it; the HTML page is self-contained and prints on its own.
package decision
