package main

import (
	"bytes"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
)

// BenchmarkTelegramWebhook posts updates to /telegram/webhook the way Telegram does, from many
// chats at once, while the intake runs the assistant on them and the delivery drains replies to
// the fake Bot API within Telegram's limits. It reports the acknowledged updates per second and
// the 50th/99th percentile time to acknowledge.
func BenchmarkTelegramWebhook(b *testing.B) {
	bundle := setupTelegram(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var seq atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			n := seq.Add(1)
			update := telegramtest.Message{UpdateID: n, From: telegramtest.User{ID: 10000 + n%2000, FirstName: "Load", LanguageCode: "ru"},
				Text: "завтра в 10 созвон с клиентом на 30 минут"}.Update()
			req, _ := http.NewRequest(http.MethodPost, bundle.url, bytes.NewReader(update))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tgSecret)
			req.Header.Set("Content-Type", "application/json")
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			mine = append(mine, time.Since(start))
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "updates/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(0, "ns/op")
}
