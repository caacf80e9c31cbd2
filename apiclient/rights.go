package apiclient

import (
	"context"
	"net/url"
	"strconv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

func subjectPath(subject, rest string) string {
	return "/v1/subjects/" + url.PathEscape(subject) + rest
}

// Register registers a person (an operator's call) and, with issueKey,
// their subject client, whose key the answer holds this once.
func (c *Client) Register(ctx context.Context, q api.RegisterRequest) (api.RegisterResponse, error) {
	var out api.RegisterResponse
	err := c.do(ctx, "POST", "/v1/subjects", q, &out)
	return out, err
}

// Accesses reads a page of who accessed the subject's file, from audit
// index from on, at most limit entries (0: the server's default).
func (c *Client) Accesses(ctx context.Context, subject string, from int64, limit int) (api.AccessesResponse, error) {
	var out api.AccessesResponse
	q := url.Values{"from": {strconv.FormatInt(from, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	err := c.do(ctx, "GET", subjectPath(subject, "/accesses?"+q.Encode()), nil, &out)
	return out, err
}

// Consents lists the subject's consents, withdrawn ones included.
func (c *Client) Consents(ctx context.Context, subject string) (api.ConsentsResponse, error) {
	var out api.ConsentsResponse
	err := c.do(ctx, "GET", subjectPath(subject, "/consents"), nil, &out)
	return out, err
}

// GrantConsent grants, from now, the subject's consent to counterparty for purpose.
func (c *Client) GrantConsent(ctx context.Context, subject, counterparty, purpose string) (opencredit.Consent, error) {
	var out opencredit.Consent
	err := c.do(ctx, "POST", subjectPath(subject, "/consents"), api.ConsentRequest{Counterparty: counterparty, Purpose: purpose}, &out)
	return out, err
}

// WithdrawConsent withdraws, now, the subject's consent to counterparty
// for purpose, and returns the subject's consents after it.
func (c *Client) WithdrawConsent(ctx context.Context, subject, counterparty, purpose string) (api.ConsentsResponse, error) {
	var out api.ConsentsResponse
	err := c.do(ctx, "POST", subjectPath(subject, "/consents/withdraw"), api.ConsentRequest{Counterparty: counterparty, Purpose: purpose}, &out)
	return out, err
}

// Freeze puts a security freeze on the subject's file.
func (c *Client) Freeze(ctx context.Context, subject string) (api.FreezeResponse, error) {
	var out api.FreezeResponse
	err := c.do(ctx, "POST", subjectPath(subject, "/freeze"), nil, &out)
	return out, err
}

// Unfreeze lifts the freeze on the subject's file.
func (c *Client) Unfreeze(ctx context.Context, subject string) (api.FreezeResponse, error) {
	var out api.FreezeResponse
	err := c.do(ctx, "POST", subjectPath(subject, "/unfreeze"), nil, &out)
	return out, err
}

// Export returns everything held about the subject as one document.
func (c *Client) Export(ctx context.Context, subject string) (api.SubjectExport, error) {
	var out api.SubjectExport
	err := c.do(ctx, "GET", subjectPath(subject, "/export"), nil, &out)
	return out, err
}

// Erase erases the subject's file, under the legal hold the README states.
func (c *Client) Erase(ctx context.Context, subject string) (api.ErasureResponse, error) {
	var out api.ErasureResponse
	err := c.do(ctx, "DELETE", subjectPath(subject, ""), nil, &out)
	return out, err
}
