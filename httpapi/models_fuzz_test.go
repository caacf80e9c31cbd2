package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

// FuzzAddModelBody: the body of POST /v1/models, decoded as the handler
// does (the envelope, then the artifact through loadArtifact), never
// panics and refuses only with EINVALID (or too_large); an artifact it
// accepts has an id, and saving and loading it again gives the same id,
// so the registry's id names what was sent.
func FuzzAddModelBody(f *testing.F) {
	m, err := modeltest.Scorecard(500, modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1}, []int{60, 0}, 60))
	if err != nil {
		f.Fatal(err)
	}
	var art bytes.Buffer
	if err := m.Save(&art); err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(map[string]any{"name": "q4", "model": json.RawMessage(art.Bytes())})
	f.Add(good)
	for _, s := range []string{`{"model":{}}`, `{"model":{"schema_version":1}}`, `{"model":null}`, `{"name":"x"}`,
		`{"model":{"schema_version":1,"kind":"scorecard","features":[{"name":"x","bins":[]}]}}`, `{"model":"x"}`, `null`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q, ok := fuzzDecode[api.ModelAddRequest](t, b)
		if !ok {
			return
		}
		m, err := loadArtifact(q.Model)
		if err != nil {
			if code := opencredit.ErrorCode(err); code != opencredit.EINVALID {
				t.Fatalf("artifact of %q: code %s: %v", b, code, err)
			}
			return
		}
		id, err := model.ID(m)
		if err != nil {
			t.Fatalf("accepted %q without an id: %v", b, err)
		}
		var again bytes.Buffer
		if err := m.Save(&again); err != nil {
			t.Fatal(err)
		}
		m2, err := model.Load(&again)
		if err != nil {
			t.Fatalf("accepted %q, whose saved artifact does not load: %v", b, err)
		}
		if id2, _ := model.ID(m2); id2 != id {
			t.Fatalf("accepted %q: id %s, %s after a save and load", b, id, id2)
		}
	})
}
