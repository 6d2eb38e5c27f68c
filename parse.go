package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bizconnect/bizconnect/core/nlu"
)

// maxParseLine bounds one input line of `bizconnect parse`.
const maxParseLine = 1 << 20

// runParse implements `bizconnect parse [--now RFC3339] [--tz IANA] [--lang ru|en]`: one message per
// line on stdin, one JSON parse per line on stdout, in order.
func runParse(args []string, stdin io.Reader, stdout io.Writer, defaultTZ string) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	nowFlag := fs.String("now", "", "reference time, RFC 3339 (default: now)")
	tzFlag := fs.String("tz", defaultTZ, "the user's IANA time zone")
	langFlag := fs.String("lang", "", `message language, "ru" or "en" (default: detect per message)`)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	opt, err := parseOptions(*nowFlag, *tzFlag, *langFlag)
	if err != nil {
		return err
	}
	return parseLines(stdin, stdout, opt)
}

// parseOptions builds nlu.Options from the flags: Now in the user's zone.
func parseOptions(nowArg, tz, lang string) (nlu.Options, error) {
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nlu.Options{}, fmt.Errorf("parse: --tz %q: %w", tz, err)
	}
	now := time.Now()
	if nowArg != "" {
		if now, err = time.Parse(time.RFC3339, nowArg); err != nil {
			return nlu.Options{}, fmt.Errorf("parse: --now: %w", err)
		}
	}
	if lang != "" && lang != "ru" && lang != "en" {
		return nlu.Options{}, fmt.Errorf("parse: --lang %q: want ru or en", lang)
	}
	return nlu.Options{Now: now.In(loc), Lang: lang}, nil
}

// parseLines parses each line of r and writes its JSON to w.
func parseLines(r io.Reader, w io.Writer, opt nlu.Options) error {
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := readLine(in)
		if errors.Is(err, io.EOF) && line == "" {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("parse: read: %w", err)
		}
		if encErr := enc.Encode(nlu.Parse(line, opt)); encErr != nil {
			return fmt.Errorf("parse: write: %w", encErr)
		}
		if err != nil {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("parse: write: %w", err)
	}
	return nil
}

// readLine reads one line without its line ending; a line longer than maxParseLine is cut there
// and the rest of it skipped.
func readLine(in *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := in.ReadSlice('\n')
		if b.Len() < maxParseLine {
			b.Write(chunk[:min(len(chunk), maxParseLine-b.Len())])
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(b.String(), "\r\n"), err
	}
}
