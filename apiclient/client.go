// Package apiclient is the Go client of OpenCredit's HTTP API (httpapi):
// scores, decisions, events, a subject's own data, disputes and reviews,
// and the operators' routes. It sends and reads the wire types of package api, the ones the
// server encodes and the OpenAPI document at /openapi.yaml describes.
//
// Every error the server answers with comes back as an *opencredit.Error
// carrying the body's code (refused, forbidden, not_found, invalid,
// unauthorized, rate_limited, too_large, …) and message, wrapping a
// *StatusError with the HTTP status and, for a 429, the Retry-After wait.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// Client calls one OpenCredit server as one API client. It is safe for
// concurrent use.
type Client struct {
	base string
	key  string
	http *http.Client
}

// Option adjusts a Client.
type Option func(*Client)

// WithHTTPClient makes the Client send its requests with hc instead of
// http.DefaultClient: to set timeouts, TLS or a transport that keeps more
// idle connections per host.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// New returns a client of the server at baseURL (e.g.
// "http://127.0.0.1:8080") that authenticates with apiKey.
func New(baseURL, apiKey string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), key: apiKey, http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// StatusError is the HTTP side of an error answer, wrapped inside the
// *opencredit.Error the client returns.
type StatusError struct {
	Status int
	// RetryAfter is the wait the server asked for with a 429's Retry-After
	// header; zero otherwise.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("HTTP %d, retry after %s", e.Status, e.RetryAfter)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// RetryAfter returns the wait a rate-limited server asked for, and whether
// err is such an answer.
func RetryAfter(err error) (time.Duration, bool) {
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusTooManyRequests {
		return se.RetryAfter, true
	}
	return 0, false
}

// do sends a request with body in as JSON (none if in is nil) and decodes a
// 2xx answer into out (ignored if out is nil).
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return &opencredit.Error{Code: opencredit.EINVALID, Message: "client: cannot encode the request", Err: err}
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return &opencredit.Error{Code: opencredit.EINVALID, Message: "client: bad request", Err: err}
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "client: " + method + " " + path, Err: err}
	}
	defer resp.Body.Close()
	// Read the whole body so the connection can be reused.
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "client: reading the answer to " + method + " " + path, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return answerError(resp, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "client: the answer to " + method + " " + path + " is not the expected JSON", Err: err}
	}
	return nil
}

// answerError turns a non-2xx answer into an *opencredit.Error. A body that
// is not the API's Error object (a proxy's page, say) gets a code from the
// status alone.
func answerError(resp *http.Response, body []byte) error {
	se := &StatusError{Status: resp.StatusCode}
	if resp.StatusCode == http.StatusTooManyRequests {
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			se.RetryAfter = time.Duration(s) * time.Second
		}
	}
	var eb api.Error
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error.Code != "" {
		return &opencredit.Error{Code: eb.Error.Code, Message: eb.Error.Message, Err: se}
	}
	return &opencredit.Error{Code: api.CodeOf(resp.StatusCode), Message: http.StatusText(resp.StatusCode), Err: se}
}
