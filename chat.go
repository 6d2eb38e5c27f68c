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
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/bots/console"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/relay"
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
	assistant, jobs, _, err := newAssistant(cfg, db, logger)
	if err != nil {
		return err
	}
	chat := &console.Chat{
		Handler:  assistant,
		User:     strings.TrimSpace(*user),
		TimeZone: machineZone(),
		LangHint: os.Getenv("LANG"),
		In:       stdin,
		Out:      stdout,
		Prompt:   isTerminal(stdin),
	}
	// Replies that come later (an LLM plan) are this chat's to print; its jobs are worked here
	// too (and by a server, if one runs).
	delivery := &relay.Delivery{Outbox: postgres.NewQueues(db).Outbox().Of(chat.User, core.ProviderConsole),
		Senders: map[core.Provider]core.Sender{core.ProviderConsole: chat}, Owner: "console:" + chat.User, Logger: logger}
	workers, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); runJobs(workers, jobs, logger) }()
	go func() { defer wg.Done(); delivery.Run(workers) }()
	err = chat.Run(ctx)
	if err == nil && ctx.Err() == nil {
		// at the end of scripted input, what was asked for still arrives (up to a minute)
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		if jobs.Idle(wait) == nil {
			delivery.RunOnce(wait) //nolint:errcheck // best effort: the replies stay in the outbox
		}
		cancel()
	}
	stop()
	wg.Wait()
	return err
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
