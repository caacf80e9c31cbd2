// Package rights is the scored person's side of the file, as one use case
// every caller shares (the HTTP API, the CLI, the person's pages): the
// access history read from the audit log (FCRA §609(a)(3); GDPR Art. 15),
// consents granted and withdrawn, the security freeze (FCRA §605A), the
// export of everything held (GDPR Art. 20), erasure (GDPR Art. 17) and the
// registration of a person with their subject key.
//
// Who may act: the person's own subject client, for their own file only,
// and an operator, for any file. Every call, allowed or refused, leaves an
// audit record under the subject's id before it answers, so the access
// history lists the reading of the access history too (from the next read
// on: a read does not list itself).
//
// The rules it applies:
//   - Withdrawal of a consent takes effect at once: the store ends the
//     consent at the call's time, and the next pull is refused.
//   - A freeze blocks every lender purpose but account_review
//     (opencredit.Freeze: existing creditors are exempt, FCRA
//     §605A(i)(4)(A)); scoring.Authorize enforces it.
//   - Erasure deletes the PII, the events, the live features and the
//     person's disputes and reviews, whose comments are their words
//     (opencredit.Store.DeleteSubject), and withdraws every consent. The legal
//     hold keeps, keyed by the pseudonymous subject id only: the tombstone
//     (the id is never reused), the consent and freeze history (who was
//     allowed what, when), the erasure's own record, and the audit log,
//     which must stay whole for its Merkle tree to verify and holds no PII
//     (audit.Record). After erasure a lender's pull is refused (its consent
//     is withdrawn) and the person's own pull is not_found, "erased".
//   - The export holds the PII, decrypted, only for the person's own
//     client; an operator's export leaves it out.
package rights
