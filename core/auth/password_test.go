package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := DefaultArgon2.hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want the PHC form with the default parameters", h)
	}
	if !checkPassword(h, "correct horse battery") || checkPassword(h, "correct horse batterY") {
		t.Error("the hash does not tell the password from another")
	}
	again, _ := DefaultArgon2.hashPassword("correct horse battery")
	if again == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	// a hash made with other parameters still checks: they are read from it
	old, _ := Argon2{MemoryKiB: 8 * 1024, Time: 3, Threads: 2}.hashPassword("p4ssword!")
	if !checkPassword(old, "p4ssword!") {
		t.Error("a hash with older parameters no longer checks")
	}
}

// FuzzCheckPassword: no stored hash, however malformed, panics or matches a password it wasn't
// made from, and none makes the check use unbounded memory or time.
func FuzzCheckPassword(f *testing.F) {
	good, _ := Argon2{MemoryKiB: 64, Time: 1, Threads: 1}.hashPassword("pw")
	for _, s := range []string{good, "", "$argon2id$", "$argon2id$v=19$m=1,t=1,p=1$$", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdA$a2V5", strings.Replace(good, "t=1", "t=99", 1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hash string) {
		if checkPassword(hash, "not pw") && hash != good {
			t.Fatalf("%q matches a password it was not made from", hash)
		}
	})
}
