package httpapi

import (
	"math"
	"sync"
	"time"
)

// minSweepEvery bounds how often the limiter scans for idle buckets, so a
// high rate (which refills a bucket in milliseconds) does not make every
// request pay for a scan.
const minSweepEvery = time.Minute

// limiter holds one token bucket per client id. A bucket starts full with
// burst tokens, refills at rate tokens a second up to burst, and a request
// takes one token.
//
// A bucket that has refilled completely is indistinguishable from a new
// one, so the limiter drops such buckets when it sweeps: the map holds only
// the clients seen within the last refill period (at least minSweepEvery),
// however many clients come and go. Sweeps run on the request path, at
// most once per refill period, with no goroutine to stop.
type limiter struct {
	rate  float64 // tokens per second; > 0
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// newLimiter returns a limiter of rate requests a second per client with
// bursts of burst, or nil (no limit) when rate is not positive. A burst
// below 1 becomes the rate rounded up, at least 1.
func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	b := float64(burst)
	if burst < 1 {
		b = max(1, math.Ceil(rate))
	}
	return &limiter{rate: rate, burst: b, now: now, buckets: map[string]*bucket{}, lastSweep: now()}
}

// refillTime is how long an empty bucket takes to fill.
func (l *limiter) refillTime() time.Duration {
	return time.Duration(l.burst / l.rate * float64(time.Second))
}

// allow takes a token from id's bucket. When there is none it returns false
// and how long until there will be one. A nil limiter allows everything.
func (l *limiter) allow(id string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep drops the buckets that have refilled completely by now, at most
// once per refill period.
func (l *limiter) sweep(now time.Time) {
	every := max(l.refillTime(), minSweepEvery)
	if now.Sub(l.lastSweep) < every {
		return
	}
	l.lastSweep = now
	full := l.refillTime()
	for id, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, id)
		}
	}
}

// size is the number of buckets held, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// retryAfterSeconds is the Retry-After header value for a wait: whole
// seconds, rounded up, at least 1.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
