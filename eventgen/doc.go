// Package eventgen makes valid random events about made-up people, for tests,
// benchmarks and the generate command: a plain process, unlike the latent
// model of package simulate.
//
// Generator makes valid random events for tests, benchmarks and demos,
// deterministic for a seed: the same GenConfig always gives the same bytes.
// Each subject draws, from its own random stream (so it does not depend on
// how many subjects there are): a risk (a monthly chance of missing a
// payment: 0.4–2.4 % for 70 %, 3–10 % for 22 %, 10–30 % for 8 %), an income,
// and relationships with furnishers. Furnisher f plays role f mod 9 — bank,
// buy-now-pay-later, utility, telecom, landlord, rental service, verifier,
// collection agency, court registry — and with fewer than 9 furnishers some
// play several. 15 % of subjects have a thin file: no credit, only bills and
// rentals. Every month:
//
//   - accounts opened in the first month (cards, lines, loans, mortgages,
//     BNPL plans, with limits or principals), and later ones after an
//     inquiry (3.5 % a month; at most 6 open accounts);
//   - for each account open a month or more: a statement (balance, limit,
//     minimum due, days past due), then a payment on time, 1–3 days late
//     (6 %), or missed; a missed payment is reported 30, 60, 90, … days past
//     due each month until it is paid; from 120 days an account may be
//     charged off (always at 180), and then usually passed to collection one
//     or two months later; loans close when paid off, and some accounts are
//     closed by the consumer, the lender, or transferred;
//   - utility, telecom and rent bills, paid, late (5 %) or missed in the same
//     way, with collections after long arrears;
//   - now and then: a rental (6 %, thin files 12 %), returned on time, late,
//     or overdue; a declined application or an account review (inquiries);
//     an income verification; an identity verification (level 1–3, and
//     upgrades); rarely a judgment or a bankruptcy.
//
// Events are made a month at a time for all subjects and sorted by time, so
// Next returns them in non-decreasing time order while memory holds one
// month of events and the subjects' states (closed accounts are dropped),
// not the whole history. Every event falls in [Start, End()) and has an id
// "e1", "e2", … unique per source. Consents lists the furnishing consents
// the events need, granted at Start, one per subject and furnisher the
// subject deals with; it includes the collection agency and court registry
// assigned to every subject, which only send events for some.
package eventgen
