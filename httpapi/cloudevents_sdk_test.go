package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// TestCloudEventsSDK sends events as a furnisher's tool would, with the
// CloudEvents Go SDK (github.com/cloudevents/sdk-go/v2, the issue's
// choice), in structured, binary and batched mode, and checks what the SDK
// makes of each answer and what the store holds: an accepted event and its
// resend are ACKs (200), an event for a subject without consent is a NACK
// with 403, and each accepted event is stored once with its data.
func TestCloudEventsSDK(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := cloudevents.NewHTTP(cehttp.WithTarget(f.url+"/v1/events"),
		cehttp.WithHeader("Authorization", "Bearer "+f.keys[furnisher]))
	if err != nil {
		t.Fatal(err)
	}
	client, err := cloudevents.NewClient(p)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Millisecond)
	event := func(id, subject string) cloudevents.Event {
		e := cloudevents.NewEvent()
		e.SetID(id)
		e.SetSource(furnisher)
		e.SetType(opencredit.TypeInquiry)
		e.SetSubject(subject)
		e.SetTime(at)
		if err := e.SetData(cloudevents.ApplicationJSON, opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	modes := map[string]context.Context{
		"structured": cloudevents.WithEncodingStructured(ctx),
		"binary":     cloudevents.WithEncodingBinary(ctx),
	}
	for _, mode := range []string{"structured", "binary"} {
		// An id with a space and a non-ASCII letter, which binary mode
		// carries percent-encoded in its ce-id header.
		id := "sdk " + mode + " é"
		for _, try := range []string{"first", "resend"} {
			res := client.Send(modes[mode], event(id, own))
			var hr *cehttp.Result
			if !cloudevents.IsACK(res) || !cloudevents.ResultAs(res, &hr) || hr.StatusCode != http.StatusOK {
				t.Errorf("%s, %s send: %v, want an ACK with 200", mode, try, res)
			}
		}
		res := client.Send(modes[mode], event(mode+"-refused", other))
		var hr *cehttp.Result
		if cloudevents.IsACK(res) || !cloudevents.ResultAs(res, &hr) || hr.StatusCode != http.StatusForbidden {
			t.Errorf("%s, no consent: %v, want a NACK with 403", mode, res)
		}
	}

	// Batched mode: the SDK builds the request; the answer is the results.
	batch := []cloudevents.Event{event("sdk-batch-1", own), event("sdk-batch-2", other), event("sdk-batch-3", own)}
	req, err := cehttp.NewHTTPRequestFromEvents(ctx, f.url+"/v1/events", batch)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.keys[furnisher])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var out api.EventsResponse
	if err := json.Unmarshal(b, &out); err != nil || resp.StatusCode != 200 || len(out.Results) != 3 ||
		out.Results[0].Status != opencredit.Accepted || out.Results[1].Reason != opencredit.ReasonNoConsent ||
		out.Results[2].Status != opencredit.Accepted {
		t.Errorf("batch: %d %s, want accepted, rejected (no_consent), accepted", resp.StatusCode, b)
	}

	// What the store holds: each accepted event once, as sent.
	evs, err := f.store.Events(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range evs {
		count[e.ID]++
		if e.ID == "sdk binary é" || e.ID == "sdk-batch-1" {
			var q opencredit.Inquiry
			if err := json.Unmarshal(e.Data, &q); err != nil || q.Kind != "hard" || !e.Time.Equal(at) || e.Source != furnisher {
				t.Errorf("stored %+v (%v), want the sent inquiry at %s", e, err, at)
			}
		}
	}
	for _, id := range []string{"sdk structured é", "sdk binary é", "sdk-batch-1", "sdk-batch-3"} {
		if count[id] != 1 {
			t.Errorf("event %q stored %d times, want once", id, count[id])
		}
	}
	if n := len(storedIDs(t, f, other)); n != 0 {
		t.Errorf("%d events stored for the subject without consent", n)
	}
}
