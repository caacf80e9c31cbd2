package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

type ctxKey int

const (
	clientKey ctxKey = iota
	requestIDKey
)

// clientOf returns the authenticated client; authenticate put it there.
func clientOf(ctx context.Context) opencredit.Client {
	c, _ := ctx.Value(clientKey).(opencredit.Client)
	return c
}

// callerOf returns who asks, for the scoring use case: the authenticated
// client and the request's id.
func callerOf(r *http.Request) scoring.Caller {
	return scoring.Caller{Client: clientOf(r.Context()), RequestID: requestID(r.Context())}
}

// requestID returns the request's id, which ties log lines, audit records
// and the X-Request-Id response header together.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// bearer returns the credentials of an Authorization header of the Bearer
// scheme, whose name is case-insensitive (RFC 9110 §11.1, RFC 6750 §2.1).
func bearer(h string) (string, bool) {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(cred), true
}

// addressKey is the rate limiter's key of a remote address: the IPv4
// address, or the /64 prefix of an IPv6 one (a single host usually holds a
// whole /64, and could otherwise take a fresh address for every request).
func addressKey(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// noHead refuses HEAD on the API's routes: every GET there reads a
// person's file or the log and records that it did, and a HEAD, which a
// crawler or a monitor may send without thinking, must never pull a score,
// leave an inquiry or write an audit record. The probes and the document
// answer HEAD as net/http does.
func noHead(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && strings.HasPrefix(r.URL.Path, "/v1/") {
			w.Header().Set("Allow", "GET")
			writeError(d, w, r, opencredit.Errorf(api.CodeMethodNotAllowed, "HEAD is not served on %s: a GET there is an audited access", r.URL.Path))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate admits a request carrying "Authorization: Bearer oc_…" whose
// key the store knows and whose client has one of roles, and limits its body
// to limit bytes. A missing, malformed, unknown or revoked key is a 401 and
// a known client of another role a 403; neither reaches the handler. A
// known client over its rate limit is a 429, counted before the role check
// so that calls to routes it may not use still spend its tokens.
func authenticate(d Deps, limit int64, next http.Handler, roles ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := d.addresses.allow(addressKey(r.RemoteAddr)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			writeError(d, w, r, opencredit.Errorf(api.CodeRateLimited, "too many requests from this address; retry after %d s", retryAfterSeconds(wait)))
			return
		}
		key, ok := bearer(r.Header.Get("Authorization"))
		if !ok || !opencredit.LooksLikeAPIKey(key) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="opencredit"`)
			writeError(d, w, r, opencredit.Errorf(api.CodeUnauthorized, "an API key is required: Authorization: Bearer oc_…"))
			return
		}
		c, err := d.Store.ClientByKey(r.Context(), opencredit.HashAPIKey(key))
		if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
			w.Header().Set("WWW-Authenticate", `Bearer realm="opencredit"`)
			writeError(d, w, r, opencredit.Errorf(api.CodeUnauthorized, "the API key is not valid"))
			return
		}
		if err != nil {
			writeError(d, w, r, err)
			return
		}
		if ok, wait := d.limiter.allow(c.ID); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			writeError(d, w, r, opencredit.Errorf(api.CodeRateLimited, "too many requests; retry after %d s", retryAfterSeconds(wait)))
			return
		}
		if !slices.Contains(roles, c.Role) {
			refusal := opencredit.Errorf(opencredit.EFORBIDDEN, "a %s client may not call %s", c.Role, r.Pattern)
			// A route naming a person's file records the refusal, so the
			// person's access history shows who tried. Only the subjects'
			// routes name one: another route's path value is no person.
			if id := r.PathValue("id"); strings.Contains(r.Pattern, "/v1/subjects/{id}") && opencredit.CheckID("subject id", id) == nil {
				by := scoring.Caller{Client: c, RequestID: requestID(r.Context())}
				if err := d.Scoring.Record(r.Context(), by, "", id, r.Pattern, audit.Result{Error: opencredit.EFORBIDDEN}); err != nil {
					writeError(d, w, r, err)
					return
				}
			}
			writeError(d, w, r, refusal)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey, c)))
	})
}

// statusWriter remembers the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// logRequests gives every request an id and logs one line when it ends:
// method, route pattern (never the path, which holds a subject id), status and
// duration. The same labels, and nothing else, go to the request metrics.
func logRequests(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		req := r.WithContext(ctx)
		next.ServeHTTP(sw, req)
		// The mux sets Pattern on the request it was given.
		took := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK // the handler wrote nothing
		}
		d.metrics.observe(req.Pattern, r.Method, sw.status, took)
		d.Logger.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request_id", id), slog.String("method", r.Method), slog.String("route", req.Pattern),
			slog.Int("status", sw.status), slog.Duration("duration", took))
	})
}
