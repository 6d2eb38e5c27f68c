package webhooks

import (
	"cmp"
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits bound what one client can hold of the server: time to send headers and a body, time
// to read an answer, time a keep-alive connection may sit idle, and connections per address.
type Limits struct {
	ReadHeaderTimeout time.Duration // default 5 s
	ReadTimeout       time.Duration // headers and body; default 15 s (Telegram and Slack send kilobytes)
	WriteTimeout      time.Duration // default 30 s
	IdleTimeout       time.Duration // default 60 s
	// MaxConnsPerAddr caps concurrent connections from one client IP; more are closed at once.
	// 0 means the default (64); a negative value disables the cap (behind a proxy that caps).
	MaxConnsPerAddr int
}

func (l Limits) withDefaults() Limits {
	l.ReadHeaderTimeout = cmp.Or(l.ReadHeaderTimeout, 5*time.Second)
	l.ReadTimeout = cmp.Or(l.ReadTimeout, 15*time.Second)
	l.WriteTimeout = cmp.Or(l.WriteTimeout, 30*time.Second)
	l.IdleTimeout = cmp.Or(l.IdleTimeout, time.Minute)
	l.MaxConnsPerAddr = cmp.Or(l.MaxConnsPerAddr, 64)
	return l
}

// NewHTTPServer returns an http.Server for h with the limits' timeouts; its requests' contexts
// derive from base but outlive its cancellation, so a shutdown drains them.
func NewHTTPServer(base context.Context, h http.Handler, l Limits) *http.Server {
	l = l.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(base) },
	}
}

// Listen listens on addr and, unless l disables it, closes connections beyond
// l.MaxConnsPerAddr from one IP as soon as they are accepted.
func Listen(addr string, l Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if l = l.withDefaults(); l.MaxConnsPerAddr < 0 {
		return ln, nil
	}
	return &perAddrListener{Listener: ln, max: l.MaxConnsPerAddr, open: map[string]int{}}, nil
}

// perAddrListener counts open connections per remote IP.
type perAddrListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int
}

// Accept returns the next connection within its address's cap; connections over the cap are
// closed without a word and never reach the server.
func (l *perAddrListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c)
		l.mu.Lock()
		ok := l.open[ip] < l.max
		if ok {
			l.open[ip]++
		}
		l.mu.Unlock()
		if !ok {
			c.Close()
			continue
		}
		return &countedConn{Conn: c, release: func() { l.release(ip) }}, nil
	}
}

func (l *perAddrListener) release(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[ip]--; l.open[ip] <= 0 {
		delete(l.open, ip)
	}
}

func remoteIP(c net.Conn) string {
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}

// countedConn gives its place back once, however often it is closed.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
