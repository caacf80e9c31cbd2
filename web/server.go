package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/rights"
	"github.com/opencredit/opencredit/scoring"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what the pages read from the store themselves: only the client
// of a key, to sign a person in and to re-check them on every request.
// Everything about the person comes through the scoring use case.
// opencredit.Store satisfies it.
type Store interface {
	ClientByKey(ctx context.Context, keyHash []byte) (opencredit.Client, error)
}

// Config is what the pages need. Store and Scoring are required.
type Config struct {
	Store   Store
	Scoring *scoring.Service
	// Rights, if not nil, serves the pages of the person's rights: who
	// asked for the file, consents, freeze and export. Without it they are
	// listed as coming soon and not served.
	Rights *rights.Service
	// Links are the one-time sign-in links the server accepts; nil accepts
	// none.
	Links *Links
	// Now defaults to time.Now; Logger to one that discards.
	Now    func() time.Time
	Logger *slog.Logger
	// IdleTimeout and MaxSessionAge bound a session (DefaultIdleTimeout,
	// DefaultMaxSessionAge when 0).
	IdleTimeout, MaxSessionAge time.Duration
	// AllowAddress, if not nil, is asked before every sign-in attempt (a
	// pasted key or a link) and AllowClient before every page of a signed-in
	// client; each returns false and how long to wait when the caller is
	// over its limit. The API server passes its own per-address and
	// per-client buckets, so the pages and the API share one budget.
	AllowAddress func(r *http.Request) (bool, time.Duration)
	AllowClient  func(clientID string) (bool, time.Duration)
	// Features is the store's feature configuration, for the what-if's
	// projections (zero: features.DefaultConfig).
	Features features.Config
	// The operators' pages read these when set: the model registry (its
	// list and cards), the audit log (records, size, checkpoint) and the
	// status of its witnesses. Without one its page says so.
	Models    opencredit.ModelRegistry
	Audit     *audit.Log
	Witnesses func() []api.WitnessStatus
	// Drift and Shadow, when set, are the live monitor of the model in
	// service and its comparison with a challenger (serve's, which feed
	// /metrics too), for the monitoring page and the models page's alert.
	Drift  *monitor.Monitor
	Shadow *monitor.Shadow
}

// Server serves the person's and the operators' pages. It is safe for concurrent use.
type Server struct {
	cfg      Config
	sessions *sessions
	pages    map[string]*template.Template
	mux      *http.ServeMux
}

// New returns the pages' server. It panics if Store or Scoring is nil: a
// server without them is a wiring mistake, not a runtime condition.
func New(cfg Config) *Server {
	if cfg.Store == nil || cfg.Scoring == nil {
		panic("web: New needs a Store and a Scoring service")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSessionAge <= 0 {
		cfg.MaxSessionAge = DefaultMaxSessionAge
	}
	s := &Server{cfg: cfg, sessions: newSessions(cfg.IdleTimeout, cfg.MaxSessionAge, cfg.Now), pages: parsePages()}
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// routes lists every page.
func (s *Server) routes() {
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.handleHome)
	s.mux.HandleFunc("GET /signin", s.handleSignInForm)
	s.mux.HandleFunc("POST /signin", s.handleSignIn)
	s.mux.HandleFunc("GET /signin/{token}", s.handleSignInLink)
	s.mux.Handle("POST /signout", s.admit("", s.handleSignOut)) // either role
	s.mux.Handle("GET /score", s.signedIn(s.handleScore))
	s.mux.Handle("POST /whatif", s.signedIn(s.handleWhatIf))
	s.mux.Handle("GET /data", s.signedIn(s.handleData))
	s.mux.Handle("GET /disputes", s.signedIn(s.handleDisputes))
	s.mux.Handle("GET /disputes/new", s.signedIn(s.handleDisputeForm))
	s.mux.Handle("POST /disputes", s.signedIn(s.handleOpenDispute))
	s.opsRoutes()
	s.opsInfoRoutes()
	if s.cfg.Rights != nil {
		s.mux.Handle("GET /accesses", s.signedIn(s.handleAccesses))
		s.mux.Handle("GET /consents", s.signedIn(s.handleConsents))
		s.mux.Handle("POST /consents/grant", s.signedIn(s.handleGrant))
		s.mux.Handle("POST /consents/withdraw", s.signedIn(s.handleWithdraw))
		s.mux.Handle("GET /freeze", s.signedIn(s.handleFreeze))
		s.mux.Handle("POST /freeze", s.signedIn(s.handleSetFreeze))
		s.mux.Handle("GET /export", s.signedIn(s.handleExport))
		s.mux.Handle("GET /erase", s.signedIn(s.handleEraseForm))
		s.mux.Handle("POST /erase", s.signedIn(s.handleErase))
		s.mux.Handle("GET /reviews", s.signedIn(s.handleReviews))
		s.mux.Handle("GET /reviews/new", s.signedIn(s.handleReviewForm))
		s.mux.Handle("POST /reviews", s.signedIn(s.handleRequestReview))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, http.StatusNotFound, "Page not found",
			"There is no page at this address. Check it, or go to your score.")
	})
}

// ServeHTTP serves a page. HEAD is refused on a person's pages: a GET there
// reads their file and records that it did, and a HEAD, which a link
// checker may send, must not.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // a sign-in link's token must not leave in a Referer
	h.Set("X-Frame-Options", "DENY")
	if r.Method == http.MethodHead && (audited[r.URL.Path] || strings.HasPrefix(r.URL.Path, "/ops/")) {
		h.Set("Allow", "GET")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// audited are the person's pages whose GET reads their file; every
// operators' page (/ops/) records its read too.
var audited = map[string]bool{"/score": true, "/data": true, "/accesses": true, "/consents": true, "/freeze": true, "/export": true,
	"/disputes": true, "/disputes/new": true, "/reviews": true, "/reviews/new": true, "/ops/disputes": true, "/ops/reviews": true, "/ops/audit": true}

// Cookie names. The session cookie holds a random id and nothing else; the
// sign-in cookie a random token the sign-in form repeats (double submit), so
// that another site cannot sign a person in under someone else's key.
const (
	sessionCookie = "oc_session"
	signInCookie  = "oc_signin"
)

// page is what every template gets: the signed-in person, if any, the
// session's CSRF token, and the page's own data.
type page struct {
	Title    string
	Nav      string // the current section: score, data
	SignedIn bool
	Operator bool // signed in with an operator's key: the operators' pages and their menu
	Rights   bool // the rights pages are served
	CSRF     string
	Errors   []fieldError
	Data     any
}

// fieldError is one entry of an error summary: the message and the id of
// the field it links to.
type fieldError struct {
	Field, Message string
}

// visit is a signed-in request: its session and the client re-checked.
type visit struct {
	session session
	client  opencredit.Client
	caller  scoring.Caller
	rights  bool
}

func (v visit) page(title, nav string, data any) page {
	return page{Title: title, Nav: nav, SignedIn: true, Operator: v.client.Role == opencredit.RoleOperator, Rights: v.rights, CSRF: v.session.csrf, Data: data}
}

// signedIn admits to a person's page a request of a live session whose key
// still belongs to a subject client.
func (s *Server) signedIn(next func(http.ResponseWriter, *http.Request, visit)) http.Handler {
	return s.admit(opencredit.RoleSubject, next)
}

// operator admits to an operators' page a request of a live session whose
// key still belongs to an operator client.
func (s *Server) operator(next func(http.ResponseWriter, *http.Request, visit)) http.Handler {
	return s.admit(opencredit.RoleOperator, next)
}

// admit admits a request of a live session whose key still belongs to a
// client of the session's role (looked up again each time: a revoked key
// or a changed role ends the session at once), to a page of role, and
// checks the CSRF token of every POST. Without a session the visitor is
// sent to sign in; a session of the other role gets a refusal and keeps
// its session.
func (s *Server) admit(role string, next func(http.ResponseWriter, *http.Request, visit)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noStore(w)
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		ss, ok := s.sessions.get(c.Value)
		if !ok {
			s.clearSession(w, r)
			http.Redirect(w, r, "/signin?ended=1", http.StatusSeeOther)
			return
		}
		cl, err := s.cfg.Store.ClientByKey(r.Context(), ss.keyHash)
		if opencredit.ErrorCode(err) == opencredit.ENOTFOUND || (err == nil && (cl.ID != ss.clientID || cl.Role != ss.role)) {
			s.sessions.end(ss.id)
			s.clearSession(w, r)
			http.Redirect(w, r, "/signin?ended=1", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.renderError(w, r, nil, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later.")
			s.cfg.Logger.ErrorContext(r.Context(), "web: client lookup", slog.String("error", err.Error()))
			return
		}
		v := visit{session: ss, client: cl, caller: scoring.Caller{Client: cl, RequestID: w.Header().Get("X-Request-Id")}, rights: s.cfg.Rights != nil}
		if role != "" && cl.Role != role {
			if role == opencredit.RoleOperator {
				s.renderError(w, r, &v, http.StatusForbidden, "This page is for OpenCredit's operators",
					"You are signed in with a personal key, which reaches only the pages about your own file.")
			} else {
				s.renderError(w, r, &v, http.StatusForbidden, "This page is for the person a file is about",
					"You are signed in with an operator's key, which reaches only the operators' pages.")
			}
			return
		}
		if s.cfg.AllowClient != nil {
			if ok, wait := s.cfg.AllowClient(cl.ID); !ok {
				s.tooMany(w, r, &v, wait)
				return
			}
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil || !sameToken(r.PostForm.Get("csrf"), ss.csrf) {
				s.renderError(w, r, &v, http.StatusForbidden, "This form has expired",
					"The form was not sent from this site's page, or the page is too old. Go back, reload the page and try again.")
				return
			}
		}
		next(w, r, v)
	})
}

// maxFormBytes bounds a form's body; the largest, the what-if, is a few
// dozen fields.
const maxFormBytes = 64 << 10

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, v *visit, wait time.Duration) {
	secs := max(1, int((wait+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.renderError(w, r, v, http.StatusTooManyRequests, "Too many requests",
		"There have been too many requests from you in a short time. Wait "+strconv.Itoa(secs)+" seconds and try again.")
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	s.setCookie(w, r, sessionCookie, "", -1)
}

// noStore keeps a person's pages out of every cache: a shared computer's
// back button must not show the last person's score.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
}

// handleHome sends a signed-in person to their score, an operator to the
// dispute queue, anyone else to sign in.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if ss, ok := s.sessions.get(c.Value); ok {
			http.Redirect(w, r, homeOf(ss.role), http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// failed renders the error page for an error of the scoring use case:
// its own message for a refusal, "a problem with the service" otherwise.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	var e *opencredit.Error
	code := opencredit.ErrorCode(err)
	switch {
	case code == opencredit.EFORBIDDEN && errors.As(err, &e):
		s.renderError(w, r, v, http.StatusForbidden, "You cannot see this page", e.Message)
	case code == opencredit.ENOTFOUND:
		s.renderError(w, r, v, http.StatusNotFound, "Your file was not found", "There is no file for you on this service.")
	default:
		s.cfg.Logger.ErrorContext(r.Context(), "web: page failed", slog.String("route", r.URL.Path), slog.String("error", err.Error()))
		s.renderError(w, r, v, http.StatusInternalServerError, "Sorry, there is a problem with the service",
			"Nothing has been changed. Try again later; if it keeps happening, quote reference "+w.Header().Get("X-Request-Id")+".")
	}
}
