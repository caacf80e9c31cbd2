package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/model"
)

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
}

// DecisionResponse is the body of POST /v1/decisions: the decision and,
// for a decline, its adverse-action notice.
type DecisionResponse struct {
	Decision decision.Decision `json:"decision"`
	ModelID  string            `json:"model_id"`
	Notice   *decision.Notice  `json:"notice,omitempty"`
}

// AuditRecord is one record of the audit log and its index.
type AuditRecord struct {
	Index  int64           `json:"index"`
	Record json.RawMessage `json:"record"` // audit.ParseRecord reads it
}

// SubjectData is everything held about a subject (FCRA §609), the body of
// GET /v1/subjects/{id}/data.
type SubjectData struct {
	Subject  string                   `json:"subject"`
	Consents []opencredit.Consent     `json:"consents"`
	Events   []opencredit.StoredEvent `json:"events"`
	Features opencredit.FeatureVector `json:"features"`
}

// Score pulls the subject's score for a permissible purpose. A
// credit_application pull records a hard inquiry on the subject's file.
func (c *Client) Score(ctx context.Context, subject, purpose string) (ScoreResponse, error) {
	var out ScoreResponse
	path := "/v1/subjects/" + url.PathEscape(subject) + "/score?" + url.Values{"purpose": {purpose}}.Encode()
	err := c.do(ctx, "GET", path, nil, &out)
	return out, err
}

// Decide decides a program for a subject.
func (c *Client) Decide(ctx context.Context, subject, program string) (DecisionResponse, error) {
	var out DecisionResponse
	in := struct {
		Subject string `json:"subject"`
		Program string `json:"program"`
	}{subject, program}
	err := c.do(ctx, "POST", "/v1/decisions", in, &out)
	return out, err
}

// SendEvents sends a batch of events and returns one result per event, in
// batch order; a rejected event does not fail the batch.
func (c *Client) SendEvents(ctx context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error) {
	var out struct {
		Results []opencredit.IngestResult `json:"results"`
	}
	in := struct {
		Events []opencredit.Event `json:"events"`
	}{events}
	err := c.do(ctx, "POST", "/v1/events", in, &out)
	return out.Results, err
}

// SubjectData reads everything held about the subject; only the subject's
// own client may.
func (c *Client) SubjectData(ctx context.Context, subject string) (SubjectData, error) {
	var out SubjectData
	err := c.do(ctx, "GET", "/v1/subjects/"+url.PathEscape(subject)+"/data", nil, &out)
	return out, err
}

// Model returns the id and the artifact of the model the service scores
// with; operator clients only.
func (c *Client) Model(ctx context.Context) (string, *model.Model, error) {
	var out struct {
		ID    string          `json:"id"`
		Model json.RawMessage `json:"model"`
	}
	if err := c.do(ctx, "GET", "/v1/model", nil, &out); err != nil {
		return "", nil, err
	}
	m, err := model.Load(bytes.NewReader(out.Model))
	return out.ID, m, err
}

// Programs lists the programs decisions can be asked for; operator clients only.
func (c *Client) Programs(ctx context.Context) ([]decision.Program, error) {
	var out struct {
		Programs []decision.Program `json:"programs"`
	}
	err := c.do(ctx, "GET", "/v1/programs", nil, &out)
	return out.Programs, err
}

// AuditCheckpoint has the server sign a checkpoint of its audit log now and
// returns it; keep it away from the server for `opencredit audit verify
// --checkpoint`. Operator clients only.
func (c *Client) AuditCheckpoint(ctx context.Context) ([]byte, error) {
	var out struct {
		Checkpoint string `json:"checkpoint"`
	}
	err := c.do(ctx, "GET", "/v1/audit/checkpoint", nil, &out)
	return []byte(out.Checkpoint), err
}

// AuditRecords returns up to limit (at most 1000) audit records from index
// from, and the log's size; operator clients only.
func (c *Client) AuditRecords(ctx context.Context, from int64, limit int) ([]AuditRecord, int64, error) {
	var out struct {
		Size    int64         `json:"size"`
		Records []AuditRecord `json:"records"`
	}
	q := url.Values{"from": {strconv.FormatInt(from, 10)}, "limit": {strconv.Itoa(limit)}}
	err := c.do(ctx, "GET", "/v1/audit/records?"+q.Encode(), nil, &out)
	return out.Records, out.Size, err
}

// Health reports whether the server answers /healthz.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, "GET", "/healthz", nil, nil)
}
