package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// ceRequest is one request of TestCloudEventsModes.
type ceRequest struct {
	name        string
	contentType string
	headers     map[string]string // binary mode's ce- headers
	body        string
	status      int
	code        string   // the error code, for a refusal
	message     string   // a part of the error message
	results     []string // the statuses of a 200's results
}

// TestCloudEventsModes: POST /v1/events takes the CloudEvents HTTP
// binding's structured, batched and binary modes beside the wrapper, with
// the wrapper's rules, and answers a single event 200 with its result when
// it is accepted or a duplicate, and a 4xx with the error body when it is
// rejected; every answer matches openapi.yaml, and the store holds exactly
// the accepted events.
func TestCloudEventsModes(t *testing.T) {
	f := newFixture(t)
	key := f.keys[furnisher]
	ev := func(source, subject, id string) string { return string(inquiry(source, subject, id)) }
	day := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	binary := func(id string) map[string]string {
		return map[string]string{"ce-specversion": "1.0", "ce-id": id, "ce-source": furnisher,
			"ce-type": opencredit.TypeInquiry, "ce-subject": own, "ce-time": day}
	}
	noID := binary("")
	delete(noID, "ce-id")
	data := `{"kind":"hard","purpose":"credit_application"}`
	future := strings.Replace(ev(furnisher, own, "s-future"), day, "2199-01-01T00:00:00Z", 1)
	cases := []ceRequest{
		{name: "structured", contentType: "application/cloudevents+json", body: ev(furnisher, own, "s-1"),
			status: 200, results: []string{"accepted"}},
		{name: "structured, with ce- headers as well (§3.2.3)", contentType: "application/cloudevents+json", headers: binary("s-0"),
			body: ev(furnisher, own, "s-0"), status: 200, results: []string{"accepted"}},
		{name: "structured again", contentType: "application/cloudevents+json; charset=UTF-8", body: ev(furnisher, own, "s-1"),
			status: 200, results: []string{"duplicate"}},
		{name: "structured, no consent", contentType: "application/cloudevents+json", body: ev(furnisher, other, "s-2"),
			status: 403, code: "forbidden", message: "rejected (no_consent)"},
		// A furnisher does not learn whether an unknown person is registered.
		{name: "structured, unknown subject", contentType: "application/cloudevents+json", body: ev(furnisher, "nobody", "s-3"),
			status: 403, code: "forbidden", message: "rejected (no_consent): subject nobody has not consented to furnishing by"},
		{name: "structured, same id, other content", contentType: "application/cloudevents+json",
			body:   strings.Replace(ev(furnisher, own, "s-1"), `"kind":"hard"`, `"kind":"soft"`, 1),
			status: 409, code: "conflict", message: "rejected (conflict)"},
		{name: "structured, another source", contentType: "application/cloudevents+json", body: ev("someone-else", own, "s-4"),
			status: 400, code: "invalid", message: "source: must be the sending client's id"},
		{name: "structured, future", contentType: "application/cloudevents+json", body: future,
			status: 400, code: "invalid", message: "rejected (future_time): time:"},
		{name: "structured, key twice", contentType: "application/cloudevents+json",
			body:   strings.Replace(ev(furnisher, own, "s-5"), `"id":`, `"subject":"`+other+`","id":`, 1),
			status: 400, code: "invalid", message: "repeats the key $.subject"},
		{name: "structured, an array", contentType: "application/cloudevents+json", body: "[" + ev(furnisher, own, "s-6") + "]",
			status: 400, code: "invalid", message: "must be a JSON object"},
		{name: "binary", contentType: "application/json", headers: binary("b-1"), body: data,
			status: 200, results: []string{"accepted"}},
		{name: "binary again", contentType: "application/json", headers: binary("b-1"), body: data,
			status: 200, results: []string{"duplicate"}},
		{name: "binary, no ce-id", contentType: "application/json", headers: noID, body: data,
			status: 400, code: "invalid", message: "ce-id: required"},
		{name: "binary, bad data", contentType: "application/json", headers: binary("b-2"), body: `{"kind":"loud","purpose":"credit_application"}`,
			status: 400, code: "invalid", message: "data.kind"},
		{name: "binary, text data", contentType: "text/plain", headers: binary("b-3"), body: "hello",
			status: 415, code: "unsupported_media_type", message: "binary mode"},
		{name: "batch", contentType: "application/cloudevents-batch+json",
			body:   "[" + ev(furnisher, own, "t-1") + "," + ev(furnisher, other, "t-2") + "," + ev(furnisher, own, "s-1") + "]",
			status: 200, results: []string{"accepted", "rejected", "duplicate"}},
		{name: "empty batch", contentType: "application/cloudevents-batch+json", body: "[]", status: 200, results: []string{}},
		{name: "batch, an object", contentType: "application/cloudevents-batch+json", body: ev(furnisher, own, "t-3"),
			status: 400, code: "invalid", message: "must be a JSON array"},
		{name: "batch, a number inside", contentType: "application/cloudevents-batch+json", body: "[" + ev(furnisher, own, "t-4") + ",7]",
			status: 400, code: "invalid", message: "[1]: an event must be a JSON object"},
		{name: "wrapper", contentType: "application/json", body: `{"events":[` + ev(furnisher, own, "w-1") + `]}`,
			status: 200, results: []string{"accepted"}},
		{name: "xml", contentType: "application/xml", body: "<event/>",
			status: 415, code: "unsupported_media_type", message: "application/cloudevents+json"},
		{name: "avro", contentType: "application/cloudevents+avro", body: "x",
			status: 415, code: "unsupported_media_type", message: "not accepted"},
	}
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		req, err := http.NewRequest("POST", f.url+"/v1/events", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", c.contentType)
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", c.name, ct)
		}
		for _, e := range validateResponse(doc, "POST", "/v1/events", resp.StatusCode, b) {
			t.Errorf("%s: %d does not match openapi.yaml: %s", c.name, resp.StatusCode, e)
		}
		var body struct {
			Results []opencredit.IngestResult `json:"results"`
			Error   struct{ Code, Message string }
		}
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, b)
		}
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, b, c.status)
			continue
		}
		if c.status != 200 {
			if body.Error.Code != c.code || !strings.Contains(body.Error.Message, c.message) {
				t.Errorf("%s: %s, want %s with %q", c.name, b, c.code, c.message)
			}
			continue
		}
		var got []string
		for _, r := range body.Results {
			got = append(got, r.Status)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.results) || body.Results == nil {
			t.Errorf("%s: results %s, want %v", c.name, b, c.results)
		}
	}
	// The store holds each accepted event once, and nothing refused.
	held := storedIDs(t, f, own)
	for _, id := range []string{"s-0", "s-1", "b-1", "t-1", "w-1"} {
		if held[id] != 1 {
			t.Errorf("event %s stored %d times, want once", id, held[id])
		}
	}
	for _, id := range []string{"s-5", "s-6", "s-future", "b-2", "b-3", "t-3", "t-4"} {
		if held[id] != 0 {
			t.Errorf("refused event %s is stored", id)
		}
	}
	if n := len(storedIDs(t, f, other)); n != 0 {
		t.Errorf("%d events stored for the subject who gave no consent", n)
	}
}

// storedIDs counts the stored events of subject by id.
func storedIDs(t *testing.T, f *fixture, subject string) map[string]int {
	t.Helper()
	evs, err := f.store.Events(context.Background(), subject)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range evs {
		out[e.ID]++
	}
	return out
}

// TestCloudEventsNeedFurnisher: the new modes go through the same
// authentication and role check as the wrapper.
func TestCloudEventsNeedFurnisher(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"", lender, selfClient} {
		req, _ := http.NewRequest("POST", f.url+"/v1/events", bytes.NewReader(inquiry(furnisher, own, "x-1")))
		req.Header.Set("Content-Type", "application/cloudevents+json")
		if id != "" {
			req.Header.Set("Authorization", "Bearer "+f.keys[id])
		}
		r := send(t, req)
		if want := map[bool]int{true: 401, false: 403}[id == ""]; r.status != want {
			t.Errorf("client %q: %d %s, want %d", id, r.status, r.raw, want)
		}
	}
	if n := storedIDs(t, f, own)["x-1"]; n != 0 {
		t.Errorf("an event sent without a furnisher's key is stored")
	}
}
