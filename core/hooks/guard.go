package hooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Guard keeps webhook deliveries off the internal network (SSRF): loopback, private, link-local
// (the cloud metadata service at 169.254.169.254), shared, reserved and multicast addresses are
// refused, whether written as a URL's host, hidden in another notation (decimal, octal, hex,
// IPv4-mapped IPv6) or behind a DNS name — at registration and again at every connection, on
// the very address dialed, so a name that resolves elsewhere later (DNS rebinding) is caught
// too. Allowed networks (WEBHOOK_ALLOWED_NETWORKS) are let through.
type Guard struct {
	Allowed []netip.Prefix
	// Lookup resolves a host name (net.DefaultResolver when nil; a test's own resolver).
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// ErrForbidden refuses a URL or an address a webhook may not reach.
var ErrForbidden = errors.New("hooks: the address is not allowed")

// blocked are the ranges beside Go's own predicates (loopback, private, link-local, multicast,
// unspecified) that are not the public internet.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64: an IPv4 address inside
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"), // 6to4: an IPv4 address inside
	netip.MustParsePrefix("100::/64"),
}

// Allows reports whether a delivery may connect to ip.
func (g Guard) Allows(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range g.Allowed {
		if p.Contains(ip) {
			return true
		}
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// CheckURL refuses a URL that is not http(s), carries credentials, names its host in a
// notation other than a name or a canonical address, or resolves to any address not allowed.
// Plain http is only for allowed networks (a receiver in the same data centre).
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	if len(raw) > 2048 {
		return fmt.Errorf("%w: the URL is over 2048 bytes", ErrForbidden)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%w: not an absolute http(s) URL", ErrForbidden)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in the URL", ErrForbidden)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%w: a fragment in the URL", ErrForbidden)
	}
	host := u.Hostname()
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if !g.Allows(a) {
			return fmt.Errorf("%w: %s is %s", ErrForbidden, host, a)
		}
		if u.Scheme == "http" && !g.allowedNetwork(a) {
			return fmt.Errorf("%w: http only within WEBHOOK_ALLOWED_NETWORKS; use https", ErrForbidden)
		}
	}
	return nil
}

func (g Guard) allowedNetwork(ip netip.Addr) bool {
	for _, p := range g.Allowed {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// resolve is host's addresses: itself when it is a canonical address, a refusal when it only
// looks like one (2130706433, 0177.0.0.1, 0x7f.1 — which some resolvers read as addresses).
func (g Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	if numeric(host) {
		return nil, fmt.Errorf("%w: %q is an address in another notation", ErrForbidden, host)
	}
	lookup := g.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := lookup(ctx, host)
	if err != nil || len(addrs) == 0 {
		return nil, fmt.Errorf("%w: %s does not resolve", ErrForbidden, host)
	}
	return addrs, nil
}

// numeric is whether host is made of numbers (decimal, octal, hex) and dots alone: an IPv4
// address in inet_aton's notations, never a name.
func numeric(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	for _, part := range strings.Split(host, ".") {
		p := strings.TrimPrefix(part, "0x")
		if p == "" {
			return part == "0x"
		}
		for _, c := range p {
			if !(c >= '0' && c <= '9' || strings.HasPrefix(part, "0x") && c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// Client is the HTTP client of deliveries: no proxy, no redirects (a 3xx is an answer, never
// followed), bounded times, and every connection's address checked as it is dialed.
func (g Guard) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !g.Allows(ip) {
			return fmt.Errorf("%w: %s", ErrForbidden, host)
		}
		return nil
	}}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
			ResponseHeaderTimeout: timeout, MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
