package opencredit

import (
	"context"
	"encoding/json"
	"time"
)

// States of a model in the registry. A model is added as a draft, approved
// by an operator other than its author, activated (one model is active at a
// time: the one that scores), and retired when it will never score again.
// Activating a model puts the one it replaces back to approved, so that a
// rollback can activate it again at once.
const (
	ModelDraft    = "draft"
	ModelApproved = "approved"
	ModelActive   = "active"
	ModelRetired  = "retired"
)

// ModelVersion is one model in the registry: its artifact's id (model.ID, a
// hash of the artifact, so an id names one model for good), who made it,
// from what data, how it measured, and where it stands.
type ModelVersion struct {
	ID         string             `json:"id"`
	Kind       string             `json:"kind"` // scorecard or ebm
	Name       string             `json:"name,omitempty"`
	Author     string             `json:"author"` // the operator who added or trained it
	CreatedAt  time.Time          `json:"created_at"`
	DataSHA256 string             `json:"data_sha256,omitempty"` // fingerprint of the training data
	Metrics    map[string]float64 `json:"metrics,omitempty"`
	// Fairness is the evidence the fairness gate judges: the adverse impact
	// ratio of every audited group at each cut-off, measured when the model
	// was added.
	Fairness  []FairnessCheck `json:"fairness,omitempty"`
	State     string          `json:"state"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// FairnessCheck is one audited group's adverse impact ratio at a cut-off:
// its approval rate over the best-approved group's (the four-fifths rule of
// the US Uniform Guidelines, 29 CFR 1607.4(D)).
type FairnessCheck struct {
	Attribute string  `json:"attribute"`
	Group     string  `json:"group"`
	Cutoff    int     `json:"cutoff"`
	Rows      int     `json:"rows"`
	AIR       float64 `json:"air"`
}

// ModelTransition is one change of a model's state, kept for good: who did
// it, when, and why. Override is the written justification of approving a
// model the fairness gate refused; empty otherwise.
type ModelTransition struct {
	Model    string    `json:"model"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Note     string    `json:"note"`
	Override string    `json:"override,omitempty"`
}

// ModelRegistry keeps model versions, their artifacts and every transition.
// The rules (four-eyes, the fairness gate, which transitions exist) are
// package lifecycle's; the registry applies a transition atomically and
// only from the state it names, so two operators cannot both act on one
// state. Implemented by sqlite and postgres; conformance in storetest.
type ModelRegistry interface {
	// AddModel stores a draft and its artifact; ECONFLICT if the id is taken.
	AddModel(ctx context.Context, v ModelVersion, artifact []byte) error
	// ModelVersion returns a version and its artifact; ENOTFOUND if unknown.
	ModelVersion(ctx context.Context, id string) (ModelVersion, []byte, error)
	// ModelVersions lists every version, oldest first.
	ModelVersions(ctx context.Context) ([]ModelVersion, error)
	// TransitionModel moves t.Model from t.From to t.To and records t, or
	// fails with ECONFLICT, changing nothing, when the model is not in
	// t.From. To active, it also moves the active model, if any, back to
	// approved, recorded as a transition of its own by t.By, in the same
	// transaction: no moment has two active models, or none between them.
	TransitionModel(ctx context.Context, t ModelTransition) error
	// ModelTransitions lists the transitions of model id ("" for every
	// model) in the order they happened.
	ModelTransitions(ctx context.Context, id string) ([]ModelTransition, error)
}

// StoredJSON encodes the version's metrics and fairness evidence as the
// stores keep them, one JSON text column each; empty ones as {} and [].
func (v ModelVersion) StoredJSON() (metrics, fairness string, err error) {
	if v.Metrics == nil {
		v.Metrics = map[string]float64{}
	}
	if v.Fairness == nil {
		v.Fairness = []FairnessCheck{}
	}
	m, err := json.Marshal(v.Metrics)
	if err != nil {
		return "", "", Errorf(EINVALID, "model %s: metrics: %v", v.ID, err)
	}
	f, err := json.Marshal(v.Fairness)
	if err != nil {
		return "", "", Errorf(EINVALID, "model %s: fairness: %v", v.ID, err)
	}
	return string(m), string(f), nil
}

// LoadStoredJSON decodes the columns StoredJSON wrote into v.
func (v *ModelVersion) LoadStoredJSON(metrics, fairness string) error {
	if err := json.Unmarshal([]byte(metrics), &v.Metrics); err != nil {
		return err
	}
	return json.Unmarshal([]byte(fairness), &v.Fairness)
}
