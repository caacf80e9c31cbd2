package ingest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// TestDigest: the digest ignores how the same content is encoded and
// changes with every part of the content.
func TestDigest(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	base := opencredit.Event{SpecVersion: "1.0", ID: "e1", Source: "f1", Type: opencredit.TypePaymentMade, Subject: "s1", Time: at,
		Data: json.RawMessage(`{"account_id":"a1","amount":120.5,"due_date":"2025-03-01"}`)}
	d := ingest.Digest(base)

	same := map[string]func(*opencredit.Event){
		"whitespace and key order": func(e *opencredit.Event) {
			e.Data = json.RawMessage("{ \"due_date\": \"2025-03-01\",\n \"amount\": 120.50, \"account_id\": \"a1\" }")
		},
		"another zone":         func(e *opencredit.Event) { e.Time = at.In(time.FixedZone("UTC-5", -5*3600)) },
		"content type given":   func(e *opencredit.Event) { e.DataContentType = opencredit.DataContentType },
		"another specversion":  func(e *opencredit.Event) { e.SpecVersion = "" }, // not content: validation owns it
		"another id or source": func(e *opencredit.Event) { e.ID, e.Source = "e2", "f2" },
	}
	for name, change := range same {
		e := base
		change(&e)
		if got := ingest.Digest(e); got != d {
			t.Errorf("%s: digest %s, want %s as for the original", name, got, d)
		}
	}
	other := map[string]func(*opencredit.Event){
		"type":         func(e *opencredit.Event) { e.Type = opencredit.TypePaymentMissed },
		"subject":      func(e *opencredit.Event) { e.Subject = "s2" },
		"time":         func(e *opencredit.Event) { e.Time = at.Add(time.Nanosecond) },
		"content type": func(e *opencredit.Event) { e.DataContentType = "application/xml" },
		"amount": func(e *opencredit.Event) {
			e.Data = json.RawMessage(`{"account_id":"a1","amount":120.51,"due_date":"2025-03-01"}`)
		},
		"a field more": func(e *opencredit.Event) {
			e.Data = json.RawMessage(`{"account_id":"a1","amount":120.5,"due_date":"2025-03-01","x":null}`)
		},
		// Field boundaries are length-prefixed: moving a byte from the type
		// into the subject is another event.
		"boundary": func(e *opencredit.Event) {
			e.Type, e.Subject = e.Type[:len(e.Type)-1], e.Type[len(e.Type)-1:]+e.Subject
		},
	}
	for name, change := range other {
		e := base
		change(&e)
		if got := ingest.Digest(e); got == d {
			t.Errorf("another %s: digest unchanged", name)
		}
	}
}
