package api

import (
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
