package api

import (
	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/rights"
)

// The person's rights (package rights): one definition of each body, the
// use case's, so that the export document the CLI writes and the one the
// API answers are the same.
type (
	// AccessesResponse is the body of GET /v1/subjects/{id}/accesses.
	AccessesResponse = rights.AccessPage
	// FreezeResponse is the body of POST /v1/subjects/{id}/freeze and /unfreeze.
	FreezeResponse = rights.FreezeState
	// SubjectExport is the body of GET /v1/subjects/{id}/export (schema
	// version rights.ExportVersion).
	SubjectExport = rights.Export
	// ErasureResponse is the body of DELETE /v1/subjects/{id}.
	ErasureResponse = rights.Erasure
)

// ConsentsResponse is the body of GET /v1/subjects/{id}/consents.
type ConsentsResponse struct {
	Subject  string               `json:"subject"`
	Consents []opencredit.Consent `json:"consents"`
}

// ConsentRequest is the body of POST /v1/subjects/{id}/consents (a grant,
// from now) and of POST /v1/subjects/{id}/consents/withdraw.
type ConsentRequest struct {
	Counterparty string `json:"counterparty"`
	Purpose      string `json:"purpose"`
}

// Valid checks that both fields are given.
func (q ConsentRequest) Valid() error {
	if q.Counterparty == "" || q.Purpose == "" {
		return opencredit.Errorf(opencredit.EINVALID, "counterparty and purpose are required")
	}
	return nil
}

// RegisterRequest is the body of POST /v1/subjects: a person's id and PII
// and, with issue_key, their subject client (client_id, default "self-"
// and the id).
type RegisterRequest struct {
	ID          string          `json:"id"`
	Name        string          `json:"name,omitempty"`
	NationalID  string          `json:"national_id,omitempty"`
	DateOfBirth opencredit.Date `json:"date_of_birth,omitempty"`
	IssueKey    bool            `json:"issue_key,omitempty"`
	ClientID    string          `json:"client_id,omitempty"`
}

// Valid checks that the id is given.
func (q RegisterRequest) Valid() error {
	if q.ID == "" {
		return opencredit.Errorf(opencredit.EINVALID, "id is required")
	}
	return nil
}

// RegisterResponse is the answer to POST /v1/subjects: the subject and,
// when a key was asked for, its client and the key, shown this once.
type RegisterResponse struct {
	Subject opencredit.Subject `json:"subject"`
	Client  *opencredit.Client `json:"client,omitempty"`
	Key     string             `json:"key,omitempty"`
}
