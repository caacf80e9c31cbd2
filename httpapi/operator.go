package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
)

// Actions of the operator routes, as the audit log names them.
const (
	actionModelRead   = audit.ActionModelRead
	actionAuditRead   = audit.ActionAuditRead
	actionProgramRead = audit.ActionProgramRead
)

// purposeOperations is the purpose an operator's reads are logged under:
// running the service, not a permissible purpose for any subject's score.
const purposeOperations = "operations"

// handleModel returns the model the service scores with: its id and the
// whole artifact, points table and provenance, as `opencredit train` wrote it.
func handleModel(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, id := d.Scoring.Model()
		artifact, err := json.Marshal(m)
		if err != nil {
			writeError(d, w, r, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot encode the model", Err: err})
			return
		}
		if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, "", actionModelRead, audit.Result{Model: id}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ModelResponse{ID: id, Model: artifact})
	})
}

// handlePrograms lists the programs decisions can be asked for.
func handlePrograms(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, "", actionProgramRead, audit.Result{}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ProgramsResponse{Programs: nonNil(d.Scoring.Programs())})
	})
}

// handleCheckpoint signs and returns a checkpoint of the audit log as it
// is now: an auditor keeps it, and any later change to the first Size
// records makes `opencredit audit verify` fail against it.
func handleCheckpoint(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.Audit == nil {
			writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "this server keeps no audit log"))
			return
		}
		signed, err := d.Audit.Checkpoint(r.Context())
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.CheckpointResponse{Size: d.Audit.Size(), Checkpoint: string(signed)})
	})
}

// handleAuditRecords returns records from index `from` (default 0), at most
// `limit` (default and maximum 1000). The read is itself audited, after the
// records are read, so it does not list itself.
func handleAuditRecords(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.Audit == nil {
			writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "this server keeps no audit log"))
			return
		}
		from, err := queryInt(r, "from", 0, 0, 1<<62)
		if err == nil {
			var limit int64
			limit, err = queryInt(r, "limit", api.MaxAuditPage, 1, api.MaxAuditPage)
			if err == nil {
				err = writeAuditRecords(w, r, d, from, limit)
			}
		}
		if err != nil {
			writeError(d, w, r, err)
		}
	})
}

func writeAuditRecords(w http.ResponseWriter, r *http.Request, d Deps, from, limit int64) error {
	size := d.Audit.Size()
	out := api.AuditRecordsResponse{Size: size, Records: []api.AuditRecord{}}
	for n := from; n < min(size, from+limit); n++ {
		b, err := d.Audit.Record(r.Context(), n)
		if err != nil {
			return err
		}
		out.Records = append(out.Records, api.AuditRecord{Index: n, Record: b})
	}
	if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, "", actionAuditRead, audit.Result{}); err != nil {
		return err
	}
	encode(w, http.StatusOK, out)
	return nil
}

// queryInt reads an optional integer query parameter within [lo, hi].
func queryInt(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < lo || v > hi {
		return 0, opencredit.Errorf(opencredit.EINVALID, "query parameter %s=%q: want an integer from %d to %d", name, s, lo, hi)
	}
	return v, nil
}
