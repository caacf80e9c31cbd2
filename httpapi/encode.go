package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// encode writes v as JSON with the given status.
func encode[T any](w http.ResponseWriter, status int, v T) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent; a failure now is the client going away.
	_ = json.NewEncoder(w).Encode(v)
}

// validator is implemented by request bodies that check themselves.
type validator interface {
	Valid() error
}

// decode reads one JSON object of type T from the request body under the
// API's one input rule (strict.go) — Content-Type, no repeated key, no
// unknown field, no trailing data, the route's size limit — and validates it.
func decode[T validator](r *http.Request) (T, error) {
	var v T
	b, err := readBody(r)
	if err != nil {
		return v, err
	}
	if err := decodeJSON(b, &v); err != nil {
		return v, err
	}
	return v, v.Valid()
}

// decodeJSON decodes a body readBody or readJSON checked into v: no
// unknown field, nothing after the value.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return bodyError(err)
		}
		return opencredit.Errorf(opencredit.EINVALID, "the body holds data after its JSON value")
	}
	return nil
}

// bodyError turns a decoding failure into a coded error.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return opencredit.Errorf(api.CodeTooLarge, "the body is larger than %d bytes", tooLarge.Limit)
	}
	if errors.Is(err, io.EOF) {
		return opencredit.Errorf(opencredit.EINVALID, "the body is empty; a JSON object is required")
	}
	return opencredit.Errorf(opencredit.EINVALID, "the body is not valid JSON for this request: %v", err)
}

// writeError writes err as {"error": {"code", "message"}}. An internal
// error's detail goes to the log, with the request id, and the caller sees
// only "internal error". The detail holds ids and causes, never a name or a
// national id: the store never puts PII in its errors.
func writeError(d Deps, w http.ResponseWriter, r *http.Request, err error) {
	code := opencredit.ErrorCode(err)
	status := api.StatusOf(code)
	if status < http.StatusInternalServerError && d.metrics != nil {
		d.metrics.refusals.WithLabelValues(code).Inc()
	}
	if status == http.StatusServiceUnavailable {
		// The store will be back: say when to try again, and tell the
		// operator once per request.
		w.Header().Set("Retry-After", "1")
		d.Logger.LogAttrs(r.Context(), slog.LevelWarn, "store unavailable",
			slog.String("request_id", requestID(r.Context())), slog.String("route", r.Pattern), slog.String("error", err.Error()))
	}
	var body api.Error
	body.Error.Code = code
	if status == http.StatusInternalServerError {
		body.Error.Code = opencredit.EINTERNAL
		body.Error.Message = "internal error"
		d.Logger.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestID(r.Context())), slog.String("route", r.Pattern),
			slog.String("error", err.Error()))
	} else {
		var e *opencredit.Error
		if errors.As(err, &e) {
			body.Error.Message = e.Message
		} else {
			body.Error.Message = fmt.Sprint(err)
		}
	}
	encode(w, status, body)
}

// prefersHTML reports whether an Accept header ranks text/html above JSON
// (RFC 9110 §12.5.1): a browser's "text/html,...,*/*;q=0.8" does, an API
// client's "application/json" or "*/*" does not. JSON not named explicitly
// takes the weight of application/* or */*.
func prefersHTML(accept string) bool {
	htmlQ, jsonQ, anyQ := -1.0, -1.0, -1.0
	for _, rng := range strings.Split(accept, ",") {
		media, params, _ := strings.Cut(rng, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(media)) {
		case "text/html":
			htmlQ = max(htmlQ, q)
		case "application/json":
			jsonQ = max(jsonQ, q)
		case "application/*", "*/*":
			anyQ = max(anyQ, q)
		}
	}
	if jsonQ < 0 {
		jsonQ = anyQ
	}
	return htmlQ > 0 && htmlQ > jsonQ
}
