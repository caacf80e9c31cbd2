package scoring

import (
	"context"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// ActionAccessProof is the audit action of a person fetching the proof
// that an access to their file is in the log.
const ActionAccessProof = "access_proof"

// Prover is a Log that proves its records: *audit.Log.
type Prover interface {
	WitnessedProof(ctx context.Context, index int64) (audit.Proof, error)
}

// AccessProof returns, to the subject's own client, the proof that audit
// record index, an access to their file, is in the log: against the
// latest witnessed checkpoint that holds it (audit.Log.WitnessedProof), so
// the person can check it offline. A record about anyone else is refused
// as if it did not exist (ENOTFOUND), so that the route tells no one
// whose records are where. The fetch is itself recorded.
func (s *Service) AccessProof(ctx context.Context, by Caller, subject string, index int64) (audit.Proof, error) {
	if err := OwnSubject(by.Client, subject); err != nil {
		return audit.Proof{}, err
	}
	prover, ok := s.log.(Prover)
	if !ok {
		return audit.Proof{}, opencredit.Errorf(opencredit.ENOTFOUND, "this server's audit log gives no proofs")
	}
	p, err := prover.WitnessedProof(ctx, index)
	if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
		return audit.Proof{}, opencredit.Errorf(opencredit.ENOTFOUND, "no access record %d about subject %s under a checkpoint yet", index, subject)
	}
	if err != nil {
		return audit.Proof{}, err
	}
	r, err := audit.ParseRecord(p.Record)
	if err != nil {
		return audit.Proof{}, err
	}
	if r.Subject != subject {
		return audit.Proof{}, opencredit.Errorf(opencredit.ENOTFOUND, "no access record %d about subject %s under a checkpoint yet", index, subject)
	}
	if err := s.Record(ctx, by, opencredit.PurposeSubjectSelfAccess, subject, ActionAccessProof, audit.Result{Items: 1}); err != nil {
		return audit.Proof{}, err
	}
	return p, nil
}
