package slack

import (
	"context"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

func TestEnrichFillsNameAndZoneOncePerDay(t *testing.T) {
	b := setup(t)
	in := core.Inbound{Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U5"}
	b.a.Enrich(context.Background(), &in)
	if in.UserName != "User U5" || in.TimeZone != "Europe/Berlin" || in.LangHint != "en-US" {
		t.Fatalf("enriched = %+v", in)
	}
	again := core.Inbound{Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U5", UserName: "Given"}
	b.a.Enrich(context.Background(), &again)
	if again.UserName != "Given" || again.TimeZone != "Europe/Berlin" {
		t.Fatalf("second = %+v", again)
	}
	if n := len(b.api.Calls("users.info")); n != 1 {
		t.Fatalf("users.info calls = %d, want 1 (cached)", n)
	}
	unknown := core.Inbound{Provider: core.ProviderSlack, Workspace: "T404", ExternalUserID: "U1"}
	b.a.Enrich(context.Background(), &unknown) // no token: left as it was
	if unknown.TimeZone != "" {
		t.Fatalf("unknown workspace enriched: %+v", unknown)
	}
}
