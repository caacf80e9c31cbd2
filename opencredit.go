// Package opencredit is the domain of the OpenCredit credit-scoring platform:
// events and their payloads, subjects and their PII, consents and the one list
// of purposes, API clients and their keys, the five dimensions, score bands,
// the Store interface, the Error type with the codes every layer uses, and
// the tool's Version. It imports no driver, no HTTP and no numerics. The
// README's "Where things are" names the package of everything else.
package opencredit

import (
	"errors"
	"fmt"
)

// Error codes. Each code maps to one CLI exit status and, later, one HTTP status.
const (
	EINVALID   = "invalid"   // bad input: a file, a flag, a field
	EREFUSED   = "refused"   // a line we do not cross (protected trait, refused purpose)
	ENOTFOUND  = "not_found" // a named thing does not exist
	EINTERNAL  = "internal"  // a bug or an environment failure
	ECONFLICT  = "conflict"  // the request conflicts with the current state
	EFORBIDDEN = "forbidden" // the caller may not do this
	EFROZEN    = "frozen"    // the person froze their file (FCRA §605A): no new credit pull
	// EUNAVAILABLE: a service the operation needs (the database) does not
	// answer now; the same request may succeed later.
	EUNAVAILABLE = "unavailable"
)

// Error is the one error type that carries a code across layers. Message is
// written for the person who ran the command or sent the request.
type Error struct {
	Code    string
	Message string
	Err     error // optional wrapped cause, for operators
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
