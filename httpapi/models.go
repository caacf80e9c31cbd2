package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/lifecycle"
)

// Actions of the model registry's routes, as the audit log names them.
const (
	actionModelsRead    = audit.ActionModelsRead
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
