// Package api holds the wire format of OpenCredit's HTTP API: every request
// and response body, and every error code with its HTTP status. The server
// (httpapi) and the Go client (apiclient) both use these types, and
// httpapi/openapi.yaml documents them; TestOpenAPIMatchesWireTypes in
// httpapi fails when a field is in one and not the other.
package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/model"
)

// Error codes of the HTTP layer alone. The domain's codes (opencredit.EINVALID
// and the rest) travel in the same field.
const (
	CodeUnauthorized = "unauthorized"          // no API key, or one the store does not know
	CodeTooLarge     = "too_large"             // the body exceeds the route's limit
	CodeUnavailable  = opencredit.EUNAVAILABLE // the store does not answer
	CodeRateLimited  = "rate_limited"          // the client is over its request rate
	// CodeUnsupportedMediaType: a body that is not application/json.
	CodeUnsupportedMediaType = "unsupported_media_type"
	// CodeMethodNotAllowed: a HEAD of a route that would record an access.
	CodeMethodNotAllowed = "method_not_allowed"
)

// statuses maps every error code to its HTTP status, in the order the
// document lists them.
var statuses = []struct {
	code   string
	status int
}{
	{opencredit.EINVALID, http.StatusBadRequest},
	{opencredit.EREFUSED, http.StatusForbidden},
	{opencredit.EFORBIDDEN, http.StatusForbidden},
	{opencredit.EFROZEN, http.StatusForbidden},
	{opencredit.ENOTFOUND, http.StatusNotFound},
	{opencredit.ECONFLICT, http.StatusConflict},
	{opencredit.EINTERNAL, http.StatusInternalServerError},
	{CodeUnauthorized, http.StatusUnauthorized},
	{CodeTooLarge, http.StatusRequestEntityTooLarge},
	{CodeUnavailable, http.StatusServiceUnavailable},
	{CodeRateLimited, http.StatusTooManyRequests},
	{CodeUnsupportedMediaType, http.StatusUnsupportedMediaType},
	{CodeMethodNotAllowed, http.StatusMethodNotAllowed},
}

// Codes lists every error code an answer may carry.
func Codes() []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = s.code
	}
	return out
}

// StatusOf returns the HTTP status of an error code; an unknown code is a 500.
func StatusOf(code string) int {
	for _, s := range statuses {
		if s.code == code {
			return s.status
		}
	}
	return http.StatusInternalServerError
}

// CodeOf returns the error code for an HTTP status, for an answer that came
// without an Error body (a proxy's page, say). Where two codes share a
// status (403 is refused or forbidden) the first listed wins.
func CodeOf(status int) string {
	for _, s := range statuses {
		if s.status == status {
			return s.code
		}
	}
	return opencredit.EINTERNAL
}

// Error is the body of every error answer: {"error": {"code", "message"}}.
type Error struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error's code (one of Codes) and its message, written for
// the person who sent the request. An internal error's message is only
// "internal error"; the detail goes to the server's log.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Status is the body of GET /healthz and GET /readyz. /readyz adds the
// audit log's witnesses when serve has any: a witness that is down does not
// make the server unready (scoring goes on), but shows here.
type Status struct {
	Status    string          `json:"status"` // ok or ready
	Witnesses []WitnessStatus `json:"witnesses,omitempty"`
}

// WitnessStatus is one witness of the audit log as serve last saw it.
type WitnessStatus struct {
	Witness      string     `json:"witness"`               // the witness key's name
	URL          string     `json:"url"`                   // where serve publishes to it
	CosignedSize int64      `json:"cosigned_size"`         // records in the latest checkpoint it cosigned
	CosignedAt   *time.Time `json:"cosigned_at,omitempty"` // when it cosigned that one; absent if never
	Error        string     `json:"error,omitempty"`       // why the last attempt failed; absent if it succeeded
}

// ScoreResponse is the body of GET /v1/subjects/{id}/score.
type ScoreResponse struct {
	Subject    string                 `json:"subject"`
	Purpose    string                 `json:"purpose"`
	Score      int                    `json:"score"`
	Band       string                 `json:"band"`
	PD         float64                `json:"probability_of_default"`
	Dimensions []model.DimensionScore `json:"dimensions"`
	// Reasons are up to four principal reasons, plus an inquiries reason
	// when inquiries cost points (FCRA §609(f)(9)).
	Reasons      []model.Reason `json:"reasons"`
	Model        string         `json:"model"`    // the model's kind: scorecard or ebm
	ModelID      string         `json:"model_id"` // the model version (model.ID)
	FeaturesAsOf time.Time      `json:"features_as_of"`
	// OpenDisputes counts the subject's open disputes: items the person
	// says are wrong that this score still counts, awaiting their furnisher.
	OpenDisputes int `json:"open_disputes"`
}

// DecisionRequest is the body of POST /v1/decisions.
type DecisionRequest struct {
	Subject string `json:"subject"`
	Program string `json:"program"`
}

// Valid checks that both fields are given.
func (q DecisionRequest) Valid() error {
	if q.Subject == "" || q.Program == "" {
		return opencredit.Errorf(opencredit.EINVALID, "subject and program are required")
	}
	return nil
}

// DecisionResponse is the answer to POST /v1/decisions: the decision and,
// for a decline, its adverse-action notice.
type DecisionResponse struct {
	// DecisionID names the decision, for a request of human review: the
	// index of its record in the audit log.
	DecisionID int64             `json:"decision_id"`
	Decision   decision.Decision `json:"decision"`
	ModelID    string            `json:"model_id"` // the model version the score came from (model.ID)
	Notice     *decision.Notice  `json:"notice,omitempty"`
}

// MaxBatchEvents bounds the events of one POST /v1/events.
const MaxBatchEvents = 10000

// EventsRequest is the body of POST /v1/events: CloudEvents in the JSON
// format. The server decodes and checks each on its own, so that one bad
// event is rejected without failing the batch.
type EventsRequest struct {
	Events []json.RawMessage `json:"events"`
}

// Valid checks the batch is neither empty nor too long.
func (q EventsRequest) Valid() error {
	if len(q.Events) == 0 {
		return opencredit.Errorf(opencredit.EINVALID, "events is empty; send at least one event")
	}
	if len(q.Events) > MaxBatchEvents {
		return opencredit.Errorf(opencredit.EINVALID, "%d events in one batch; at most %d are accepted", len(q.Events), MaxBatchEvents)
	}
	return nil
}

// EventsResponse holds one result per event, in batch order.
type EventsResponse struct {
	Results []opencredit.IngestResult `json:"results"`
}

// SubjectData is everything held about a subject that its own client may
// read (FCRA §609), the body of GET /v1/subjects/{id}/data.
type SubjectData struct {
	Subject  string                   `json:"subject"`
	Consents []opencredit.Consent     `json:"consents"`
	Events   []opencredit.StoredEvent `json:"events"`
	Features opencredit.FeatureVector `json:"features"`
}

// ModelResponse is the body of GET /v1/model: the model's id and its whole
// artifact, as `opencredit train` wrote it (model.Load reads it).
type ModelResponse struct {
	ID    string          `json:"id"`
	Model json.RawMessage `json:"model"`
}

// ProgramsResponse is the body of GET /v1/programs.
type ProgramsResponse struct {
	Programs []decision.Program `json:"programs"`
}

// CheckpointResponse is the body of GET /v1/audit/checkpoint: a signed
// checkpoint of the audit log's first Size records.
type CheckpointResponse struct {
	Size       int64  `json:"size"`
	Checkpoint string `json:"checkpoint"`
}

// AuditRecord is one record of the audit log and its index; audit.ParseRecord
// reads Record.
type AuditRecord struct {
	Index  int64           `json:"index"`
	Record json.RawMessage `json:"record"`
}

// AuditProofResponse is the body of GET /v1/audit/records/{index}/proof and
// GET /v1/subjects/{id}/accesses/{index}/proof: the record, its leaf hash
// and the RFC 6962 inclusion proof against a checkpoint signed by the log
// and cosigned by its witnesses, for `opencredit audit check-proof` (the
// JSON of audit.Proof).
type AuditProofResponse struct {
	Index      int64    `json:"index"`      // the record's index
	Record     []byte   `json:"record"`     // its canonical bytes, base64
	LeafHash   string   `json:"leaf_hash"`  // SHA-256(0x00 || record), base64
	TreeSize   int64    `json:"tree_size"`  // the checkpoint's tree size
	Proof      []string `json:"proof"`      // the audit path, base64 hashes from the leaf up
	Checkpoint string   `json:"checkpoint"` // the checkpoint note with its signatures and cosignatures
}

// MaxAuditPage bounds the records one GET /v1/audit/records returns.
const MaxAuditPage = 1000

// AuditRecordsResponse is the body of GET /v1/audit/records.
type AuditRecordsResponse struct {
	Size    int64         `json:"size"`
	Records []AuditRecord `json:"records"`
}
