package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

// Actions of the model registry's routes, as the audit log names them.
const (
	actionModelsRead    = audit.ActionModelsRead
	actionModelAdd      = "model_add"
	actionModelApprove  = "model_approve"
	actionModelActivate = "model_activate"
	actionModelRetire   = "model_retire"
	actionModelRollback = "model_rollback"
)

// registryOf is the store's model registry, or a not_found error naming why.
func registryOf(d Deps) (opencredit.ModelRegistry, error) {
	if reg, ok := d.Store.(opencredit.ModelRegistry); ok {
		return reg, nil
	}
	return nil, opencredit.Errorf(opencredit.ENOTFOUND, "this server's store keeps no model registry")
}

// handleModels lists the registry.
func handleModels(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reg, err := registryOf(d)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		vs, err := reg.ModelVersions(r.Context())
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, "", actionModelsRead, audit.Result{Items: len(vs)}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ModelsResponse{Models: vs})
	})
}

// MaxModelBodyBytes bounds the body of POST /v1/models: a model artifact
// in its envelope. Larger artifacts (model.MaxArtifactBytes) are added
// with the CLI.
const MaxModelBodyBytes = 16 << 20

// handleAddModel adds the artifact of the body to the registry as a draft
// whose author is the calling operator: 201 with the version, 409 when the
// registry holds the same artifact (the id is the artifact's), 400 naming
// what is wrong with an artifact that does not load or that the service
// could not serve. The add is audited once the artifact loads.
func handleAddModel(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reg, err := registryOf(d)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		q, err := decode[api.ModelAddRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		m, err := loadArtifact(q.Model)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		by := callerOf(r)
		v, err := lifecycle.Add(r.Context(), reg, m, q.Name, by.Client.ID, nil, d.Now())
		res := audit.Result{Model: v.ID}
		if err != nil {
			res.Error = opencredit.ErrorCode(err)
			if id, ierr := model.ID(m); ierr == nil {
				res.Model = id
			}
		}
		if rerr := d.Scoring.Record(r.Context(), by, purposeOperations, "", actionModelAdd, res); rerr != nil {
			writeError(d, w, r, rerr)
			return
		}
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		ts, err := reg.ModelTransitions(r.Context(), v.ID)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if ts == nil {
			ts = []opencredit.ModelTransition{}
		}
		w.Header().Set("Location", "/v1/models/"+url.PathEscape(v.ID))
		encode(w, http.StatusCreated, api.ModelVersionResponse{Model: v, Transitions: ts})
	})
}

// loadArtifact decodes and checks a model artifact from outside: as
// model.Load reads a file (its schema version, no unknown field, valid
// bins), then as the scoring service checks a model it would serve
// (scoring.CheckModel: every feature one the live features compute), so
// that the registry holds no model that could never score.
func loadArtifact(b []byte) (*model.Model, error) {
	m, err := model.Load(bytes.NewReader(b))
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "model: %v", err)
	}
	if err := scoring.CheckModel(m); err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "model: %v", err)
	}
	return m, nil
}

// handleModelVersion returns one model's record and history.
func handleModelVersion(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reg, err := registryOf(d)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		id := r.PathValue("model")
		v, _, err := reg.ModelVersion(r.Context(), id)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		ts, err := reg.ModelTransitions(r.Context(), id)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if err := d.Scoring.Record(r.Context(), callerOf(r), purposeOperations, "", actionModelsRead, audit.Result{Model: id}); err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ModelVersionResponse{Model: v, Transitions: ts})
	})
}

// handleModelChange runs one lifecycle change on behalf of the calling
// operator, whose client id is who the registry records: the four-eyes rule
// compares it with the model's author. The change is audited after it is
// made; a failed change is audited with its error code.
func handleModelChange[T validator](d Deps, action string, change func(ctx context.Context, reg opencredit.ModelRegistry, id, by string, body T, now time.Time) (string, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reg, err := registryOf(d)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		body, err := decode[T](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		by := callerOf(r)
		id, err := change(r.Context(), reg, r.PathValue("model"), by.Client.ID, body, d.Now())
		res := audit.Result{Model: id}
		if err != nil {
			res.Error = opencredit.ErrorCode(err)
		}
		if rerr := d.Scoring.Record(r.Context(), by, purposeOperations, "", action, res); rerr != nil {
			writeError(d, w, r, rerr)
			return
		}
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		v, _, err := reg.ModelVersion(r.Context(), id)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		encode(w, http.StatusOK, api.ModelStateResponse{Model: v.ID, State: v.State})
	})
}

func approveModel(ctx context.Context, reg opencredit.ModelRegistry, id, by string, q api.ModelApproveRequest, now time.Time) (string, error) {
	return id, lifecycle.Approve(ctx, reg, id, by, q.Justification, q.OverrideFairness, now)
}

func activateModel(ctx context.Context, reg opencredit.ModelRegistry, id, by string, q api.ModelActionRequest, now time.Time) (string, error) {
	return id, lifecycle.Activate(ctx, reg, id, by, q.Note, now)
}

func retireModel(ctx context.Context, reg opencredit.ModelRegistry, id, by string, q api.ModelActionRequest, now time.Time) (string, error) {
	return id, lifecycle.Retire(ctx, reg, id, by, q.Note, now)
}

func rollbackModel(ctx context.Context, reg opencredit.ModelRegistry, _, by string, _ api.ModelActionRequest, now time.Time) (string, error) {
	return lifecycle.Rollback(ctx, reg, by, now)
}
