package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"

	"github.com/opencredit/opencredit"
)

// Session limits: a session ends after IdleTimeout without a request, and
// after MaxSessionAge in any case, whatever its use. The idle limit follows
// OWASP's session management guidance for applications holding personal
// data (15–30 minutes); the absolute one bounds what a stolen cookie is
// worth to a working day.
const (
	DefaultIdleTimeout   = 20 * time.Minute
	DefaultMaxSessionAge = 8 * time.Hour
	// DefaultLinkTTL is how long a one-time sign-in link works if unused.
	DefaultLinkTTL = 30 * time.Minute
)

// session is one signed-in person. The cookie holds only its random id;
// the key hash lets every request look the client up again, so that a
// revoked key ends the session at once.
type session struct {
	id       string
	clientID string
	role     string // the client's role at sign-in: subject or operator
	keyHash  []byte
	csrf     string // the token every form of this session carries
	created  time.Time
	lastSeen time.Time
	whatIf   *whatIfRequest // the last what-if asked, shown until replaced
}

// sessions holds the sessions of one server, in memory: a restart signs
// everyone out, which is the safe failure.
type sessions struct {
	idle, maxAge time.Duration
	now          func() time.Time

	mu        sync.Mutex
	byID      map[string]*session
	lastSweep time.Time
}

func newSessions(idle, maxAge time.Duration, now func() time.Time) *sessions {
	return &sessions{idle: idle, maxAge: maxAge, now: now, byID: map[string]*session{}, lastSweep: now()}
}

// start begins a session for the client holding the key of keyHash.
func (s *sessions) start(clientID, role string, keyHash []byte) (*session, error) {
	id, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	ss := &session{id: id, clientID: clientID, role: role, keyHash: keyHash, csrf: csrf, created: now, lastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.byID[id] = ss
	return ss, nil
}

// get returns a copy of the live session of id and marks it used, or false
// when there is none or it has expired (and is then dropped).
func (s *sessions) get(id string) (session, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.byID[id]
	if !ok {
		return session{}, false
	}
	if s.expired(ss, now) {
		delete(s.byID, id)
		return session{}, false
	}
	ss.lastSeen = now
	return *ss, true
}

// setWhatIf keeps the what-if the person asked for, to show after the
// redirect.
func (s *sessions) setWhatIf(id string, w *whatIfRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss, ok := s.byID[id]; ok {
		ss.whatIf = w
	}
}

// end drops a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

func (s *sessions) expired(ss *session, now time.Time) bool {
	return now.Sub(ss.lastSeen) >= s.idle || now.Sub(ss.created) >= s.maxAge
}

// sweep drops expired sessions, at most once per idle period; s.mu is held.
func (s *sessions) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < s.idle {
		return
	}
	s.lastSweep = now
	for id, ss := range s.byID {
		if s.expired(ss, now) {
			delete(s.byID, id)
		}
	}
}

// size is the number of sessions held, for tests.
func (s *sessions) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// Links are one-time sign-in links: a random token, not the key, that
// signs its holder in once, within its time to live. The demo issues one
// for each demo person; the server consumes it at first use, whether that
// use succeeds or not. Links is safe for concurrent use.
type Links struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	tokens map[string]link
}

type link struct {
	keyHash []byte
	expires time.Time
}

// NewLinks returns an empty set of links that expire ttl after they are
// issued (DefaultLinkTTL when ttl is 0), on the clock now (time.Now when
// nil).
func NewLinks(ttl time.Duration, now func() time.Time) *Links {
	if ttl <= 0 {
		ttl = DefaultLinkTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Links{ttl: ttl, now: now, tokens: map[string]link{}}
}

// Issue returns the token of a new link that signs in the holder of key;
// the link's path is "/signin/" + token. The key itself is kept only as its
// hash, as the store keeps it.
func (l *Links) Issue(key string) (string, error) {
	if !opencredit.LooksLikeAPIKey(key) {
		return "", opencredit.Errorf(opencredit.EINVALID, "web: a sign-in link needs an API key (oc_…)")
	}
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for t, k := range l.tokens { // links are few: the demo's people
		if !now.Before(k.expires) {
			delete(l.tokens, t)
		}
	}
	l.tokens[token] = link{keyHash: opencredit.HashAPIKey(key), expires: now.Add(l.ttl)}
	return token, nil
}

// TTL is how long a link works after it is issued.
func (l *Links) TTL() time.Duration { return l.ttl }

// consume removes the link of token and returns its key hash if it had
// not expired.
func (l *Links) consume(token string) ([]byte, bool) {
	if l == nil {
		return nil, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k, ok := l.tokens[token]
	if !ok {
		return nil, false
	}
	delete(l.tokens, token)
	return k.keyHash, l.now().Before(k.expires)
}

// randomToken returns 32 random bytes in unpadded base64url.
func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot draw a random token", Err: err}
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// sameToken compares two tokens in constant time; an empty one never matches.
func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
