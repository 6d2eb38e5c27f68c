package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/bizconnect/bizconnect/bots/console"
)

func runChat(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	user := fs.String("user", os.Getenv("USER"), "your name: the console identity the dialog belongs to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*user) == "" {
		return errors.New("chat: --user NAME is required")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	chat := &console.Chat{
		Handler:  newAssistant(cfg, db, logger),
		User:     strings.TrimSpace(*user),
		TimeZone: machineZone(),
		LangHint: os.Getenv("LANG"),
		In:       stdin,
		Out:      stdout,
		Prompt:   isTerminal(stdin),
	}
	return chat.Run(ctx)
}

// machineZone is this machine's IANA zone: $TZ, or the target of /etc/localtime.
func machineZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		return tz
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			return target[i+len("zoneinfo/"):]
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		return strings.TrimSpace(string(b))
	}
	return ""
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
