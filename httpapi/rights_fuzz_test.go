package httpapi

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/rights"
)

// FuzzRightsBodies feeds any bytes to the decoders of the rights routes'
// bodies (a consent grant or withdrawal, a registration) and the PII check
// a registration runs: no panic, only an invalid error (or too_large), and
// a body that decodes is one that validates.
func FuzzRightsBodies(f *testing.F) {
	for _, s := range []string{
		`{"counterparty":"lender-a","purpose":"credit_application"}`,
		`{"counterparty":"","purpose":"x"}`,
		`{"id":"p1","name":"Ann","national_id":"N1","date_of_birth":"1980-01-02","issue_key":true,"client_id":"self-p1"}`,
		`{"id":"p1","date_of_birth":"1980-02-30"}`,
		`{"id":"p1","id":"p2"}`, `{"id":1}`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, try := range []func() error{
			func() error {
				r := httptest.NewRequest("POST", "/v1/subjects/s/consents", bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				q, err := decode[api.ConsentRequest](r)
				if err == nil && (q.Counterparty == "" || q.Purpose == "") {
					t.Fatalf("decoded %+v without a counterparty or purpose", q)
				}
				return err
			},
			func() error {
				r := httptest.NewRequest("POST", "/v1/subjects", bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				q, err := decode[api.RegisterRequest](r)
				if err != nil {
					return err
				}
				if q.ID == "" {
					t.Fatalf("decoded %+v without an id", q)
				}
				return rights.CheckPII(opencredit.PII{Name: q.Name, NationalID: q.NationalID, DateOfBirth: q.DateOfBirth}, now)
			},
		} {
			if err := try(); err != nil {
				if c := opencredit.ErrorCode(err); c != opencredit.EINVALID && c != api.CodeTooLarge {
					t.Fatalf("error %v has code %q, want invalid", err, c)
				}
			}
		}
	})
}
