// Package dispute holds the rules of disputes (FCRA §611), in one place and
// with no I/O: what a person may dispute, how a furnisher resolves a
// dispute and what each outcome does to the event, and the deadline after
// which an unanswered dispute is suppressed from scoring.
//
// The life of a dispute:
//
//	open ──verified──▶ the event is scored as it was
//	     ──corrected─▶ the furnisher's corrected content replaces the event's
//	     ──deleted───▶ the event is suppressed for good
//	     ──Deadline──▶ suppressed: the event stops counting, unanswered
//	suppressed ──verified / corrected──▶ reinstated (§611(a)(5)(B)), the person sees it
//	           ──deleted──────────────▶ suppressed for good
//
// A correction keeps the event's (source, id): ingestion rejects a stored id
// sent with other content as a conflict, so a furnisher cannot correct an
// event by sending it again, only by resolving its dispute (after which the
// corrected content sent again is a duplicate, the old one a conflict). The store replaces the content in
// the same transaction as it resolves the dispute and rebuilds the
// subject's features from the unsuppressed events, so features always equal
// a recomputation (storetest checks it on both stores); the old content is
// kept in the dispute (Dispute.Original).
//
// The rules run in the stores (Resolve, inside the transaction that
// applies its Change) and in package scoring, the use case that
// authorizes, audits, and suppresses lapsed disputes lazily before a score
// and in serve's periodic sweep.
package dispute
