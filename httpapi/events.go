package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/eventjson"
	"github.com/opencredit/opencredit/ingest"
)

// The ways POST /v1/events takes events: our own wrapper, and the three
// content modes of the CloudEvents HTTP protocol binding (version 1.0.2,
// §3), told apart as §3 says: by the Content-Type, and binary mode by its
// ce- headers.
const (
	modeWrapper    = iota // application/json: {"events": [...]}
	modeStructured        // application/cloudevents+json: one event
	modeBatch             // application/cloudevents-batch+json: a JSON array of events
	modeBinary            // ce- headers; the body is the data, its Content-Type application/json
)

// Media types of the CloudEvents JSON format and its batch format.
const (
	MediaCloudEvent      = "application/cloudevents+json"
	MediaCloudEventBatch = "application/cloudevents-batch+json"
)

// eventsMode tells the request's mode from its headers, refusing a media
// type the route does not read with 415, as the binding's web hook spec asks
// of a format not understood (http-webhook.md §2.2).
func eventsMode(r *http.Request) (int, error) {
	const want = "application/json (the events wrapper, or binary mode's data), " + MediaCloudEvent + " or " + MediaCloudEventBatch
	media, err := mediaType(r, want)
	if err != nil {
		return 0, err
	}
	binary := false
	for k := range r.Header {
		binary = binary || len(k) > 3 && strings.EqualFold(k[:3], "ce-")
	}
	// The CloudEvents media types come first: structured mode may repeat
	// the attributes in ce- headers (§3.2.3), and the body holds them all.
	switch {
	case media == MediaCloudEvent:
		return modeStructured, nil
	case media == MediaCloudEventBatch:
		return modeBatch, nil
	case binary && media == "application/json":
		return modeBinary, nil
	case binary:
		return 0, opencredit.Errorf(api.CodeUnsupportedMediaType,
			"binary mode (ce- headers): Content-Type %s is not accepted: an event's data is application/json", media)
	case media == "application/json":
		return modeWrapper, nil
	}
	return 0, opencredit.Errorf(api.CodeUnsupportedMediaType, "Content-Type %s is not accepted: send %s", media, want)
}

// decoded is one event of a request as read: the event, or why not.
type decoded struct {
	event opencredit.Event
	prob  *eventjson.Problem
}

// readEvents reads the request's events in its mode, each decoded on its
// own so that one bad event of a batch is rejected without failing it.
// An error refuses the whole request: a body that breaks the input rule, a
// batch that is not one, too many events.
func readEvents(r *http.Request, mode int, now time.Time) ([]decoded, error) {
	b, err := readJSON(r)
	if err != nil {
		return nil, err
	}
	var raws [][]byte
	switch mode {
	case modeBinary:
		e, _, prob := eventjson.DecodeBinary(r.Header, b, now)
		return []decoded{{e, prob}}, nil
	case modeStructured:
		raws = [][]byte{b}
	case modeBatch:
		var prob *eventjson.Problem
		if raws, prob = eventjson.SplitBatch(b); prob != nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "the body is not a batch of events (%s): %s", MediaCloudEventBatch, prob.Error())
		}
		if len(raws) > api.MaxBatchEvents {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%d events in one batch; at most %d are accepted", len(raws), api.MaxBatchEvents)
		}
	default:
		var q api.EventsRequest
		if err := decodeJSON(b, &q); err != nil {
			return nil, err
		}
		if err := q.Valid(); err != nil {
			return nil, err
		}
		raws = make([][]byte, len(q.Events))
		for i, raw := range q.Events {
			raws[i] = raw
		}
	}
	out := make([]decoded, len(raws))
	for i, raw := range raws {
		e, _, prob := eventjson.Decode(raw, now)
		out[i] = decoded{e, prob}
	}
	return out, nil
}

// handleEvents ingests a furnisher's events, in any of the route's modes,
// under one set of rules. An event whose source is not the calling client's
// id is rejected: a furnisher speaks only for itself, and the store's
// consent check (the subject's furnishing consent to the source) then holds
// for the client that actually sent it.
//
// A batch (the wrapper, or batched mode) is answered 200 with one result
// per event. A single event (structured or binary mode) is answered as the
// binding's web hook spec asks (http-webhook.md §2.2): 200 with its result
// when it is accepted or was accepted before (a duplicate: a sender's retry
// changes nothing and must not be retried again), and a 4xx with the error
// body when it is rejected, so that a sender that only reads the status
// learns the event was not taken and that resending it unchanged will not
// help.
func handleEvents(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		by := callerOf(r)
		c := by.Client
		mode, err := eventsMode(r)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		now := d.Now()
		in, err := readEvents(r, mode, now)
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if len(in) == 0 { // an empty batch: nothing to do, nobody's data reached
			encode(w, http.StatusOK, api.EventsResponse{Results: []opencredit.IngestResult{}})
			return
		}
		results := make([]opencredit.IngestResult, len(in))
		var batch []opencredit.Event
		var at []int // batch index → request index
		for i, x := range in {
			switch {
			case x.prob != nil:
				results[i] = x.prob.Result()
			case x.event.Source != c.ID:
				results[i] = opencredit.IngestResult{Status: opencredit.Rejected, Reason: opencredit.ReasonInvalid,
					Detail: "source: must be the sending client's id"}
			default:
				batch = append(batch, x.event)
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
				results[at[k]] = asFurnisherSees(res, batch[k])
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
		if (mode == modeStructured || mode == modeBinary) && results[0].Status == opencredit.Rejected {
			writeError(d, w, r, rejection(results[0]))
			return
		}
		encode(w, http.StatusOK, api.EventsResponse{Results: results})
	})
}

// asFurnisherSees hides from a furnisher whether a person it has no
// furnishing consent from is registered at all: an unknown (or erased)
// subject is answered exactly as a registered one who gave the furnisher no
// consent. The store's own reason stays for operators: import, the NATS
// dead letters and the logs keep unknown_subject.
func asFurnisherSees(res opencredit.IngestResult, e opencredit.Event) opencredit.IngestResult {
	if res.Status == opencredit.Rejected && res.Reason == opencredit.ReasonUnknownSubject {
		return opencredit.IngestResult{Status: opencredit.Rejected, Reason: opencredit.ReasonNoConsent,
			Detail: ingest.NoConsentDetail(e.Subject, e.Source)}
	}
	return res
}

// rejection is the error answering a single event the store or the
// decoder rejected, its code chosen by the reason: too_large is 413, an
// unknown subject 404 (never a furnisher's answer: asFurnisherSees), a
// missing consent 403, an id sent before with other
// content (conflict) 409, anything else 400. The
// message starts with the reason, as a batch's result would give it.
func rejection(res opencredit.IngestResult) error {
	code := opencredit.EINVALID
	switch res.Reason {
	case opencredit.ReasonTooLarge:
		code = api.CodeTooLarge
	case opencredit.ReasonUnknownSubject:
		code = opencredit.ENOTFOUND
	case opencredit.ReasonNoConsent:
		code = opencredit.EFORBIDDEN
	case opencredit.ReasonConflict:
		code = opencredit.ECONFLICT
	}
	return opencredit.Errorf(code, "the event is rejected (%s): %s", res.Reason, res.Detail)
}
