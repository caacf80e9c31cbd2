package httpapi

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
)

// actionAuditProof is the audit action of an operator fetching a record's proof.
const actionAuditProof = "audit_proof"

// pathIndex reads the {index} path parameter: a record index.
func pathIndex(r *http.Request) (int64, error) {
	s := r.PathValue("index")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, opencredit.Errorf(opencredit.EINVALID, "path parameter index=%q: want a record index, an integer from 0", s)
	}
	return n, nil
}

// handleRecordProof returns the proof that audit record {index} is in the
// log, against its latest witnessed checkpoint, to an operator. The read
// is audited under the record's subject: it shows an access to their file.
func handleRecordProof(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.Audit == nil {
			writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "this server keeps no audit log"))
			return
		}
		n, err := pathIndex(r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		p, err := d.Audit.WitnessedProof(r.Context(), n)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		rec, err := audit.ParseRecord(p.Record)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, rec.Subject, actionAuditProof, audit.Result{Items: 1}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, proofResponse(p))
	})
}

// handleAccessProof returns to a subject's own client the proof that
// record {index}, an access to their file, is in the log
// (scoring.Service.AccessProof).
func handleAccessProof(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := pathIndex(r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		p, err := d.Scoring.AccessProof(r.Context(), callerOf(r), r.PathValue("id"), n)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, proofResponse(p))
	})
}

func proofResponse(p audit.Proof) api.AuditProofResponse {
	hs := make([]string, len(p.Hashes))
	for i, h := range p.Hashes {
		hs[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return api.AuditProofResponse{Index: p.Index, Record: p.Record, LeafHash: base64.StdEncoding.EncodeToString(p.LeafHash[:]),
		TreeSize: p.TreeSize, Proof: hs, Checkpoint: p.Checkpoint}
}
