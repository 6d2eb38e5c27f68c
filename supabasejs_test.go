package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestSupabaseJSSignsIn runs supabase-js itself (testdata/supabase-js, installed by make test)
// under Node against the auth API: a front end written for Supabase Auth works unchanged.
// Without Node or the package it skips, saying why; under CI=true it fails.
func TestSupabaseJSSignsIn(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "supabase-js")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "@supabase", "supabase-js")); err != nil || statErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Node or supabase-js is missing (node: %v; package: %v): make test installs them", err, statErr)
		}
		t.Skipf("Node or supabase-js is missing (node: %v; package: %v): run make test, or npm ci in %s", err, statErr, dir)
	}
	_, base := startApp(t, authEnv)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "auth.mjs", base, "anna.js@example.com")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("supabase-js: %v", err)
	}
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
