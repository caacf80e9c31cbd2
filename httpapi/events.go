package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/eventjson"
)

// MaxBatchEvents bounds the events of one POST /v1/events.
const MaxBatchEvents = 10000

// eventsRequest is the body of POST /v1/events: CloudEvents in the JSON
// format, each decoded and checked on its own so that one bad event is
// rejected without failing the batch.
type eventsRequest struct {
	Events []json.RawMessage `json:"events"`
}

// Valid checks the batch is neither empty nor too long.
func (q eventsRequest) Valid() error {
	if len(q.Events) == 0 {
		return opencredit.Errorf(opencredit.EINVALID, "events is empty; send at least one event")
	}
	if len(q.Events) > MaxBatchEvents {
		return opencredit.Errorf(opencredit.EINVALID, "%d events in one batch; at most %d are accepted", len(q.Events), MaxBatchEvents)
	}
	return nil
}

// eventsResponse holds one result per event, in batch order.
type eventsResponse struct {
	Results []opencredit.IngestResult `json:"results"`
}

// handleEvents ingests a furnisher's batch. An event whose source is not
// the calling client's id is rejected: a furnisher speaks only for itself,
// and the store's consent check (the subject's furnishing consent to the
// source) then holds for the client that actually sent it.
func handleEvents(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := clientOf(r.Context())
		q, err := decode[eventsRequest](r)
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
		if err := record(r, d, c, opencredit.PurposeFurnishing, "", audit.ActionEvents, audit.Result{Items: accepted}); err != nil {
			writeError(d, w, r, err)
			return
		}
		for _, res := range results {
			d.metrics.events.WithLabelValues(res.Status).Inc()
		}
		encode(w, http.StatusOK, eventsResponse{Results: results})
	})
}
