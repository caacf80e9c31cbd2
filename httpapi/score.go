package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// scoreResponse is the body of GET /v1/subjects/{id}/score.
type scoreResponse struct {
	Subject      string                 `json:"subject"`
	Purpose      string                 `json:"purpose"`
	Score        int                    `json:"score"`
	Band         string                 `json:"band"`
	PD           float64                `json:"probability_of_default"`
	Dimensions   []model.DimensionScore `json:"dimensions"`
	Reasons      []model.Reason         `json:"reasons"`
	Model        string                 `json:"model"`    // the model's kind: scorecard or ebm
	ModelID      string                 `json:"model_id"` // the model version (model.ID)
	FeaturesAsOf time.Time              `json:"features_as_of"`
}

// handleScore serves a subject's score to a lender with a permitted,
// consented purpose, or to the subject itself.
func handleScore(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := clientOf(r.Context())
		subject, purpose := r.PathValue("id"), r.URL.Query().Get("purpose")
		if err := authorizeSubject(r.Context(), d, c, subject, purpose); err != nil {
			writeError(d, w, r, err)
			return
		}
		res, fv, err := scoreSubject(r.Context(), d, subject)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if purpose == opencredit.PurposeCreditApplication {
			if err := recordHardInquiry(r.Context(), d, subject, requestID(r.Context())); err != nil {
				writeError(d, w, r, err)
				return
			}
		}
		if err := record(r, d, c, purpose, subject, audit.ActionScore, audit.Result{
			Score: res.Score, Band: res.Band, Reasons: reasonCodes(res.Reasons), Model: d.modelID,
		}); err != nil {
			writeError(d, w, r, err)
			return
		}
		d.metrics.scores.WithLabelValues(res.Band).Inc()
		encode(w, http.StatusOK, scoreResponse{
			Subject: subject, Purpose: purpose, Score: res.Score, Band: res.Band, PD: res.PD,
			Dimensions: nonNil(res.Dimensions), Reasons: nonNil(res.Reasons),
			Model: d.Model.Kind, ModelID: d.modelID, FeaturesAsOf: fv.AsOf,
		})
	})
}

// scoreSubject scores the subject's live features as of now. A feature the
// subject has no data for goes to the model's missing bin.
func scoreSubject(ctx context.Context, d Deps, subject string) (model.Result, opencredit.FeatureVector, error) {
	fv, err := d.Store.Features(ctx, subject, d.Now())
	if err != nil {
		return model.Result{}, fv, err
	}
	res, err := ScoreFeatures(d.Model, fv)
	return res, fv, err
}

// ScoreFeatures scores a live feature vector as the service does: a feature
// the vector lacks goes to the model's missing bin, and the inquiries reason
// is added when inquiries cost points (withInquiryReason).
func ScoreFeatures(m *model.Model, fv opencredit.FeatureVector) (model.Result, error) {
	row := make([]model.Value, len(m.Features))
	for j, f := range m.Features {
		if x, ok := fv.Values[f.Name]; ok {
			row[j] = model.Num(x)
		} else {
			row[j] = model.MissingValue()
		}
	}
	res, err := m.Score(row)
	if err != nil {
		return model.Result{}, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot score", Err: err}
	}
	return withInquiryReason(m, res), nil
}

func reasonCodes(rs []model.Reason) []string {
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = r.Code
	}
	return codes
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CheckModel refuses a model the service cannot serve: one without an id
// (model.ID: it must encode as JSON), or one it cannot feed: every feature must be
// a numeric feature of the registry (features.Registry), since live features
// are all the service has. A model trained on another CSV would otherwise
// score every person with all its inputs missing.
func CheckModel(m *model.Model) error {
	if _, err := model.ID(m); err != nil {
		return &opencredit.Error{Code: opencredit.EINVALID, Message: "the model cannot be encoded, so it has no id", Err: err}
	}
	for _, f := range m.Features {
		if _, ok := features.Lookup(f.Name); !ok {
			return opencredit.Errorf(opencredit.EINVALID, "model feature %q is not a live feature (see features.Registry, or train on 'opencredit snapshot' output)", f.Name)
		}
		if f.Kind != model.Numeric {
			return opencredit.Errorf(opencredit.EINVALID, "model feature %q is %s; live features are numeric", f.Name, f.Kind)
		}
	}
	return nil
}
