// Package eventjson reads and checks the events data furnishers send in the
// CloudEvents JSON format, and publishes their JSON Schemas.
//
// Decode reads one encoded event in a single pass (a strict JSON reader of
// its own; see json.go for why not encoding/json), Validate checks an
// envelope that was parsed elsewhere (an HTTP batch), and Payload decodes
// the data of an event accepted before. All three apply the same rules and
// return the payload as a pointer to the root package's struct of the
// event's type, such as *opencredit.PaymentMissed. Everything Decode accepts
// encoding/json reads the same way, so other packages may decode stored
// events with it; FuzzDecode checks that.
//
// # Envelope
//
// An event is a JSON object in the CloudEvents 1.0 JSON format, at most
// opencredit.MaxEventBytes (1 MiB) long, checked before anything else
// (too_large):
//
//	attribute        rule
//	specversion      required, "1.0"
//	id               required, 1–256 bytes of printable UTF-8 (no control,
//	                 format or non-ASCII space characters); unique per source
//	source           required, as id: the furnisher's id
//	type             required, one of the 15 types below (else unknown_type)
//	subject          required, as id: the person's pseudonymous id
//	time             required, RFC 3339 as time.Time reads it ("2026-03-31T09:30:00Z"),
//	                 an offset under 24 hours, not before 1970; more than
//	                 ClockSkew (5 minutes) after the moment of ingestion is future_time
//	datacontenttype  optional, "application/json"
//	data             required, a JSON object: the type's payload
//
// Any other member is a CloudEvents extension attribute: its name must be
// lower-case letters a–z and digits (so "ID" or "trace-id" is refused, and
// data_base64 too: data is always JSON), its value a string, number,
// boolean or null; it is then ignored.
//
// # Payloads
//
// The data object is read strictly: every field of the type's struct that
// is not omitempty is required, no other field is allowed, names match
// exactly (case-sensitive), a field's JSON type must be the one below
// (null is never accepted, not even for an optional field), and no name may
// appear twice, in the data or the envelope.
//
//	rule        meaning
//	id          a string, 1–128 bytes of printable UTF-8
//	text        a string, 1–256 bytes of UTF-8 without control or format characters
//	currency    a string, three upper-case letters (ISO 4217, such as "EUR")
//	date        a string "YYYY-MM-DD", a calendar date
//	timestamp   a string, RFC 3339, as the envelope's time (without its bounds)
//	amount      a number, 0 ≤ x ≤ 1e12 (positive: 0 < x ≤ 1e12)
//	days        an integer written with digits only (30, not 30.0 or 3e1), 0–10000
//	            (missed: 1–10000)
//
//	type                                field              rule
//	org.opencredit.account.opened       account_id         id
//	                                    product            card, line, loan, bnpl or mortgage
//	                                    credit_limit       positive; required for card and line
//	                                    principal          positive; required for loan, bnpl and mortgage
//	                                    currency           currency
//	org.opencredit.account.statement    account_id         id
//	                                    balance            amount
//	                                    credit_limit       amount, optional
//	                                    minimum_due        amount, optional
//	                                    days_past_due      days
//	                                    currency           currency
//	org.opencredit.account.closed       account_id         id
//	                                    reason             paid_off, by_consumer, by_lender or transferred
//	org.opencredit.account.charged_off  account_id         id
//	                                    amount             positive
//	                                    currency           currency
//	org.opencredit.payment.made         account_id         id
//	                                    due_date           date
//	                                    amount             positive
//	                                    amount_due         amount
//	                                    days_late          days
//	                                    currency           currency
//	org.opencredit.payment.missed       account_id         id
//	                                    due_date           date
//	                                    amount_due         positive
//	                                    days_past_due      days, missed
//	                                    currency           currency
//	org.opencredit.bill.paid            bill_type          utility, telecom or rent
//	                                    account_id         id
//	                                    due_date           date
//	                                    amount             amount
//	                                    days_late          days
//	                                    currency           currency
//	org.opencredit.bill.missed          bill_type          utility, telecom or rent
//	                                    account_id         id
//	                                    due_date           date
//	                                    amount             amount
//	                                    days_past_due      days, missed
//	                                    currency           currency
//	org.opencredit.rental.returned      rental_id          id
//	                                    item               text
//	                                    due_at             timestamp
//	                                    days_late          days
//	org.opencredit.rental.overdue       rental_id          id
//	                                    item               text
//	                                    due_at             timestamp
//	                                    days_overdue       days, missed
//	org.opencredit.inquiry.made         kind               hard or soft
//	                                    purpose            credit_application, account_review,
//	                                                       rental_deposit_waiver or subject_self_access
//	org.opencredit.income.verified      monthly_income     amount
//	                                    currency           currency
//	                                    method             payslip, bank_statement, tax_return or employer
//	org.opencredit.identity.verified    level              an integer, 1–3
//	                                    method             text
//	org.opencredit.collection.opened    collection_id      id
//	                                    amount             positive
//	                                    currency           currency
//	                                    original_creditor  text, optional
//	org.opencredit.judgment.filed       case_id            id
//	                                    kind               judgment or bankruptcy
//	                                    amount             amount, optional
//
// # Problems
//
// A refused event gets one *Problem: a reason (opencredit.ReasonInvalid,
// ReasonUnknownType, ReasonFutureTime, ReasonTooLarge), the JSON path of the
// attribute or field at fault ("data.days_past_due", "time"; "" for the
// whole event; a name that is not a plain identifier is bracketed, as in
// data["a b"]) and a message. Malformed JSON is invalid with its byte
// offset in the message. When an event has several problems the one
// reported is the first of: too large, malformed JSON, a name given twice,
// the envelope (attributes in the order above, then extensions), an
// unknown type, the data (in the order of the document, then missing
// fields), the clock. So future_time only ever means "valid, but early".
//
// # Schemas
//
// schema/ holds a JSON Schema (draft 2020-12) per type's data, named after
// the type without "org.opencredit." (payment.missed.json), and
// envelope.json, which refers to them by file name. Schema, EnvelopeSchema,
// Schemas and SchemaFS serve them. They are written from the same rule
// table as the validation (go test ./event/ -run TestSchemaFiles -update),
// and tests compare their properties with the structs' json tags. A schema
// cannot say all Decode checks: duplicate names, invalid UTF-8 and unpaired
// surrogates, format and non-ASCII space characters in ids, sizes in bytes
// (maxLength counts characters), integers written as 30.0, timestamps with
// escapes, and the clock.
package eventjson
