package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core/mail/mailtest"
)

// TestSupabaseJSSignsIn runs supabase-js itself (testdata/supabase-js, installed by make test)
// under Node against the auth API: a front end written for Supabase Auth works unchanged.
// Without Node or the package it skips, saying why; under CI=true it fails.
func TestSupabaseJSSignsIn(t *testing.T) {
	t.Parallel()
	run := supabaseJS(t)
	_, base := startApp(t, authEnv)
	raw := run("auth.mjs", base, "anna.js@example.com")
	var got struct {
		SignUp struct {
			User    string `json:"user"`
			Session bool   `json:"session"`
			Name    string `json:"name"`
		} `json:"signUp"`
		WrongPassword struct {
			Status int    `json:"status"`
			Code   string `json:"code"`
		} `json:"wrongPassword"`
		SignIn struct {
			User      string `json:"user"`
			ExpiresIn int    `json:"expiresIn"`
		} `json:"signIn"`
		GetUser    bool   `json:"getUser"`
		UpdateUser string `json:"updateUser"`
		Refreshed  bool   `json:"refreshed"`
		Reused     struct {
			Status int    `json:"status"`
			Code   string `json:"code"`
		} `json:"reused"`
		SignOut string `json:"signOut"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("supabase-js printed %q: %v", raw, err)
	}
	if got.SignUp.User != "anna.js@example.com" || !got.SignUp.Session || got.SignUp.Name != "Anna" {
		t.Errorf("signUp: %+v", got.SignUp)
	}
	if got.WrongPassword.Status != 400 || got.WrongPassword.Code != "invalid_credentials" {
		t.Errorf("a wrong password: %+v", got.WrongPassword)
	}
	if got.SignIn.User != "anna.js@example.com" || got.SignIn.ExpiresIn != 3600 || !got.GetUser || got.UpdateUser != "Acme" || !got.Refreshed {
		t.Errorf("session: %s", raw)
	}
	if got.Reused.Status != 400 || got.Reused.Code != "refresh_token_already_used" {
		t.Errorf("a reused refresh token: %+v", got.Reused)
	}
	if got.SignOut != "ok" {
		t.Errorf("signOut: %s", got.SignOut)
	}
}

// supabaseJS returns a runner of a script of testdata/supabase-js under Node, which prints one
// JSON line; without Node or the package the test skips, saying why, and under CI=true fails.
func supabaseJS(t *testing.T) func(args ...string) []byte {
	t.Helper()
	dir := filepath.Join("testdata", "supabase-js")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "@supabase", "supabase-js")); err != nil || statErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Node or supabase-js is missing (node: %v; package: %v): make test installs them", err, statErr)
		}
		t.Skipf("Node or supabase-js is missing (node: %v; package: %v): run make test, or npm ci in %s", err, statErr, dir)
	}
	return func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, args...)
		cmd.Dir = dir
		cmd.Stderr = os.Stderr
		raw, err := cmd.Output()
		if err != nil {
			t.Fatalf("supabase-js %v: %v", args, err)
		}
		return raw
	}
}

// TestSupabaseJSConfirmsByMail: supabase-js's own signUp waits for the mailed confirmation, its
// verifyOtp takes the mailed code, and resetPasswordForEmail, verifyOtp type recovery and
// updateUser set a new password that signs in.
func TestSupabaseJSConfirmsByMail(t *testing.T) {
	t.Parallel()
	run := supabaseJS(t)
	smtp := mailtest.Start(t)
	_, base := startApp(t, mailEnv(smtp))
	const email = "boris.js@example.com"
	step := func(want string, args ...string) {
		t.Helper()
		if got := strings.TrimSpace(string(run(append([]string{"mail.mjs"}, args...)...))); got != want {
			t.Fatalf("%s: %s, want %s", args[0], got, want)
		}
	}
	step(`{"user":"boris.js@example.com","session":false,"confirmed":null}`, "signup", base, email)
	code := mailCodeRe.FindStringSubmatch(smtp.Wait(t, 1, 10*time.Second)[0].Text)
	step(`{"user":"boris.js@example.com","session":true,"confirmed":true}`, "confirm", base, email, code[1])
	step(`{"ok":true}`, "reset", base, email)
	code = mailCodeRe.FindStringSubmatch(smtp.Wait(t, 2, 10*time.Second)[1].Text)
	step(`{"signedIn":true}`, "recover", base, email, code[1], "a brand new password")
}
