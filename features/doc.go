// Package features computes a person's credit features from that person's own
// events only — never from another person's data — and keeps them up to date
// incrementally as events arrive, in any order.
//
// A State holds one subject's history reduced to what the features need:
// the dated counting facts (payments, bills, rentals, hard inquiries and
// negative items, each with its time and delay), per account its opening
// (product, limit), its closing and its statements (balance, limit, days past
// due), the verified incomes, the earliest time each identity level was
// verified, and the time of the first event. Apply folds one event in;
// Compute reads the features as of any time; MarshalBinary and
// UnmarshalBinary store the state between ingestion batches in a compact,
// versioned binary form (encoding.go).
//
// # Order independence
//
// Apply is commutative and associative: every collection in the state is
// kept in a canonical order that depends only on the set of events, and
// every "latest" or "earliest" is chosen by a total order on the facts — time
// first, then the event id, then the remaining fields. So late and
// out-of-order events need no special handling, and Recompute (all events
// from scratch) equals the incrementally kept state.
//
// # Point in time
//
// Compute(asOf) counts only events with time ≤ asOf, even when the state
// holds later ones: a training set built as of an observation date sees
// nothing of the performance period. That is why the state keeps each fact's
// exact time rather than only monthly sums: a monthly bucket is the run of
// facts whose time falls in that month, and the asOf month is cut at asOf.
//
// # Windows
//
// "The last n months" as of asOf are asOf's calendar month and the n−1
// before it, in UTC, by the month of each event's time: as of 2026-03-15 the
// last 12 months are April 2025 to March 2026 (up to asOf). "Months since"
// features count whole calendar months between the two months: 0 in the same
// month, 1 in the next.
//
// # Ageing of negative items (FCRA §605)
//
// A consumer report may not contain accounts placed for collection or
// charged off, civil judgments, or any other adverse item that antedates the
// report by more than seven years, nor bankruptcies that antedate it by more
// than ten years (Fair Credit Reporting Act §605(a)(1), (2), (4), (5);
// 15 U.S.C. §1681c(a)). Compute follows it with Config: a charge-off,
// collection or judgment counts while its time is no earlier than asOf minus
// NegativeYears (7), a bankruptcy while no earlier than asOf minus
// BankruptcyYears (10), and a delay of 30 days or more (an adverse item under
// §605(a)(5)) only while within NegativeYears. The event's time stands for
// the date §605(c) starts the period from.
//
// # Features
//
// Registry lists them with their dimension and unit. Counts, total_balance
// and identity_level are always present (0 when there is nothing to count);
// a ratio is absent when its denominator is 0, and a "months since" or
// "worst" feature is absent when there is nothing to measure. Amounts are
// summed as sent: the features assume one currency per person.
//
// payment_history
//
//	on_time_payment_ratio_24m  payment.made with days_late 0, over payment.made + payment.missed, last 24 months
//	worst_days_past_due_24m    max of statement days_past_due, payment.made days_late, payment.missed days_past_due, last 24 months
//	months_since_30dpd         months from the latest month holding a delay ≥ 30 days (same three sources), within NegativeYears
//	missed_payments_12m        payment.missed, last 12 months
//	defaults_7y                charge-offs + collections + judgments within NegativeYears, + bankruptcies within BankruptcyYears
//
// capacity — an account is open when its account.opened is ≤ asOf and no
// account.closed is; its balance is that of its latest statement by (time,
// event id) up to asOf, 0 without one; a revolving account's (card, line)
// limit is that of its latest statement carrying one, else its opening limit.
//
//	revolving_utilisation  Σ balance / Σ limit over open revolving accounts with a known limit
//	total_balance          Σ balance over open accounts
//	debt_to_income         total_balance / (12 × monthly income of the latest income.verified by (time, event id))
//	open_accounts          number of open accounts
//
// history_stability
//
//	oldest_account_months  months from the earliest account opening (closed accounts included)
//	months_on_file         months from the first event of any kind
//	identity_level         highest identity.verified level, 0 when none
//
// new_credit
//
//	hard_inquiries_6m, hard_inquiries_12m  inquiry.made with kind hard
//	accounts_opened_12m                    account.opened, closed accounts included
//
// everyday_obligations
//
//	bills_on_time_ratio_12m    bill.paid with days_late 0, over bill.paid + bill.missed
//	rent_on_time_ratio_12m     the same for bill_type rent
//	rentals_on_time_ratio_12m  rental.returned with days_late 0, over rental.returned + rental.overdue
//	bills_12m                  bill.paid + bill.missed
//
// Accounts are keyed by the furnisher (the event's source) and its
// account_id, since two furnishers may use the same account id.
//
// # Training labels
//
// Adverse reports the outcome a training label means — 90 or more days past
// due on a credit account, a charge-off, a collection or a bankruptcy —
// within a performance window (from, to].
package features
