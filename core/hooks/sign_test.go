package hooks_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/hooks"
	"github.com/bizconnect/bizconnect/core/hooks/hookstest"
)

// TestSignatureMatchesTheSpecsVector: the specification's test vector, and the independent
// verification of a fresh signature.
func TestSignatureMatchesTheSpecsVector(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	got, err := hooks.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	if err != nil || got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("Sign = %q, %v", got, err)
	}
	if !hookstest.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, got) {
		t.Error("the independent verification refused the spec's own vector")
	}
	fresh := hooks.NewSecret()
	at := time.Now()
	sig, err := hooks.Sign(fresh, hooks.MessageID(42), at, []byte(`{"type":"task.created"}`))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	if !hookstest.Verify(fresh, "evt_42", ts, []byte(`{"type":"task.created"}`), "v1,bogus "+sig) {
		t.Error("a fresh signature did not verify")
	}
	if hookstest.Verify(fresh, "evt_42", ts, []byte(`{"type":"task.created "}`), sig) || hookstest.Verify(secret, "evt_42", ts, []byte(`{"type":"task.created"}`), sig) {
		t.Error("a changed body or another secret verified")
	}
}

func TestCheckEvents(t *testing.T) {
	if got, err := hooks.CheckEvents([]string{"*"}); err != nil || len(got) != len(hooks.Events) {
		t.Errorf("*: %v %v", got, err)
	}
	if got, err := hooks.CheckEvents([]string{"task.created", "goal.created"}); err != nil || got[0] != "goal.created" {
		t.Errorf("two: %v %v", got, err)
	}
	for _, bad := range [][]string{nil, {"task.deleted"}, {"task.created", "task.created"}} {
		if _, err := hooks.CheckEvents(bad); err == nil {
			t.Errorf("%v passed", bad)
		}
	}
}
