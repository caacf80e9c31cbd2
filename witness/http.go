package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit/audit"
)

// Handler serves the witness's HTTP interface:
//
//	POST /add-checkpoint        tlog-witness: the body of FormatRequest; 200 with the cosignature lines
//	GET  /checkpoint?origin=O   the latest checkpoint cosigned for log O, signed and cosigned (text/plain); 404 if none
//
// The second is this witness's own read interface (tlog-witness leaves the
// monitors' one to be designed): audit verify and serve's start ask it for
// the tree the log must extend.
func Handler(w *Witness) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add-checkpoint", func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxRequestBytes))
		if err != nil {
			http.Error(rw, "witness: the body is larger than "+strconv.Itoa(MaxRequestBytes)+" bytes", http.StatusRequestEntityTooLarge)
			return
		}
		req, err := ParseRequest(body)
		var lines []byte
		if err == nil {
			lines, err = w.AddCheckpoint(r.Context(), req)
		}
		var we *Error
		switch {
		case errors.As(err, &we) && we.Size >= 0:
			rw.Header().Set("Content-Type", "text/x.tlog.size")
			rw.WriteHeader(we.Status)
			fmt.Fprintf(rw, "%d\n", we.Size)
		case errors.As(err, &we):
			http.Error(rw, we.Error(), we.Status)
		case err != nil:
			http.Error(rw, "witness: internal error", http.StatusInternalServerError)
		default:
			rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
			rw.Write(lines)
		}
	})
	mux.HandleFunc("GET /checkpoint", func(rw http.ResponseWriter, r *http.Request) {
		origin := r.URL.Query().Get("origin")
		cp, ok := w.Latest(origin)
		if !ok {
			http.Error(rw, fmt.Sprintf("witness: no checkpoint of log %q cosigned", truncate([]byte(origin))), http.StatusNotFound)
			return
		}
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.Write(cp)
	})
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		io.WriteString(rw, "ok\n")
	})
	return mux
}

// Client calls one witness for one log. Its zero HTTP is
// http.DefaultClient.
type Client struct {
	URL     string        // the witness's URL prefix, e.g. https://witness.example/w1
	Key     note.Verifier // the witness's cosignature key (audit.NewCosignatureVerifier)
	Log     note.Verifier // the log's key: the cosigned notes must carry its signature
	HTTP    *http.Client
	MaxBody int64 // bound on a response; 0 is 64 KiB
}

// ConflictError is the witness's 409 on a stale old size: it last cosigned
// a checkpoint of Size records.
type ConflictError struct{ Size int64 }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("witness: the latest checkpoint it cosigned is of %d records", e.Size)
}

// ErrNone is Latest's error when the witness has cosigned no checkpoint of
// the log.
var ErrNone = errors.New("witness: no checkpoint of the log cosigned yet")

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func (c *Client) read(r io.Reader) ([]byte, error) {
	limit := c.MaxBody
	if limit == 0 {
		limit = 64 << 10
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("witness %s: the response is larger than %d bytes", c.URL, limit)
	}
	return b, err
}

// AddCheckpoint sends checkpoint (signed by the log) with the consistency
// proof from old, and returns the checkpoint with the witness's
// cosignature added, checked with Key. A 409 with a size is a
// *ConflictError.
func (c *Client) AddCheckpoint(ctx context.Context, old int64, proof tlog.TreeProof, checkpoint []byte) ([]byte, error) {
	body := FormatRequest(Request{OldSize: old, Proof: proof, Checkpoint: checkpoint})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.URL, "/")+"/add-checkpoint", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := c.read(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusConflict && resp.Header.Get("Content-Type") == "text/x.tlog.size" {
		n, err := strconv.ParseInt(strings.TrimSuffix(string(b), "\n"), 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("witness %s: a 409 whose body %q is not a size", c.URL, truncate(b))
		}
		return nil, &ConflictError{Size: n}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("witness %s refused the checkpoint: %s: %s", c.URL, resp.Status, strings.TrimSpace(truncate(b)))
	}
	// The response is signature lines: appended to the checkpoint, they
	// make a note that must verify with the witness's key.
	cosigned := append(bytes.Clone(checkpoint), b...)
	if err := c.check(cosigned); err != nil {
		return nil, err
	}
	return cosigned, nil
}

// Latest returns the latest checkpoint the witness cosigned for the log,
// checked: signed by Log, cosigned by Key. It is ErrNone if there is none.
func (c *Client) Latest(ctx context.Context) ([]byte, error) {
	u := strings.TrimSuffix(c.URL, "/") + "/checkpoint?origin=" + url.QueryEscape(c.Log.Name())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := c.read(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNone
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("witness %s: %s: %s", c.URL, resp.Status, strings.TrimSpace(truncate(b)))
	}
	if err := c.check(b); err != nil {
		return nil, err
	}
	return b, nil
}

// check verifies that n carries the log's signature and the witness's
// cosignature.
func (c *Client) check(signed []byte) error {
	n, err := note.Open(signed, note.VerifierList(c.Log, c.Key))
	if err != nil {
		return fmt.Errorf("witness %s: the cosigned checkpoint does not verify: %w", c.URL, err)
	}
	var log, wit bool
	for _, s := range n.Sigs {
		log = log || (s.Name == c.Log.Name() && s.Hash == c.Log.KeyHash())
		wit = wit || (s.Name == c.Key.Name() && s.Hash == c.Key.KeyHash())
	}
	if !log || !wit {
		return fmt.Errorf("witness %s: the checkpoint lacks the log's signature or the witness's cosignature (%s)", c.URL, c.Key.Name())
	}
	if _, err := audit.OpenCheckpoint(c.Log, signed); err != nil {
		return fmt.Errorf("witness %s: %w", c.URL, err)
	}
	return nil
}
