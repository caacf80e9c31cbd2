package witness_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/opencredit/opencredit/witness"
)

// FuzzParseRequest feeds the add-checkpoint decoder any body, as anyone on
// the network may send one. It either refuses with a 400 Error or returns
// a request that FormatRequest writes back to the same bytes; it never
// panics.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte("old 0\n\nlog\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— log abc\n"))
	f.Add([]byte("old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\nx\n"))
	f.Add([]byte("old 01\n\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := witness.ParseRequest(body)
		if err != nil {
			var we *witness.Error
			if !errors.As(err, &we) || we.Status != http.StatusBadRequest {
				t.Fatalf("a refusal that is not a 400: %v", err)
			}
			return
		}
		if req.OldSize < 0 || len(req.Proof) > 63 || len(req.Checkpoint) == 0 {
			t.Fatalf("accepted %+v", req)
		}
		if got := witness.FormatRequest(req); !bytes.Equal(got, body) {
			t.Fatalf("FormatRequest(ParseRequest(%q)) = %q", body, got)
		}
	})
}
