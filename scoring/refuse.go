package scoring

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// refused records that the caller was refused action on subject's file for
// purpose, with the refusal's code (audit.Result.Error), and returns err,
// the refusal, once the record is written. A log that cannot record it
// fails the request with its own error: nothing, not even a refusal, is
// answered unrecorded.
//
// Two errors are not refusals and are returned as they are: an internal
// error (a failure of ours, for the server's log) and a subject id that is
// not an id at all (empty, overlong or non-printable, which names no one's
// file and could not be recorded as given).
func (s *Service) refused(ctx context.Context, by Caller, purpose, subject, action string, err error) error {
	code := opencredit.ErrorCode(err)
	if code == opencredit.EINTERNAL {
		return err
	}
	if idErr := opencredit.CheckID("subject id", subject); idErr != nil {
		return idErr
	}
	if opencredit.CheckID("purpose", purpose) != nil {
		purpose = "" // Authorize refused it as invalid; the code says so
	}
	if rerr := s.Record(ctx, by, purpose, subject, action, audit.Result{Error: code}); rerr != nil {
		return rerr
	}
	return err
}
