package chat_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// BenchmarkAssistantCreateTask measures the whole path of a create-task message through the
// assistant on a real PostgreSQL: claim the update key, resolve the user, load the dialog,
// understand, insert the task, write the reply to the outbox, commit. Senders run in parallel
// (-cpu sets GOMAXPROCS; RunParallel uses GOMAXPROCS×parallelism goroutines).
func BenchmarkAssistantCreateTask(b *testing.B) {
	db := setup(b)
	ctx := context.Background()
	const users = 500
	for u := range users { // users exist already: the steady state of a running product
		if _, err := db.a.Handle(ctx, inbound(fmt.Sprintf("user-%d", u), "привет")); err != nil {
			b.Fatal(err)
		}
	}
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			in := inbound(fmt.Sprintf("user-%d", n%users), fmt.Sprintf("завтра в 10 созвон с клиентом %d на 30 минут", n))
			in.Provider, in.Key = core.ProviderTelegram, fmt.Sprintf("bench:%d", n)
			if err := db.a.Process(ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
