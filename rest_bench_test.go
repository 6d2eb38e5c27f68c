package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkRESTTaskList offers the REST task list of a user with 2 000 tasks at a fixed 500
// requests a second for 10 s (open loop: each request's latency counts from when it was due to
// start, so a stall is not hidden) and reports p50, p99 and max; the yardstick, in the same run
// at the same rate, is the page's query sent straight to PostgreSQL with pgx. Run:
// go test -run '^$' -bench RESTTaskList -benchtime 1x . (docs/benchmarks.md).
func BenchmarkRESTTaskList(b *testing.B) {
	// one user at 500 requests a second: the per-user bound (600 a minute) is off to measure the path
	db, base := startApp(b, map[string]string{"BC_JWT_SECRET": authEnv["BC_JWT_SECRET"], "AUTH_AUTOCONFIRM": "true", "API_RATE_PER_MINUTE": "0"})
	status, s := authCall(b, "POST", base+"/auth/v1/signup", "", map[string]any{"email": "bench@example.com", "password": "correct horse"})
	if status != 200 {
		b.Fatalf("sign-up: %d %v", status, s)
	}
	token := s["access_token"].(string)
	user := s["user"].(map[string]any)["id"].(string)
	ctx := context.Background()
	if _, err := db.Super.Exec(ctx, `INSERT INTO tasks (user_id, title, scheduled_date, priority, created_at)
		SELECT $1, 'task ' || i, current_date + (i % 30), 1 + i % 4, now() - i * interval '1 minute' FROM generate_series(1, 2000) i`, user); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Super.Exec(ctx, `ANALYZE tasks`); err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	rest := func() error {
		req, _ := http.NewRequest("GET", base+"/api/v1/tasks", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	raw := func() error {
		rows, err := db.Super.Query(ctx, `SELECT id, goal_id, milestone_id, title, description, priority, estimated_time, complexity,
			cognitive_load, status, scheduled_date, scheduled_time, recurrence, completed_at, created_at
			FROM tasks WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 51`, user)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		return rows.Err()
	}
	const rate, seconds = 500, 10
	for range b.N {
		for _, c := range []struct {
			name string
			call func() error
		}{{"rest", rest}, {"yardstick-pgx", raw}} {
			for range 200 { // warm the connections up
				if err := c.call(); err != nil {
					b.Fatal(err)
				}
			}
			lat := openLoop(b, rate, seconds, c.call)
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), c.name+"-p50-ms")
			b.ReportMetric(q(0.99), c.name+"-p99-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, c.name+"-max-ms")
		}
	}
}

// openLoop starts call rate times a second for seconds, each at its own due time, and returns
// each call's latency from that due time.
func openLoop(b *testing.B, rate, seconds int, call func() error) []time.Duration {
	n := rate * seconds
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := call(); err != nil {
				b.Error(err)
			}
			lat[i] = time.Since(due)
		}()
	}
	wg.Wait()
	return lat
}
