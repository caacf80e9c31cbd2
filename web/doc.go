// Package web serves the server-rendered pages of OpenCredit: the scored
// person's (sign-in, my score with its what-if, my data, disputes, review
// requests, who asked, consents, freeze, export) and the operators' (the
// dispute and human-review queues, the model registry and its cards, the
// audit log, the programs). One sign-in page takes a subject's or an
// operator's key; the session keeps the role, and each page admits only
// its own. Every read and action goes through the use cases the API uses
// (scoring, rights), which check the caller and write the audit log.
// Templates and the stylesheet are embedded; there is no JavaScript.
package web
