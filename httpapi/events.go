package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/eventjson"
)

// handleEvents ingests a furnisher's batch. An event whose source is not
// the calling client's id is rejected: a furnisher speaks only for itself,
// and the store's consent check (the subject's furnishing consent to the
// source) then holds for the client that actually sent it.
func handleEvents(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		by := callerOf(r)
		c := by.Client
		q, err := decode[api.EventsRequest](r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		now := d.Now()
		results := make([]opencredit.IngestResult, len(q.Events))
		var batch []opencredit.Event
		var at []int // batch index → request index
		for i, raw := range q.Events {
			e, _, prob := eventjson.Decode(raw, now)
			switch {
			case prob != nil:
				results[i] = opencredit.IngestResult{Status: opencredit.Rejected, Reason: prob.Reason, Detail: prob.Error()}
			case e.Source != c.ID:
				results[i] = opencredit.IngestResult{Status: opencredit.Rejected, Reason: opencredit.ReasonInvalid,
					Detail: "source: must be the sending client's id"}
			default:
				batch = append(batch, e)
				at = append(at, i)
			}
		}
		accepted := 0
		if len(batch) > 0 {
			got, err := d.Store.Ingest(r.Context(), batch)
			if err != nil {
				writeError(d, w, r, err)
				return
			}
			for k, res := range got {
				results[at[k]] = res
				if res.Status == opencredit.Accepted {
					accepted++
				}
			}
		}
		if err := d.Scoring.Record(r.Context(), by, opencredit.PurposeFurnishing, "", audit.ActionEvents, audit.Result{Items: accepted}); err != nil {
			writeError(d, w, r, err)
			return
		}
		for _, res := range results {
			d.metrics.events.WithLabelValues(res.Status).Inc()
		}
		encode(w, http.StatusOK, api.EventsResponse{Results: results})
	})
}
