package httpapi

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// FuzzDisputeAndReviewBodies: the decoders of the four new request bodies
// (a dispute, its resolution, a review request, its resolution) never
// panic, refuse only with EINVALID (or too_large), and what one accepts
// passes its own Valid, so a handler never sees a body it cannot use: a
// dispute names its event, a correction comes with outcome corrected and
// has data, a review request names a decision.
func FuzzDisputeAndReviewBodies(f *testing.F) {
	for _, s := range []string{
		`{"source":"furn-a","event_id":"e1","comment":"I paid on time"}`,
		`{"source":"furn-a","event_id":"e1","comment":""}`,
		`{"source":"","event_id":"e1","comment":"x"}`,
		`{"outcome":"verified","note":"checked"}`,
		`{"outcome":"corrected","corrected":{"data":{"account_id":"a","balance":1,"days_past_due":0,"currency":"EUR"},"time":"2026-01-01T00:00:00Z"}}`,
		`{"outcome":"corrected"}`, `{"outcome":"deleted","corrected":{"data":{}}}`, `{"outcome":"corrected","corrected":{}}`,
		`{"decision_id":3,"comment":"please"}`, `{"decision_id":-1}`, `{"comment":"no id"}`, `{"decision_id":1.5}`,
		`{"outcome":"upheld","note":"fine"}`, `{"outcome":"changed","note":""}`, `{"outcome":"x","note":"y"}`,
		`{"note":"\u0000"}`, `{"outcome":"verified","outcome":"deleted"}`, `null`, `[]`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzDecode[api.DisputeRequest](t, b)
		if q, ok := fuzzDecode[api.ResolveDisputeRequest](t, b); ok {
			if (q.Outcome == opencredit.DisputeCorrected) != (q.Event() != nil) || (q.Event() != nil && len(q.Event().Data) == 0) {
				t.Fatalf("accepted %q: outcome %s with correction %+v", b, q.Outcome, q.Event())
			}
		}
		if q, ok := fuzzDecode[api.ReviewRequest](t, b); ok && (q.DecisionID == nil || *q.DecisionID < 0) {
			t.Fatalf("accepted %q without a decision id", b)
		}
		fuzzDecode[api.ResolveReviewRequest](t, b)
	})
}

// fuzzDecode decodes b as the body of a request for T, as a handler does.
func fuzzDecode[T validator](t *testing.T, b []byte) (T, bool) {
	t.Helper()
	r := httptest.NewRequest("POST", "/v1/x", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	q, err := decode[T](r)
	if err != nil {
		if code := opencredit.ErrorCode(err); code != opencredit.EINVALID && code != api.CodeTooLarge {
			t.Fatalf("%T of %q: code %s: %v", q, b, code, err)
		}
		return q, false
	}
	if err := q.Valid(); err != nil {
		t.Fatalf("%T of %q decoded but is not valid: %v", q, b, err)
	}
	return q, true
}
