package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps a token bucket (golang.org/x/time/rate) per key: an email, an IP address. Idle
// keys are forgotten, so a flood of new keys costs memory only for as long as it lasts. The
// buckets are per process; with N instances behind a balancer a key gets up to N times the rate.
type limiter struct {
	every time.Duration
	burst int

	mu   sync.Mutex
	keys map[string]*entry
	seen int
}

type entry struct {
	lim  *rate.Limiter
	last time.Time
}

// NewLimiter allows r.N events per r.Period for each key, in bursts of up to r.N.
func NewLimiter(r Rate) *Limiter { return &Limiter{l: newLimiter(r)} }

// Limiter is a per-key rate limit, for the HTTP layer (per IP address).
type Limiter struct{ l *limiter }

// Allow reports whether key may make one more request now.
func (l *Limiter) Allow(key string) bool { return l.l.allow(key, time.Now()) }

func newLimiter(r Rate) *limiter {
	return &limiter{every: r.Period / time.Duration(max(r.N, 1)), burst: max(r.N, 1), keys: map[string]*entry{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen++; l.seen >= 1024 {
		l.seen = 0
		for k, e := range l.keys {
			if now.Sub(e.last) > l.every*time.Duration(l.burst) {
				delete(l.keys, k) // refilled: as good as new
			}
		}
	}
	e := l.keys[key]
	if e == nil {
		e = &entry{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.keys[key] = e
	}
	e.last = now
	return e.lim.AllowN(now, 1)
}
