// Package scoring is the credit pull and the decision, as one use case that
// every caller shares: the HTTP API, the demo, and the person's pages,
// stream consumers and shadow models to come. A pull runs
//
//	authorize (purpose, role, consent) → live features → model → points and
//	reasons → hard inquiry (credit_application) → audit record
//
// and nothing is returned that was not recorded first; a refusal at any
// step is recorded too, with its code (refuse.go). The package holds no
// HTTP and no driver: it reads and writes through the small Store and Log
// interfaces below, which opencredit.Store and *audit.Log satisfy.
package scoring

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/model"
)

// Store is what a pull reads and writes: consents, freezes, live features,
// the hard inquiry it leaves, the events a notice names the furnishers of,
// and the disputes and reviews of the person's side. opencredit.Store
// satisfies it.
type Store interface {
	HasConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) (bool, error)
	Frozen(ctx context.Context, subject string, at time.Time) (bool, error)
	Features(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error)
	Ingest(ctx context.Context, batch []opencredit.Event) ([]opencredit.IngestResult, error)
	Events(ctx context.Context, subject string) ([]opencredit.StoredEvent, error)
	Consents(ctx context.Context, subject string) ([]opencredit.Consent, error)
	opencredit.DisputeStore
	opencredit.ReviewStore
}

// Log is where every access is recorded before its answer is given.
// *audit.Log satisfies it.
type Log interface {
	Append(ctx context.Context, recs ...audit.Record) (int64, error)
	// Record returns the canonical bytes of record n: a review reads the
	// decision it names.
	Record(ctx context.Context, n int64) ([]byte, error)
}

// Config is what a Service needs. Store, Model and Log are required; Now
// defaults to time.Now and InquiryWindow to DefaultInquiryWindow.
type Config struct {
	Store    Store
	Model    *model.Model
	Programs []decision.Program
	Log      Log
	Now      func() time.Time
	// InquiryWindow is how long one lender's repeated credit_application
	// pulls of one person count as one hard inquiry.
	InquiryWindow time.Duration
	// Observer, if set, sees every live score (pulls and decisions, not a
	// person's history): the drift monitor (package monitor).
	Observer Observer
	// Shadow, if set, is given each live score beside the challenger's on
	// the same features, once SetChallenger names one.
	Shadow Shadow
	// Random draws the ids of disputes and reviews; crypto/rand when nil.
	Random io.Reader
}

// Shadow compares the model in service with a challenger scoring in shadow.
// The results are not to be kept.
type Shadow interface {
	Compare(championID string, champion *model.Result, challengerID string, challenger *model.Result)
}

// Observer is told of each live score: the model's id, the model, and the
// result, which it must not keep.
type Observer interface {
	Observe(id string, m *model.Model, r *model.Result)
}

// Service runs pulls and decisions. It is safe for concurrent use.
type Service struct {
	store Store
	// served is the model in service and its id, swapped whole by SetModel:
	// a request reads it once and scores, names and records with that one.
	served   atomic.Pointer[served]
	programs []decision.Program
	log      Log
	now      func() time.Time
	// inquiryWindow: see Config.InquiryWindow.
	inquiryWindow time.Duration
	observer      Observer
	shadow        Shadow
	challenger    atomic.Pointer[served] // nil: no challenger
	random        io.Reader
}

// New returns a Service, or an error naming what is missing or wrong: a
// model the service cannot serve is refused here (CheckModel), so a wrong
// model stops the server at start, not at the first request.
func New(c Config) (*Service, error) {
	switch {
	case c.Store == nil:
		return nil, opencredit.Errorf(opencredit.EINVALID, "scoring: no store")
	case c.Model == nil:
		return nil, opencredit.Errorf(opencredit.EINVALID, "scoring: no model")
	case c.Log == nil:
		return nil, opencredit.Errorf(opencredit.EINVALID, "scoring: no audit log: every access must be recorded")
	}
	m, err := newServed(c.Model)
	if err != nil {
		return nil, err
	}
	for _, p := range c.Programs {
		if err := p.Validate(); err != nil {
			return nil, err
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	switch {
	case c.InquiryWindow == 0:
		c.InquiryWindow = DefaultInquiryWindow
	case c.InquiryWindow < 0:
		return nil, opencredit.Errorf(opencredit.EINVALID, "scoring: the inquiry window %s is negative", c.InquiryWindow)
	}
	if c.Random == nil {
		c.Random = defaultRandom
	}
	s := &Service{store: c.Store, programs: c.Programs, log: c.Log, now: c.Now, inquiryWindow: c.InquiryWindow,
		observer: c.Observer, shadow: c.Shadow, random: c.Random}
	s.served.Store(m)
	return s, nil
}

// served is a model in service with its id.
type served struct {
	model *model.Model
	id    string
}

func newServed(m *model.Model) (*served, error) {
	if err := CheckModel(m); err != nil {
		return nil, err
	}
	id, err := model.ID(m)
	if err != nil {
		return nil, &opencredit.Error{Code: opencredit.EINVALID, Message: "the model cannot be encoded, so it has no id", Err: err}
	}
	return &served{model: m, id: id}, nil
}

// Model returns the model the service scores with and its id (model.ID).
func (s *Service) Model() (*model.Model, string) {
	m := s.served.Load()
	return m.model, m.id
}

// SetModel puts m in service at once, for every request that starts after
// it; a request under way finishes with the model it started with, so no
// answer or audit record mixes two models. m is checked as New checks it,
// and a model that cannot be served leaves the current one in place. The
// programs' cut-offs are not checked again: they are scores, which any
// model's range holds.
func (s *Service) SetModel(m *model.Model) (id string, err error) {
	sv, err := newServed(m)
	if err != nil {
		return "", err
	}
	s.served.Store(sv)
	return sv.id, nil
}

// Programs returns the programs decisions can be asked for.
func (s *Service) Programs() []decision.Program { return s.programs }

// Caller is who asks: the authenticated API client, and the request id that
// ties its audit record to the server's request log.
type Caller struct {
	Client    opencredit.Client
	RequestID string
}

// Record appends one audit record of an access by the caller. Pulls,
// decisions and data reads record themselves; the API calls Record for the
// accesses that are not (a furnisher's batch, an operator's read), so that
// every record is made in one place.
func (s *Service) Record(ctx context.Context, by Caller, purpose, subject, action string, res audit.Result) error {
	_, err := s.log.Append(ctx, audit.Record{
		Time: s.now(), Client: by.Client.ID, Role: by.Client.Role, Purpose: purpose, Subject: subject,
		Action: action, Result: res, RequestID: by.RequestID,
	})
	return err
}

// SetChallenger has m score in shadow beside the model in service, on every
// live pull and decision from now on, its results handed to Config.Shadow
// and never returned or recorded as a person's score; nil ends the
// challenge. m is checked as New checks a model.
func (s *Service) SetChallenger(m *model.Model) (id string, err error) {
	if m == nil {
		s.challenger.Store(nil)
		return "", nil
	}
	if s.shadow == nil {
		return "", opencredit.Errorf(opencredit.EINVALID, "scoring: a challenger needs a Shadow to compare it in (Config.Shadow)")
	}
	sv, err := newServed(m)
	if err != nil {
		return "", err
	}
	s.challenger.Store(sv)
	return sv.id, nil
}
