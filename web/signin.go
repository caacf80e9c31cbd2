package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
)

type signInPage struct {
	Ended   bool   // the last session ended (signed out, expired, key revoked)
	Erased  string // the person erased their file: how many records were deleted
	Message string // a problem with a link, shown above the form
	// The session limits, told to the person.
	IdleMinutes, MaxHours int
}

// handleSignInForm shows the form to paste a key into, with a fresh
// sign-in token in a cookie and in the form.
func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	sp := signInPage{Ended: r.URL.Query().Get("ended") != ""}
	if n, err := strconv.Atoi(r.URL.Query().Get("erased")); err == nil && n >= 0 {
		sp.Erased = groupDigits(float64(n), 0)
	}
	s.showSignIn(w, r, http.StatusOK, sp, nil)
}

func (s *Server) showSignIn(w http.ResponseWriter, r *http.Request, status int, sp signInPage, errs []fieldError) {
	noStore(w)
	token, err := randomToken()
	if err != nil {
		s.renderError(w, r, nil, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later.")
		return
	}
	s.setCookie(w, r, signInCookie, token, 3600)
	sp.IdleMinutes, sp.MaxHours = int(s.cfg.IdleTimeout.Minutes()), int(s.cfg.MaxSessionAge.Hours())
	s.render(w, r, status, "signin.html", page{Title: "Sign in", CSRF: token, Errors: errs, Data: sp})
}

// handleSignIn signs in the holder of a pasted subject key. A wrong key
// re-shows the form with an error summary linking to the field; nothing
// says whether a key once worked.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	if s.cfg.AllowAddress != nil {
		if ok, wait := s.cfg.AllowAddress(r); !ok {
			s.tooMany(w, r, nil, wait)
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	c, cerr := r.Cookie(signInCookie)
	if err := r.ParseForm(); err != nil || cerr != nil || !sameToken(r.PostForm.Get("csrf"), c.Value) {
		s.renderError(w, r, nil, http.StatusForbidden, "This form has expired",
			"The form was not sent from this site's page, or it is too old. Go back, reload the page and try again.")
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("key"))
	fail := func(status int, msg string) {
		s.showSignIn(w, r, status, signInPage{}, []fieldError{{Field: "key", Message: msg}})
	}
	switch {
	case key == "":
		fail(http.StatusBadRequest, "Enter your personal key")
		return
	case !opencredit.LooksLikeAPIKey(key):
		fail(http.StatusBadRequest, "Enter your personal key as it was given to you: it starts with oc_ and is 46 characters long")
		return
	}
	s.startSession(w, r, opencredit.HashAPIKey(key), func(status int, msg string) { fail(status, msg) })
}

// handleSignInLink signs in the holder of a one-time link, which is used
// up whatever happens, and sends them on to their score, so the token
// leaves the address bar at once.
func (s *Server) handleSignInLink(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	if s.cfg.AllowAddress != nil {
		if ok, wait := s.cfg.AllowAddress(r); !ok {
			s.tooMany(w, r, nil, wait)
			return
		}
	}
	hash, ok := s.cfg.Links.consume(r.PathValue("token"))
	if !ok {
		s.showSignIn(w, r, http.StatusGone, signInPage{Message: "This sign-in link has been used already or has expired. Each link works once. Paste your personal key below instead."}, nil)
		return
	}
	s.startSession(w, r, hash, func(status int, msg string) {
		s.showSignIn(w, r, status, signInPage{Message: msg}, nil)
	})
}

// startSession checks that the key of hash belongs to a subject client,
// starts a new session (a new id: one from before sign-in is never
// reused) and redirects to the score.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, hash []byte, fail func(status int, msg string)) {
	cl, err := s.cfg.Store.ClientByKey(r.Context(), hash)
	switch {
	case opencredit.ErrorCode(err) == opencredit.ENOTFOUND:
		fail(http.StatusUnauthorized, "This key is not valid. Check that you copied all of it, or ask for a new one")
		return
	case err != nil:
		s.cfg.Logger.ErrorContext(r.Context(), "web: sign-in lookup", slog.String("error", err.Error()))
		s.renderError(w, r, nil, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later.")
		return
	case cl.Role != opencredit.RoleSubject && cl.Role != opencredit.RoleOperator:
		fail(http.StatusForbidden, "This is a "+roleWords[cl.Role]+"'s key, which works only with the API. These pages are for the person a file is about, with the key given to them for their own file, and for OpenCredit's operators")
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.end(c.Value)
	}
	ss, err := s.sessions.start(cl.ID, cl.Role, hash)
	if err != nil {
		s.renderError(w, r, nil, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later.")
		return
	}
	s.setCookie(w, r, sessionCookie, ss.id, 0) // a browser-session cookie; the server enforces the limits
	s.setCookie(w, r, signInCookie, "", -1)
	http.Redirect(w, r, homeOf(cl.Role), http.StatusSeeOther)
}

// homeOf is the first page of a session of role.
func homeOf(role string) string {
	if role == opencredit.RoleOperator {
		return "/ops/disputes"
	}
	return "/score"
}

// handleSignOut ends the session.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request, v visit) {
	s.sessions.end(v.session.id)
	s.clearSession(w, r)
	http.Redirect(w, r, "/signin?ended=1", http.StatusSeeOther)
}
