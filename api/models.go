package api

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/opencredit/opencredit"
)

// ModelsResponse is the body of GET /v1/models: every model in the
// registry, oldest first.
type ModelsResponse struct {
	Models []opencredit.ModelVersion `json:"models"`
}

// ModelVersionResponse is the body of GET /v1/models/{id}: the model's
// record and every change of its state.
type ModelVersionResponse struct {
	Model       opencredit.ModelVersion      `json:"model"`
	Transitions []opencredit.ModelTransition `json:"transitions"`
}

// ModelApproveRequest is the body of POST /v1/models/{id}/approve. The
// approver is the calling operator, who must not be the model's author.
type ModelApproveRequest struct {
	Justification string `json:"justification"`
	// OverrideFairness is the written reason to approve a model the
	// fairness gate refuses; recorded with the approval.
	OverrideFairness string `json:"override_fairness,omitempty"`
}

// Valid requires a justification.
func (q ModelApproveRequest) Valid() error {
	if strings.TrimSpace(q.Justification) == "" {
		return opencredit.Errorf(opencredit.EINVALID, "justification is required: why the model is fit to score people")
	}
	return nil
}

// ModelActionRequest is the body of POST /v1/models/{id}/activate,
// /retire and /v1/models/rollback: an optional note, recorded.
type ModelActionRequest struct {
	Note string `json:"note,omitempty"`
}

// Valid accepts any note.
func (ModelActionRequest) Valid() error { return nil }

// ModelStateResponse answers a change of state: the model and where it
// stands now.
type ModelStateResponse struct {
	Model string `json:"model"`
	State string `json:"state"`
}

// ModelAddRequest is the body of POST /v1/models: a model artifact, as
// `opencredit train` writes it, to add to the registry as a draft whose
// author is the calling operator. The training data's fingerprint travels
// inside the artifact (training.sha256). Fairness evidence is measured on a
// held-out CSV, which the API does not take: a model added here has none,
// as one added by `opencredit models add` without --data.
type ModelAddRequest struct {
	// Name is a name for people, such as "2026 Q4 scorecard" (optional).
	Name string `json:"name,omitempty"`
	// Model is the artifact's JSON object.
	Model json.RawMessage `json:"model"`
}

// Valid requires the artifact as a JSON object and a name of at most
// opencredit.MaxIDBytes without control characters.
func (q ModelAddRequest) Valid() error {
	if t := bytes.TrimSpace(q.Model); len(t) == 0 || t[0] != '{' {
		return opencredit.Errorf(opencredit.EINVALID, "model is required: the model artifact's JSON object")
	}
	if len(q.Name) > opencredit.MaxIDBytes {
		return opencredit.Errorf(opencredit.EINVALID, "name is longer than %d bytes", opencredit.MaxIDBytes)
	}
	return opencredit.CheckText("name", q.Name, false)
}
