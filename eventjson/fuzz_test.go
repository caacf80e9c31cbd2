package eventjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// FuzzDecode checks that Decode never panics, that a refusal has one of the
// reasons, and that what it accepts is a valid event by every other reading:
// Validate and Payload accept it with the same payload, and encoding/json
// reads the same envelope and payload from the same bytes (so that other
// packages that use encoding/json on stored events see what we saw).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(baseEvent))
	for _, typ := range opencredit.EventTypes {
		f.Add(mkEvent(typ, examples[typ]))
	}
	for _, c := range rejects(&testing.T{}) {
		if len(c.in) < 4096 {
			f.Add(c.in)
		}
	}
	for _, s := range []string{
		strings.Replace(string(mkEvent(opencredit.TypeRentalReturned, examples[opencredit.TypeRentalReturned])), "18:00:00Z", "18:00:00.5+05:30", 1),
		strings.Replace(baseEvent, `"id":"e1"`, `"\u0069d":"\u00e9\ud83d\ude00","ext1":true,"ext2":null,"ext3":1e3`, 1),
		strings.Replace(baseEvent, `"type"`, `"data":{},"type"`, 1),
	} {
		f.Add([]byte(s))
	}
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: 1, Subjects: 5, Furnishers: 3, Start: genStart, Months: 3})
	for e, ok := g.Next(); ok; e, ok = g.Next() {
		b, _ := json.Marshal(e)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		e, p, prob := Decode(in, testNow)
		if prob != nil {
			switch prob.Reason {
			case opencredit.ReasonInvalid, opencredit.ReasonUnknownType, opencredit.ReasonFutureTime, opencredit.ReasonTooLarge:
			default:
				t.Fatalf("reason %q", prob.Reason)
			}
			if p != nil || e.Data != nil || prob.Message == "" {
				t.Fatalf("refused with a payload, data or no message: %v", prob)
			}
			return
		}
		if p == nil || reflect.TypeOf(p) != reflect.PointerTo(payloadTypes[e.Type]) {
			t.Fatalf("payload %T for %s", p, e.Type)
		}
		if q, prob := Validate(&e, testNow); prob != nil || !sameJSON(p, q) {
			t.Fatalf("Validate: %v, payload %#v, want %#v", prob, q, p)
		}
		if q, err := Payload(e); err != nil || !sameJSON(p, q) {
			t.Fatalf("Payload: %v, payload %#v, want %#v", err, q, p)
		}

		// encoding/json reads the same.
		if !json.Valid(in) {
			t.Fatal("accepted what encoding/json calls invalid")
		}
		var je opencredit.Event
		if err := json.Unmarshal(in, &je); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if !sameJSON(e, je) {
			t.Fatalf("encoding/json reads the envelope as %+v, Decode as %+v", je, e)
		}
		jp := reflect.New(payloadTypes[e.Type]).Interface()
		dec := json.NewDecoder(bytes.NewReader(e.Data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(jp); err != nil {
			t.Fatalf("encoding/json: data: %v", err)
		}
		if !sameJSON(p, jp) {
			t.Fatalf("encoding/json reads the data as %#v, Decode as %#v", jp, p)
		}

		// The event encoded again decodes to the same.
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encoding the event: %v", err)
		}
		e2, p2, prob := Decode(b, testNow)
		if prob != nil || !sameJSON(e, e2) || !sameJSON(p, p2) {
			t.Fatalf("encoded again %s: %v", b, prob)
		}
	})
}
