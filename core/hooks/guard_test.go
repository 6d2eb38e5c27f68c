package hooks_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/hooks"
)

// resolver is a DNS of the test: a public name, and a name that points inside.
func resolver(_ context.Context, host string) ([]netip.Addr, error) {
	switch host {
	case "hooks.example.com":
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	case "internal.example.com":
		return []netip.Addr{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")}, nil
	case "metadata.example.com":
		return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
	}
	return nil, errors.New("no such host")
}

// TestGuardRefusesTheInternalNetwork: every way of writing an internal address is refused at
// registration.
func TestGuardRefusesTheInternalNetwork(t *testing.T) {
	g := hooks.Guard{Lookup: resolver}
	ctx := context.Background()
	for _, u := range []string{
		"https://127.0.0.1/hook", "https://[::1]/hook", "https://10.1.2.3/", "https://172.16.0.1/", "https://172.31.255.255/",
		"https://192.168.1.1/", "https://169.254.169.254/latest/meta-data/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/",
		"https://[::ffff:a9fe:a9fe]/", "https://2130706433/", "https://0177.0.0.1/", "https://0x7f.0.0.1/", "https://0x7f000001/",
		"https://127.1/", "https://0.0.0.0/", "https://[::]/", "https://100.64.0.1/", "https://[fd00:ec2::254]/", "https://[fe80::1]/",
		"https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/", "https://internal.example.com/", "https://metadata.example.com/",
		"https://nowhere.example.com/", "http://hooks.example.com/", "ftp://hooks.example.com/", "https://user:pass@hooks.example.com/",
		"/relative", "https://224.0.0.1/",
	} {
		if err := g.CheckURL(ctx, u); !errors.Is(err, hooks.ErrForbidden) {
			t.Errorf("%s: %v, want ErrForbidden", u, err)
		}
	}
	for _, u := range []string{"https://hooks.example.com/bizconnect", "https://93.184.216.34:8443/x"} {
		if err := g.CheckURL(ctx, u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	allowed := hooks.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}, Lookup: resolver}
	if err := allowed.CheckURL(ctx, "http://10.0.0.7/hook"); err != nil {
		t.Errorf("an allow-listed network refused: %v", err)
	}
	if err := allowed.CheckURL(ctx, "https://10.0.1.7/hook"); err == nil {
		t.Error("outside the allow-list passed")
	}
}

// TestClientChecksTheDialedAddressAndFollowsNoRedirect: the client refuses to connect to an
// internal address whatever the URL said (a name that resolves elsewhere later), and a redirect
// to the metadata service is an answer, not followed.
func TestClientChecksTheDialedAddressAndFollowsNoRedirect(t *testing.T) {
	followed := false
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed = true }))
	defer inner.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	strict := hooks.Guard{}
	if _, err := strict.Client(2 * time.Second).Get(srv.URL); !errors.Is(err, hooks.ErrForbidden) {
		t.Errorf("dialing a loopback receiver: %v, want ErrForbidden", err)
	}
	local := hooks.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	resp, err := local.Client(2 * time.Second).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || followed {
		t.Errorf("a redirect: %d, followed %v", resp.StatusCode, followed)
	}
}
