// Package httpapi is OpenCredit's HTTP/JSON API: furnishers send events,
// lenders pull scores and decisions for a permissible purpose and a
// consented subject, and people read their own data. Every score, decision
// and data access is written to the audit log before the response is sent.
//
// The layout follows Mat Ryer's "How I write HTTP services": NewServer takes
// every dependency and returns one http.Handler, routes.go lists the whole
// surface, and each handler is a function returning an http.Handler.
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/model"
)

// Deps are what the server needs. Store and Model are required. Audit may be
// nil only in tests that do not check the audit trail; a server started by
// the command always has one. Now defaults to time.Now and Logger to a
// logger that discards.
//
// RatePerSecond and Burst limit each client (by client id) to a token
// bucket: Burst requests at once, refilled at RatePerSecond. A
// RatePerSecond of 0 means no limit; a Burst of 0 means RatePerSecond
// rounded up, at least 1. A client over its limit gets 429 with Retry-After.
type Deps struct {
	Store         opencredit.Store
	Model         *model.Model
	Programs      []decision.Program
	Audit         *audit.Log
	Now           func() time.Time
	Logger        *slog.Logger
	RatePerSecond float64
	Burst         int

	// Set by NewServer: one registry and one set of buckets per server,
	// and the model's id (model.ID).
	metrics *metrics
	limiter *limiter
	modelID string
}

// Body limits: one request body, and a batch of events (up to ten
// maximum-size events' worth of envelope and payload).
const (
	MaxBodyBytes       = 1 << 20
	MaxEventsBodyBytes = 10 << 20
)

// NewServer returns the API's handler. It panics if Store or Model is nil,
// or the Model has no id: a server without them is a wiring mistake, not a
// runtime condition (the commands check the model with CheckModel first).
func NewServer(d Deps) http.Handler {
	if d.Store == nil || d.Model == nil {
		panic("httpapi: NewServer needs a Store and a Model")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	id, err := model.ID(d.Model)
	if err != nil {
		panic("httpapi: the model cannot be encoded: " + err.Error())
	}
	d.modelID = id
	d.metrics = newMetrics()
	d.limiter = newLimiter(d.RatePerSecond, d.Burst, d.Now)
	mux := http.NewServeMux()
	addRoutes(mux, d)
	return logRequests(d, mux)
}
