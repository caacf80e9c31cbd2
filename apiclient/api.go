package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/model"
)

// Score pulls the subject's score for a permissible purpose. A
// credit_application pull records a hard inquiry on the subject's file.
func (c *Client) Score(ctx context.Context, subject, purpose string) (api.ScoreResponse, error) {
	var out api.ScoreResponse
	path := "/v1/subjects/" + url.PathEscape(subject) + "/score?" + url.Values{"purpose": {purpose}}.Encode()
	err := c.do(ctx, "GET", path, nil, &out)
	return out, err
}

// Decide decides a program for a subject.
func (c *Client) Decide(ctx context.Context, subject, program string) (api.DecisionResponse, error) {
	var out api.DecisionResponse
	err := c.do(ctx, "POST", "/v1/decisions", api.DecisionRequest{Subject: subject, Program: program}, &out)
	return out, err
}

// SendEvents sends a batch of events and returns one result per event, in
// batch order; a rejected event does not fail the batch.
func (c *Client) SendEvents(ctx context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error) {
	in := api.EventsRequest{Events: make([]json.RawMessage, len(events))}
	for i, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, &opencredit.Error{Code: opencredit.EINVALID, Message: fmt.Sprintf("client: cannot encode event %d", i), Err: err}
		}
		in.Events[i] = b
	}
	var out api.EventsResponse
	err := c.do(ctx, "POST", "/v1/events", in, &out)
	return out.Results, err
}

// SubjectData reads everything held about the subject; only the subject's
// own client may.
func (c *Client) SubjectData(ctx context.Context, subject string) (api.SubjectData, error) {
	var out api.SubjectData
	err := c.do(ctx, "GET", "/v1/subjects/"+url.PathEscape(subject)+"/data", nil, &out)
	return out, err
}

// Model returns the id and the artifact of the model the service scores
// with; operator clients only.
func (c *Client) Model(ctx context.Context) (string, *model.Model, error) {
	var out api.ModelResponse
	if err := c.do(ctx, "GET", "/v1/model", nil, &out); err != nil {
		return "", nil, err
	}
	m, err := model.Load(bytes.NewReader(out.Model))
	return out.ID, m, err
}

// Programs lists the programs decisions can be asked for; operator clients only.
func (c *Client) Programs(ctx context.Context) ([]decision.Program, error) {
	var out api.ProgramsResponse
	err := c.do(ctx, "GET", "/v1/programs", nil, &out)
	return out.Programs, err
}

// AuditCheckpoint has the server sign a checkpoint of its audit log now and
// returns it; keep it away from the server for `opencredit audit verify
// --checkpoint`. Operator clients only.
func (c *Client) AuditCheckpoint(ctx context.Context) ([]byte, error) {
	var out api.CheckpointResponse
	err := c.do(ctx, "GET", "/v1/audit/checkpoint", nil, &out)
	return []byte(out.Checkpoint), err
}

// AuditRecords returns up to limit (at most 1000) audit records from index
// from, and the log's size; operator clients only.
func (c *Client) AuditRecords(ctx context.Context, from int64, limit int) ([]api.AuditRecord, int64, error) {
	var out api.AuditRecordsResponse
	q := url.Values{"from": {strconv.FormatInt(from, 10)}, "limit": {strconv.Itoa(limit)}}
	err := c.do(ctx, "GET", "/v1/audit/records?"+q.Encode(), nil, &out)
	return out.Records, out.Size, err
}

// AuditRecordProof returns the proof that audit record index is in the
// log, against its latest witnessed checkpoint; operator clients only. Its
// JSON is what `opencredit audit check-proof` reads (audit.ParseProof).
func (c *Client) AuditRecordProof(ctx context.Context, index int64) (api.AuditProofResponse, error) {
	var out api.AuditProofResponse
	err := c.do(ctx, "GET", "/v1/audit/records/"+strconv.FormatInt(index, 10)+"/proof", nil, &out)
	return out, err
}

// AccessProof returns to the subject's own client the proof that audit
// record index, an access to the subject's file, is in the log.
func (c *Client) AccessProof(ctx context.Context, subject string, index int64) (api.AuditProofResponse, error) {
	var out api.AuditProofResponse
	err := c.do(ctx, "GET", "/v1/subjects/"+url.PathEscape(subject)+"/accesses/"+strconv.FormatInt(index, 10)+"/proof", nil, &out)
	return out, err
}

// Health reports whether the server answers /healthz.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, "GET", "/healthz", nil, nil)
}
